"""The committee attachment: one self-contained HTML per period, plus okr.csv/okr.json.

The executed notebooks are merged in name order (the overview first) under a
title page with a table of contents, and an appendix lists the data sources,
the package version and the assumptions and caveats.

The overview notebook computes the key-result summary and the appendix and
publishes them as an output of its own (analysis.summary.publish); this merge
step only reads the executed notebooks, never the data.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from html import escape
from pathlib import Path

import nbformat

from bro_analysis.analysis.summary import SUMMARY_MIME
from bro_analysis.core.config import REPORT_NAME
from bro_analysis.core.files import write_atomic
from bro_analysis.presentation.blocks import EXAMPLE_BANNER, is_lab_only, markdown_html
from bro_analysis.running.export import export_html

TITLE_BLOCK = re.compile(r'<header class="report-title">.*?<h1>(.*?)</h1>.*?</header>', re.S)
HEADING_TAG = re.compile(r"<(/?)h([1-5])\b")


def report_name(period_key: str) -> str:
    return REPORT_NAME.format(period=period_key)


def _demote(html: str) -> str:
    """h1 -> h2, h2 -> h3 …: each notebook becomes a section of the report."""
    return HEADING_TAG.sub(lambda m: f"<{m.group(1)}h{int(m.group(2)) + 1}", html)


def _html_cell(markup: str) -> nbformat.NotebookNode:
    cell = nbformat.v4.new_code_cell("")
    cell.outputs = [nbformat.v4.new_output("display_data", data={"text/html": markup})]
    return cell


def section_cells(nb, anchor: str) -> tuple[str, list]:
    """The notebook's outputs as a report section; returns (section title, cells)."""
    title = nb.metadata.get("bro", {}).get("title", anchor)
    cells = []
    for cell in nb.cells:
        tags = cell.metadata.get("tags", [])
        if "parameters" in tags or "remove-cell" in tags:
            continue
        if cell.cell_type == "markdown":
            cells.append(_html_cell(_demote(markdown_html(cell.source))))
            continue
        if cell.cell_type != "code":
            continue
        outputs = []
        for output in cell.get("outputs", []):
            if is_lab_only(output):
                continue
            html = output.get("data", {}).get("text/html")
            if html is None:
                continue
            html = "".join(html) if isinstance(html, list) else html
            match = TITLE_BLOCK.search(html)
            if match:
                title = re.sub(r"<[^>]+>", "", match.group(1))
                html = TITLE_BLOCK.sub(f'<h2 id="{anchor}">{match.group(1)}</h2>', html)
            else:
                html = _demote(html)
            outputs.append(nbformat.v4.new_output("display_data", data={"text/html": html}))
        if outputs:
            new = nbformat.v4.new_code_cell("")
            new.outputs = outputs
            cells.append(new)
    return title, cells


def title_page(summary: dict, sections: list[tuple[str, str]], made: dt.date) -> str:
    """Title, period, date, example-data banner and table of contents."""
    toc = "".join(f'<li><a href="#{a}">{escape(t)}</a></li>' for a, t in sections)
    toc += '<li><a href="#bilaga">Bilaga: underlag, antaganden och förbehåll</a></li>'
    banner = EXAMPLE_BANNER if summary["example"] else ""
    return (
        '<header class="report-title">'
        f"<h1>Uppföljning av verksamhetsplanen – {escape(summary['label'])}</h1>"
        f'<p class="subtitle">Business Region Örebro · till Regionala tillväxtnämnden · '
        f"framtagen {made.isoformat()}</p>{banner}</header>"
        f'<nav aria-labelledby="toc"><h2 id="toc">Innehåll</h2><ol>{toc}</ol></nav>'
    )


def read_summary(nb) -> dict | None:
    """The published summary in an executed notebook, if any."""
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            if SUMMARY_MIME in output.get("data", {}):
                return dict(output["data"][SUMMARY_MIME])
    return None


def build(notebooks: list, info: dict, made: dt.date) -> nbformat.NotebookNode:
    """Merge the executed notebooks into one notebook of HTML outputs."""
    sections, body = [], []
    for i, nb in enumerate(notebooks, 1):
        anchor = f"avsnitt-{i}"
        title, cells = section_cells(nb, anchor)
        sections.append((anchor, title))
        body += cells
    merged = nbformat.v4.new_notebook()
    merged.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    merged.cells = [_html_cell(title_page(info, sections, made)), *body, _html_cell(info["appendix"])]
    return merged


def _ordered(records: list[dict]) -> list[dict]:
    """Records with their keys in SUMMARY_FIELDS order (notebook JSON sorts keys)."""
    from bro_analysis.analysis.okr import SUMMARY_FIELDS

    return [{k: r[k] for k in SUMMARY_FIELDS} for r in records]


def summary_csv(records: list[dict]) -> bytes:
    """okr.csv as Swedish Excel reads it: semicolons, decimal comma, UTF-8 with BOM."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(records[0]), delimiter=";", lineterminator="\n")
    writer.writeheader()
    for rec in records:
        writer.writerow(
            {k: ("" if v is None else str(v).replace(".", ",") if isinstance(v, float) else v) for k, v in rec.items()}
        )
    return buffer.getvalue().encode("utf-8-sig")  # Excel opens it with å/ä/ö intact


def write_period_report(executed: list[Path], out_dir: Path, made: dt.date | None = None) -> Path:
    """Write the combined HTML, okr.csv and okr.json for one period; returns the HTML path."""
    made = made or dt.date.today()
    notebooks = [nbformat.read(p, as_version=4) for p in executed]
    info = next((s for s in map(read_summary, notebooks) if s), None)
    if info is None:
        raise ValueError("ingen notebook publicerade nyckelresultaten (summary.publish saknas i översikten)")
    merged = build(notebooks, info, made)
    title = f"Uppföljning av verksamhetsplanen – {info['label']} – Business Region Örebro"
    html_path = out_dir / report_name(info["period"])
    records = _ordered(info["records"])
    # Everything is rendered first and then renamed into place back to back, so that an
    # interrupted run leaves the three files from one run, not a mix, in all but a moment.
    files = {
        out_dir / "okr.csv": summary_csv(records),
        out_dir / "okr.json": json.dumps(records, ensure_ascii=False, indent=2).encode("utf-8"),
        html_path: export_html(merged, title),
    }
    for path, data in files.items():
        write_atomic(path, data)
    return html_path
