"""HTML building blocks that notebooks display: headings, text, tables, figures.

Everything that comes from data is escaped, so a company name holding
`<script>` is shown as text. Each function returns an IPython HTML object;
its `.data` is the markup.
"""

from __future__ import annotations

import base64
import datetime as dt
import io
import re
from collections.abc import Callable, Iterable
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING

import mistune
import pandas as pd

from bro_analysis.presentation.formatting import fmt_number
from bro_analysis.presentation.source import Source

if TYPE_CHECKING:  # IPython and matplotlib are imported where used: the runner needs neither
    from IPython.display import HTML
    from matplotlib.figure import Figure


def _source_html(source: Source | None) -> str:
    return f'<p class="source">{escape(source.line())}</p>' if source else ""


# The report's stylesheet; the nbconvert template includes it, and lab_style scopes it to JupyterLab.
STYLESHEET = Path(__file__).resolve().parent / "templates" / "bro" / "bro.css"
# Output metadata of what is shown in JupyterLab only and left out of every report.
LAB_ONLY = {"bro": {"lab_only": True}}

# 150 dpi: an 8-inch figure printed across an A4 text column (18 cm) keeps about 165 dpi.
FIGURE_DPI = 150


def _html(markup: str) -> HTML:
    from IPython.display import HTML

    return HTML(markup)


# Marks every page and report made from example data (a folder with EXEMPELDATA.txt).
EXAMPLE_BANNER = (
    '<p class="example-banner" role="note">Exempeldata – rapporten bygger på påhittade uppgifter '
    "och visar inga verkliga resultat.</p>"
)


def title(text: str, period_label: str, example: bool, made: dt.date | None = None) -> HTML:
    """The page's h1, the period, the date it was made and the example-data banner."""
    made = made or dt.date.today()
    parts = [
        f"<h1>{escape(text)}</h1>",
        f'<p class="subtitle">Business Region Örebro · period {escape(period_label)} · '
        f"framtagen {made.isoformat()}</p>",
    ]
    if example:
        parts.append(EXAMPLE_BANNER)
    return _html('<header class="report-title">\n' + "\n".join(parts) + "\n</header>")


def heading(text: str, level: int = 2) -> HTML:
    """A section heading (h2 by default)."""
    return _html(f"<h{level}>{escape(text)}</h{level}>")


def paragraph(*sentences: str) -> HTML:
    """One paragraph of plain text built from sentences."""
    return _html(f"<p>{escape(' '.join(s for s in sentences if s))}</p>")


def bullets(items: Iterable[str]) -> HTML:
    """A bulleted list of plain-text items."""
    lis = "".join(f"<li>{escape(i)}</li>" for i in items)
    return _html(f"<ul>{lis}</ul>")


def note(text: str) -> HTML:
    """A highlighted note, for caveats the reader must not miss."""
    return _html(f'<p class="note">{escape(text)}</p>')


def _cell(value, formatter: Callable | None) -> tuple[str, bool]:
    if formatter is not None:
        return formatter(value), True
    if isinstance(value, bool):
        return ("ja" if value else "nej"), False
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return fmt_number(value, 0 if float(value).is_integer() else 1), True
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA:
        return "–", False
    return str(value), False


def _label(column) -> str:
    """The cell's column header as an attribute: a narrow screen shows each row as a block
    with every cell labelled by it (bro.css), as the header row is then out of sight."""
    return f' data-label="{escape(str(column))}"'


def table_html(
    frame: pd.DataFrame,
    caption: str,
    formats: dict[str, Callable] | None = None,
    row_header: bool = True,
    source: Source | None = None,
) -> str:
    """An accessible table: caption, column headers, first column as row headers, and the
    source line under it."""
    formats = formats or {}
    num = ' class="num"'
    head = "".join(f'<th scope="col"{num if c in formats else ""}>{escape(str(c))}</th>' for c in frame.columns)
    rows = []
    for _, record in frame.iterrows():
        cells = []
        for i, col in enumerate(frame.columns):
            text, numeric = _cell(record[col], formats.get(col))
            attrs = (' class="num"' if numeric else "") + _label(col)
            if i == 0 and row_header:
                cells.append(f'<th scope="row"{attrs}>{escape(text)}</th>')
            else:
                cells.append(f"<td{attrs}>{escape(text)}</td>")
        rows.append(f"<tr>{''.join(cells)}</tr>")
    table = (
        f"<table><caption>{escape(caption)}</caption><thead><tr>{head}</tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
    )
    return f'<div class="table-block">{table}{_source_html(source)}</div>' if source else table


