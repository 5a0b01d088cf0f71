"""The committee attachment: one self-contained HTML per period, plus okr.csv/okr.json.

The executed notebooks are merged in name order (the overview first) under a
title page with a table of contents, and an appendix lists the data sources,
the package version and the assumptions and caveats.
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

from . import __version__, assumptions, overview
from .context import Context
from .report import table_html
from .runner import export_html, write_atomic

TITLE_BLOCK = re.compile(r'<header class="report-title">.*?<h1>(.*?)</h1>.*?</header>', re.S)
HEADING_TAG = re.compile(r"<(/?)h([1-5])\b")


def report_name(period_key: str) -> str:
    return f"BRO_uppfoljning_{period_key}.html"


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
        if cell.cell_type != "code" or "parameters" in cell.metadata.get("tags", []):
            continue
        outputs = []
        for output in cell.get("outputs", []):
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


def title_page(ctx: Context, sections: list[tuple[str, str]], made: dt.date) -> str:
    """Title, period, date, example-data banner and table of contents."""
    toc = "".join(f'<li><a href="#{a}">{escape(t)}</a></li>' for a, t in sections)
    toc += '<li><a href="#bilaga">Bilaga: underlag, antaganden och förbehåll</a></li>'
    banner = ('<p class="example-banner" role="note">Exempeldata – rapporten bygger på påhittade '
              "uppgifter och visar inga verkliga resultat.</p>") if ctx.dataset.is_example else ""
    return (
        '<header class="report-title">'
        f"<h1>Uppföljning av verksamhetsplanen – {escape(ctx.period.label)}</h1>"
        f'<p class="subtitle">Business Region Örebro · till Regionala tillväxtnämnden · '
        f"framtagen {made.isoformat()}</p>{banner}</header>"
        f'<nav aria-labelledby="toc"><h2 id="toc">Innehåll</h2><ol>{toc}</ol></nav>'
    )


def appendix(ctx: Context) -> str:
    """Data sources with checksums, the version, and the assumptions-and-caveats log."""
    import pandas as pd

    sources = pd.DataFrame([{
        "Fil": s.file, "Rader": s.rows,
        "Period i filen": f"{s.first_date} – {s.last_date}" if s.first_date else "–",
        "SHA-256": s.sha256,
    } for s in ctx.dataset.sources])
    log = "".join(f"<li><strong>{escape(area)}:</strong> {escape(text)}</li>"
                  for area, text in assumptions.log(ctx))
    return (
        '<h2 id="bilaga">Bilaga: underlag, antaganden och förbehåll</h2>'
        "<h3>Datakällor</h3>"
        + table_html(sources, f"Indatafiler i {ctx.dataset.data_dir.name}", row_header=True)
        + f"<p>Framtagen med bro-analysis version {escape(__version__)}.</p>"
        "<h3>Antaganden och förbehåll</h3>"
        f"<ul>{log}</ul>"
    )


def build(ctx: Context, executed: list[Path], made: dt.date) -> nbformat.NotebookNode:
    """Merge the executed notebooks into one notebook of HTML outputs."""
    sections, body = [], []
    for i, path in enumerate(executed, 1):
        nb = nbformat.read(path, as_version=4)
        anchor = f"avsnitt-{i}"
        title, cells = section_cells(nb, anchor)
        sections.append((anchor, title))
        body += cells
    merged = nbformat.v4.new_notebook()
    merged.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    merged.cells = [_html_cell(title_page(ctx, sections, made)), *body, _html_cell(appendix(ctx))]
    return merged


def summary_csv(records: list[dict]) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(records[0]), delimiter=";", lineterminator="\n")
    writer.writeheader()
    for rec in records:
        writer.writerow({k: ("" if v is None else str(v).replace(".", ",") if isinstance(v, float) else v)
                         for k, v in rec.items()})
    return buffer.getvalue().encode("utf-8-sig")  # Excel opens it with å/ä/ö intact


def write_period_report(ctx: Context, executed: list[Path], out_dir: Path,
                        made: dt.date | None = None) -> Path:
    """Write the combined HTML, okr.csv and okr.json for one period; returns the HTML path."""
    made = made or dt.date.today()
    records = overview.summary_records(ctx, overview.outcomes(ctx))
    merged = build(ctx, executed, made)
    title = f"Uppföljning av verksamhetsplanen – {ctx.period.label} – Business Region Örebro"
    html_path = out_dir / report_name(ctx.period.key)
    write_atomic(out_dir / "okr.csv", summary_csv(records))
    write_atomic(out_dir / "okr.json", json.dumps(records, ensure_ascii=False, indent=2).encode("utf-8"))
    write_atomic(html_path, export_html(merged, title))
    return html_path