def table(
    frame: pd.DataFrame,
    caption: str,
    formats: dict[str, Callable] | None = None,
    row_header: bool = True,
    source: Source | None = None,
) -> HTML:
    """Display a DataFrame as an accessible table with Swedish number format and its source."""
    return _html(table_html(frame, caption, formats, row_header, source))


def figure_png(fig: Figure) -> bytes:
    """The figure as PNG bytes (closes the figure)."""
    buffer = io.BytesIO()
    import matplotlib.pyplot as plt

    from bro_analysis.presentation import figures

    with figures.style():  # ticks and labels are laid out when drawn, so in the style too
        fig.savefig(buffer, format="png", dpi=FIGURE_DPI, bbox_inches="tight", metadata={"Software": None})
    plt.close(fig)  # a no-op for figures.new's figures; frees a pyplot figure
    return compact_png(buffer.getvalue())


def compact_png(png: bytes) -> bytes:
    """The PNG with a 256-colour palette: a chart looks the same and the file is about a third."""
    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("RGB")
    # Octree is 4× faster than median cut here and, on flat chart colours, as exact and smaller.
    palette = image.quantize(256, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)
    buffer = io.BytesIO()
    palette.save(buffer, format="PNG")
    return buffer.getvalue()


SMALL = ' class="small"'


def figure(fig: Figure, alt: str, caption: str, source: Source | None = None, small: bool = False) -> HTML:
    """Embed a figure as PNG with a meaningful alt text, a caption and its source; a figure
    from example data says so in the image itself, so it keeps the mark when copied out.
    A `small` figure (a side chart such as a year to date) is shown at two thirds width."""
    if source and source.example:
        fig.text(0.995, 0.005, "EXEMPELDATA", ha="right", va="bottom", fontsize=9, fontweight="bold", color="0.3")
    data = base64.b64encode(figure_png(fig)).decode("ascii")
    # role="group": the PDF tags the wrapper as a Div, so its only Figure is the image with its alt text.
    return _html(
        f'<figure{SMALL if small else ""} role="group"><img src="data:image/png;base64,{data}" alt="{escape(alt)}">'
        f"<figcaption>{escape(caption)}{_source_html(source)}</figcaption></figure>"
    )


def markdown_html(text: str) -> str:
    """A notebook's markdown cell as HTML, as in the reports (mistune, which nbconvert
    also uses; no heading anchors, so merged notebooks never repeat an id)."""
    return f'<div class="text">{mistune.html(text)}</div>'


def is_lab_only(output: dict) -> bool:
    """True for an output made by lab_style (metadata LAB_ONLY, at the top or per MIME type)."""
    meta = output.get("metadata", {})
    return any(m.get("bro", {}).get("lab_only") for m in (meta, *meta.values()) if isinstance(m, dict))


def _scoped_css(css: str, scope: str) -> str:
    """The stylesheet's plain rules with every selector inside `scope`; page and print rules dropped."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    css = re.sub(r"@media[^{]*\{(?:[^{}]*\{[^{}]*\})*[^{}]*\}", "", css)
    rules = []
    for selectors, body in re.findall(r"([^{}]+)\{([^{}]*)\}", css):
        if selectors.strip().startswith("@"):
            continue
        scoped = [
            scope if s.strip() in (":root", "html", "body") else f"{scope} {s.strip()}"
            for s in selectors.split(",")
            if s.strip() != "main"
        ]
        if scoped:
            rules.append(f"{', '.join(scoped)} {{{body.strip()}}}")
    return "\n".join(rules)


def lab_style() -> HTML:
    """The report's stylesheet for JupyterLab's output area, so that tables and figures look
    the same in Lab as in the report; the HTML export leaves this output out (LAB_ONLY)."""
    from IPython.display import HTML

    css = _scoped_css(STYLESHEET.read_text(encoding="utf-8"), ".jp-RenderedHTMLCommon")
    return HTML(f"<style>{css}</style>", metadata=LAB_ONLY)


_SENTENCES = re.compile(r"(?<=[.!?])\s+")


def assessment_html(text: str, stale: list | None = None) -> str:
    """BRO's text as HTML paragraphs; a sentence quoting a number that no longer matches the
    data is marked and followed by what the data say now (`stale`: (number, current value))."""
    paragraphs = []
    for paragraph in (p for p in text.split("\n\n") if p.strip()):
        sentences = []
        for sentence in _SENTENCES.split(paragraph.strip()):
            found = [(n, now) for n, now in stale or [] if n in sentence]
            if found:
                notes = "; ".join(f"{n} stämmer inte med dagens data: {now}" for n, now in found)
                sentences.append(
                    f'<mark class="stale">{escape(sentence)}</mark> <span class="stale-note">[⚠ {escape(notes)}]</span>'
                )
            else:
                sentences.append(escape(sentence))
        paragraphs.append(" ".join(sentences))
    return "".join(f"<p>{p}</p>" for p in paragraphs)


_KEY_RESULT_HEAD = ("Id", "Nyckelresultat", "Utfall", "Mål", "Föregående", "Status", "Prognos", "BRO:s bedömning")


def _key_result_row(r: dict) -> str:
    judged = r.get("assessment", {})
    why = f'<span class="why">: {escape(r["why"])}</span>' if r.get("why") else ""
    qualifier = f' <span class="qualifier">– {escape(r["qualifier"])}</span>' if r.get("qualifier") else ""
    bedomning = judged.get("bedömning", "")
    label = dict(zip(_KEY_RESULT_HEAD, map(_label, _KEY_RESULT_HEAD), strict=True))
    return (
        "<tr>"
        f'<th scope="row"{label["Id"]}>{escape(r["id"])}</th><td{label["Nyckelresultat"]}>{escape(r["text"])}</td>'
        f'<td class="num"{label["Utfall"]}>{escape(r["value"])}</td><td{label["Mål"]}>{escape(r["target"])}</td>'
        f'<td class="num"{label["Föregående"]}>{escape(r["previous"])}</td>'
        f'<td class="status {r["status_class"]}"{label["Status"]}>'
        f"{escape(r['symbol'])} {escape(r['status'])}{qualifier}{why}</td>"
        f"<td{label['Prognos']}>{'<br>'.join(escape(f) for f in r.get('forecast', '–').split(' · '))}</td>"
        + (
            f'<td class="assessment"{label["BRO:s bedömning"]}>'
            f"{assessment_html(bedomning, judged.get('stale', {}).get('bedömning'))}</td>"
            if bedomning
            else f'<td class="assessment missing"{label["BRO:s bedömning"]}>Ej skriven</td>'
        )
        + "</tr>"
    )


# Page one holds every key result on one landscape page: the plan 2026–2027's 12 rows at the
# table's own print size, 13–14 rows tighter and 15–18 rows denser still (bro.css); a plan
# of more continues on the next page at a planområde.
DENSE_FROM, DENSER_FROM = 13, 15


def page_one_density(rows: int) -> str:
    """Page one's print density for a plan of `rows` key results: '' (as designed for the
    plan 2026–2027), 'dense' or 'denser'; bro.css reads it as the page's data-density."""
    return "denser" if rows >= DENSER_FROM else "dense" if rows >= DENSE_FROM else ""


def key_result_table(
    rows: list[dict], caption: str, source: Source | None = None, objectives: list | None = None
) -> str:
    """The committee's first-page table, grouped under the plan's objectives (`objectives`:
    (planområde, objective) in the plan's order): id, key result, outcome, target, previous,
    status (word, symbol and a colour that only repeats them) with a short why, forecast and
    BRO's own assessment."""
    head = "".join(f'<th scope="col">{h}</th>' for h in _KEY_RESULT_HEAD)
    groups = objectives or [[area, ""] for area in dict.fromkeys(r.get("area", "") for r in rows)]
    bodies = []
    for area, objective in groups:
        members = [r for r in rows if r.get("area", "") == area]
        if not members:
            continue
        said = f': <span class="objective-text">{escape(objective)}</span>' if objective else ""
        group = (
            f'<tr class="objective"><th scope="rowgroup" colspan="{len(_KEY_RESULT_HEAD)}">'
            f"{escape(area)}{said}</th></tr>"
        )
        bodies.append(f"<tbody>{group}{''.join(_key_result_row(r) for r in members)}</tbody>")
    table = (
        f'<table class="key-results"><caption>{escape(caption)}</caption>'
        f"<thead><tr>{head}</tr></thead>{''.join(bodies)}</table>"
    )
    return f'<div class="table-block">{table}{_source_html(source)}</div>'


def assessment_list(rows: list[dict]) -> str:
    """An area's key results with BRO's cause, action and owner, run in after each other
    (the judgement itself stands on page one)."""
    items = []
    for r in rows:
        judged = r.get("assessment", {})
        stale = judged.get("stale", {})
        parts = [
            f'<span class="label">{label}:</span> {assessment_html(judged[key], stale.get(key))}'
            for label, key in (("Orsak", "orsak"), ("Åtgärd", "åtgärd"), ("Ansvarig", "ansvarig"))
            if judged.get(key)
        ]
        body = " ".join(parts) or "<p>BRO:s bedömning är inte skriven ännu.</p>"
        status = f"{escape(r['symbol'])} {escape(r['status'])}"
        items.append(f"<dt>{escape(r['id'])} {escape(r['text'])} – {status}</dt><dd>{body}</dd>")
    return f'<dl class="assessments">{"".join(items)}</dl>'
