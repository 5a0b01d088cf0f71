"""The committee report: one self-contained HTML per period, plus okr.csv/okr.json.

Page one answers: the title block and every key result with its outcome, target,
previous period, status and one line of why. Then what changed since the previous
report, a short section per plan area made of the notebook cells tagged `nämnd`
(the rest of each notebook stays in the analysts' per-notebook HTML), a word list,
and one appendix with method, assumptions, sources and the accessibility statement.

The overview notebook computes the key-result summary and the appendix and
publishes them as an output of its own (analysis.summary.publish); this merge
step only reads the executed notebooks and earlier reports, never the data.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # nbformat is imported where used: a fully cached run never needs it
    import nbformat

from bro_analysis.core.config import REPORT_NAME, SUMMARY_MIME
from bro_analysis.core.files import write_together
from bro_analysis.core.periods import period_label
from bro_analysis.input.contracts import ORIGINS
from bro_analysis.presentation import vocabulary
from bro_analysis.presentation.blocks import (
    EXAMPLE_BANNER,
    Source,
    assessment_html,
    assessment_list,
    is_lab_only,
    key_result_table,
    markdown_html,
    page_one_density,
)
from bro_analysis.running.export import export_html
from bro_analysis.running.notebook_rules import COMMITTEE_TAG, section_name

HEADING_TAG = re.compile(r"<(/?)h([1-5])\b")
IMAGE_ALT = re.compile(r'<img\b[^>]*?\balt="([^"]*)"')
# Where the kommunblad's figures come from (the appendix lists the files).
MEMBER_TABLES = ("nki", "investeringar", "aktiviteter", "kommuner")


def origins(tables: tuple[str, ...], known: dict[str, str] | None = None) -> str:
    """'SKR Insikt, BRO:s … och BRO:s …': who collected the data behind these tables; `known`
    names a table's origin as this run found it (the NKI via Kolada)."""
    named = list(dict.fromkeys((known or {}).get(t) or ORIGINS[t] for t in tables))
    return ", ".join(named[:-1]) + " och " + named[-1] if len(named) > 1 else named[0]


def report_name(period_key: str) -> str:
    return REPORT_NAME.format(period=period_key)


def _demote(html: str) -> str:
    """h2 -> h3 …: a notebook's sections become sub-sections of a plan area."""
    return HEADING_TAG.sub(lambda m: f"<{m.group(1)}h{int(m.group(2)) + 1}", html)


def _without_heading(html: str, area: str) -> str:
    """The HTML without a heading that only repeats the area's name (the section's h2 says it)."""
    words = sorted(re.findall(r"\w+", area.casefold()))

    def same(match: re.Match) -> str:
        text = re.sub(r"<[^>]+>", "", match.group(2))
        return "" if sorted(re.findall(r"\w+", text.casefold())) == words else match.group(0)

    return re.sub(r"<h([3-6])[^>]*>(.*?)</h\1>", same, html, flags=re.S)


def _html_cell(markup: str) -> nbformat.NotebookNode:
    import nbformat

    cell = nbformat.v4.new_code_cell("")
    cell.outputs = [nbformat.v4.new_output("display_data", data={"text/html": markup})]
    return cell


def committee_cells(nb) -> list[str]:
    """The HTML of the notebook's cells tagged for the committee, headings one level down."""
    parts = []
    for cell in nb.cells:
        if COMMITTEE_TAG not in cell.metadata.get("tags", []):
            continue
        if cell.cell_type == "markdown":
            parts.append(_demote(markdown_html(cell.source)))
            continue
        for output in cell.get("outputs", []):
            html = output.get("data", {}).get("text/html")
            if html is not None and not is_lab_only(output):
                parts.append(_demote("".join(html) if isinstance(html, list) else html))
    return parts


def repeated_figure(named_parts: list[tuple[str, list[str]]]) -> tuple[str, str, str] | None:
    """The first figure the report would show twice, as (alt text, first notebook, second
    notebook), from each notebook's committee HTML. Alt texts describe the figure's data, so
    a repeat is the same figure: typically a copied notebook that still draws the original's."""
    seen: dict[str, str] = {}
    for name, parts in named_parts:
        for alt in IMAGE_ALT.findall("".join(parts)):
            if alt in seen:
                return alt, seen[alt], name
            seen[alt] = name
    return None


def check_figures_unique(named_parts: list[tuple[str, list[str]]]) -> None:
    """Stop the committee report when one figure would appear twice (repeated_figure)."""
    repeat = repeated_figure(named_parts)
    if repeat is None:
        return
    alt, first, second = repeat
    where = f"i {first}" if first == second else f"både i {first} och i {second}"
    short = alt if len(alt) <= 90 else alt[:87] + "…"
    raise ValueError(
        f"samma figur visas två gånger, {where}: ”{short}”. En kopierad notebook visar ofta "
        "fortfarande originalets figurer – byt dem mot det nya områdets egna "
        "(ARCHITECTURE.md, ”Lägga till ett område”)."
    )


def area_sections(notebooks: list, areas: list[str], rows: list[dict] | None = None) -> list[tuple[str, str, str]]:
    """(anchor, area, HTML) per area, from the notebooks whose metadata names that area
    (`"bro": {"area": ...}`): the plan's areas in its order, each opened by BRO's cause, action
    and owner per key result (from `rows`), then any section outside the plan a notebook
    declares (`"section"`: context such as RUS 2030), in notebook order; areas without cells
    are left out. notebook_rules checks the names before a run."""
    named = [section_name(nb.metadata) for nb in notebooks]
    areas = list(areas) + [a for a in dict.fromkeys(named) if a and a not in areas]
    sections = []
    for i, area in enumerate(areas, 1):
        parts = [
            _without_heading(p, area)
            for nb in notebooks
            if section_name(nb.metadata) == area
            for p in committee_cells(nb)
        ]
        judged = [r for r in rows or [] if r.get("area") == area and r.get("assessment")]
        if parts:
            anchor = f"omrade-{i}"
            opening = (
                f"<h3>BRO:s bedömning</h3>{assessment_list(judged)}"
                if any(any(r["assessment"][k] for k in ("bedömning", "orsak", "åtgärd")) for r in judged)
                else ""
            )
            sections.append((anchor, area, f'<h2 id="{anchor}">{escape(area)}</h2>' + opening + "".join(parts)))
    return sections


DRAFT_BANNER = '<p class="draft-banner" role="note">Utkast – bedömningen är inte fastställd.</p>'


def running_header(info: dict) -> str:
    """What every printed page says at its top: which report, which period, its diarienummer,
    and that it is a draft or made from example data."""
    document = info.get("document", {})
    parts = [f"Uppföljning av verksamhetsplanen {info['label']}"]
    if document.get("diarienummer"):
        parts.append(f"Dnr {document['diarienummer']}")
    if document.get("utkast", True):
        parts.append("Utkast – bedömningen är inte fastställd")
    if info["example"]:
        parts.append("Exempeldata")
    return " · ".join(parts)


def _facts(document: dict, made: dt.date) -> str:
    """The title block's facts: diarienummer, meeting, contact, approval and the date made."""
    meeting = f", sammanträde {escape(document['sammanträde'])}" if document.get("sammanträde") else ""
    facts = [("Från", "Business Region Örebro"), ("Till", f"Regionala tillväxtnämnden{meeting}")]
    if document.get("diarienummer"):
        facts.append(("Diarienummer", escape(document["diarienummer"])))
    if document.get("handläggare") or document.get("e-post"):
        mail = document.get("e-post", "")
        link = f'<a href="mailto:{escape(mail)}">{escape(mail)}</a>' if mail else ""
        facts.append(("Kontaktperson", ", ".join(x for x in (escape(document.get("handläggare", "")), link) if x)))
    if not document.get("utkast", True):
        when = f" {escape(document['fastställd_datum'])}" if document.get("fastställd_datum") else ""
        facts.append(("Fastställd", f"av {escape(document['fastställd_av'])}{when}"))
    facts.append(("Framtagen", made.isoformat()))
    items = "".join(f"<div><dt>{k}</dt><dd>{v}</dd></div>" for k, v in facts)
    return f'<dl class="facts">{items}</dl>'


def _decision(document: dict, headline: str, missing: str) -> str:
    """Förslag till beslut and Sammanfattning: the computed headline, then BRO's summary."""
    parts = []
    if document.get("förslag"):
        parts.append(f'<div><h2 id="forslag">Förslag till beslut</h2>{assessment_html(document["förslag"])}</div>')
    summary = assessment_html(document.get("sammanfattning", ""))
    notice = f'<p class="missing-assessment">{escape(missing)}</p>' if missing else ""
    parts.append(
        f'<div><h2 id="sammanfattning">Sammanfattning</h2><p class="headline">{escape(headline)}</p>'
        f"{summary}{notice}</div>"
    )
    return f'<div class="decision{" two" if len(parts) == 2 else ""}">{"".join(parts)}</div>'


def _unbroken(label: str) -> str:
    """The period with a no-break space before its year ('januari–augusti&nbsp;2026'): the year
    never drops onto a line of its own, and the PDF bookmark keeps the space."""
    return re.sub(r" (?=\d{4}$)", "&nbsp;", escape(label))


def page_one(info: dict, made: dt.date) -> str:
    """Title block, proposed decision, summary and every key result under its objective."""
    document = info.get("document", {"utkast": True})
    banners = (EXAMPLE_BANNER if info["example"] else "") + (DRAFT_BANNER if document.get("utkast", True) else "")
    baseline = info.get("baseline", "")
    caption = (
        f"Utgångsläget {info['label']} mot planens mål: utfall, mål, föregående period, status, prognos och "
        "BRO:s bedömning, per område i planen"
        if baseline
        else f"Nyckelresultaten {info['label']}: utfall, mål, föregående period, status, prognos och BRO:s "
        "bedömning, per område i planen"
    )
    source = Source(
        f"{info.get('nki_origin') or ORIGINS['nki'] + ' (NKI)'} och BRO:s register; bedömning BRO",
        info["example"],
    )
    density = page_one_density(len(info["rows"]))
    return (
        '<section class="page-one"'
        + (f' data-density="{density}"' if density else "")
        + '><header class="report-title">'
        f"<h1>Uppföljning av verksamhetsplanen – {_unbroken(info['label'])}</h1>"
        + _facts(document, made)
        + banners
        + (f'<p class="baseline">{escape(baseline)}</p>' if baseline else "")
        + "</header>"
        + _decision(document, info["headline"], info.get("missing", ""))
        + key_result_table(info["rows"], caption, source, info.get("objectives"))
        + "</section>"
    )


@dataclass(frozen=True)
class Earlier:
    """The report "Sedan förra rapporten" compares with: its records, period and how it is named."""

    records: list[dict]
    period: str
    label: str  # 'rapporten för 2025 (publicerad 2026-02-12)'


def since_last(info: dict, earlier: Earlier | None, revised: list | None = None) -> str:
    """'Sedan förra rapporten': one sentence of what to notice, then only the changes of
    substance against the last published report (analysis.changes) and the revisions of
    published reports; calendar effects are never listed."""
    from bro_analysis.analysis import changes

    heading = '<h2 id="sedan-forra">Sedan förra rapporten</h2>'
    revised = list(revised or [])
    if earlier is None:
        text = "Ingen tidigare rapport är publicerad, så det finns inget att jämföra med."
        body = "".join(f"<li>{escape(c.text)}</li>" for c in revised)
        return heading + f"<p>{escape(text)}</p>" + (f'<ul class="changes">{body}</ul>' if body else "")
    names = {r["id"]: r["text"] for r in info["rows"]}
    found = changes.since(info["records"], earlier.records, names) + revised
    found.sort(key=lambda c: changes.KINDS.index(c.kind))
    lead = changes.lead(found, earlier.label)
    items = "".join(f"<li>{escape(c.text)}</li>" for c in found)
    return heading + f'<p class="lead">{escape(lead)}</p>' + (f'<ul class="changes">{items}</ul>' if items else "")


def members_html(members: list[tuple[str, str, str]], example: bool, nki_origin: str | None = None) -> str:
    """The twelve municipalities with a relative link to each one's kommunblad, as a short
    list in columns (a table of twelve rows took half a printed page); `nki_origin` is where
    this run's NKI came from ('Kolada (SKR Insikt, nyckeltal U07451, NKI)')."""
    items = "".join(
        f'<li><a href="{escape(href)}">Kommunblad för {escape(name)}</a> ({escape(code)})</li>'
        for code, name, href in sorted(members)
    )
    source = Source(f"{origins(MEMBER_TABLES, {'nki': nki_origin or ''})}; bearbetning BRO", example)
    return (
        '<h2 id="kommuner">Varje medlemskommun</h2>'
        "<p>Varje kommun har ett eget kommunblad med sitt NKI, sina investeringar och sin del i det "
        "gemensamma arbetet. Kommunbladen är egna dokument som följer med rapporten.</p>"
        f'<ul class="members">{items}</ul>'
        f'<p class="source">{escape(source.line())}</p>'
    )


def glossary_html(words: list) -> str:
    items = "".join(f"<dt>{escape(w)}</dt><dd>{escape(d)}</dd>" for w, d in words)
    return f'<h2 id="ord">Ord i rapporten</h2><dl class="glossary">{items}</dl>'


def toc(entries: list[tuple[str, str]]) -> str:
    items = "".join(f'<li><a href="#{a}">{escape(t)}</a></li>' for a, t in entries)
    return f'<nav aria-labelledby="toc"><h2 id="toc">Innehåll</h2><ol>{items}</ol></nav>'


def read_summary(nb) -> dict | None:
    """The published summary in an executed notebook, if any."""
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            if SUMMARY_MIME in output.get("data", {}):
                return dict(output["data"][SUMMARY_MIME])
    return None


_CELL = "<!--bro-cell-->"


def plain_words(parts: list[str]) -> list[str]:
    """The main part as a reader meets it: each abbreviation spelled out at its first use in
    running text across the whole document, English words marked lang="en"."""
    joined = vocabulary.mark_english(vocabulary.spell_out_abbreviations(_CELL.join(parts)))
    return joined.split(_CELL)


def build(
    notebooks: list,
    info: dict,
    made: dt.date,
    previous: Earlier | None = None,
    members: list[tuple[str, str, str]] | None = None,
    revised: list | None = None,
) -> nbformat.NotebookNode:
    """The committee report as one notebook of HTML outputs."""
    sections = area_sections(notebooks, info["areas"], info["rows"])
    changes = since_last(info, previous, revised)
    entries = [("sedan-forra", "Sedan förra rapporten")] + [(a, t) for a, t, _ in sections]
    entries += [("kommuner", "Varje medlemskommun")] if members else []
    entries += [("ord", "Ord i rapporten"), ("bilaga", "Bilaga: underlag och metod")]
    main = plain_words([page_one(info, made), changes, toc(entries), *(html for _, _, html in sections)])
    main += [members_html(members, info["example"], info.get("nki_origin")) if members else ""]
    words = vocabulary.used_terms(info["glossary"], re.sub(r"<[^>]+>", " ", "".join(main)))
    parts = [*main, glossary_html(words), info["appendix"]]
    import nbformat

    merged = nbformat.v4.new_notebook()
    merged.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    merged.metadata["bro"] = {"running_header": running_header(info)}
    merged.cells = [_html_cell(p) for p in parts if p]
    return merged


def read_earlier(path: Path, label: str = "") -> Earlier:
    """An earlier report's okr.json (--jämför, or a published report's), as Earlier."""
    try:
        records = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ValueError(f"{path}: förra rapportens okr.json kan inte läsas ({exc})") from None
    period = str(records[0].get("period", "")) if records else ""
    return Earlier(records, period, label or f"rapporten för {period_label(period)}")


def published_earlier(publication) -> Earlier:
    """A publication from the archive (running.archive.Published) as Earlier."""
    label = f"rapporten för {period_label(publication.period)} (publicerad {publication.date})"
    return Earlier(publication.records, publication.period, label)


def _ordered(records: list[dict], revised: list | None = None) -> list[dict]:
    """Records with their keys in SUMMARY_FIELDS order (notebook JSON sorts keys), and the
    revisions of published reports per key result (`revidering`, '' for none)."""
    from bro_analysis.analysis.okr import SUMMARY_FIELDS

    said: dict[str, list[str]] = {}
    for change in revised or []:
        said.setdefault(change.id, []).append(change.text)
    return [{**{k: r[k] for k in SUMMARY_FIELDS}, "revidering": " ".join(said.get(r["id"], []))} for r in records]


def _csv_value(value) -> str:
    """A value as Swedish Excel reads it: decimal comma, ja/nej, empty for missing, a list
    (okr.json's `saknas`) as names separated by commas."""
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)
    if isinstance(value, bool):
        return "ja" if value else "nej"
    return str(value).replace(".", ",") if isinstance(value, float) else str(value)


def summary_csv(records: list[dict]) -> bytes:
    """okr.csv as Swedish Excel reads it: semicolons, decimal comma, UTF-8 with BOM."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(records[0]), delimiter=";", lineterminator="\n")
    writer.writeheader()
    for rec in records:
        writer.writerow({k: _csv_value(v) for k, v in rec.items()})
    return buffer.getvalue().encode("utf-8-sig")  # Excel opens it with å/ä/ö intact


def write_period_report(
    executed: list[Path],
    out_dir: Path,
    made: dt.date | None = None,
    compare_with: Path | Earlier | None = None,
    members: list[tuple[str, str, str]] | None = None,
    revised: list | None = None,
) -> Path:
    """Write the committee HTML, okr.csv and okr.json for one period; returns the HTML path.
    `compare_with` is the report "Sedan förra rapporten" compares with (an okr.json path
    given with --jämför, or the last published report), `revised` the revisions of
    published reports (running.revisions)."""
    made = made or dt.date.today()
    import nbformat

    notebooks = [nbformat.read(p, as_version=4) for p in executed]
    check_figures_unique([(f"notebooks/{Path(p).name}", committee_cells(nb)) for p, nb in zip(executed, notebooks)])
    info = next((s for s in map(read_summary, notebooks) if s), None)
    if info is None:
        raise ValueError("ingen notebook publicerade nyckelresultaten (summary.publish saknas i översikten)")
    previous = read_earlier(compare_with) if isinstance(compare_with, (str, Path)) else compare_with
    merged = build(notebooks, info, made, previous, members, revised)
    title = f"Uppföljning av verksamhetsplanen – {info['label']} – Business Region Örebro"
    html_path = out_dir / report_name(info["period"])
    records = _ordered(info["records"], revised)
    # Rendered first, then replaced as one set (core.files.write_together): an interrupted
    # run never leaves the report beside another run's okr.csv/okr.json.
    write_together(
        {
            out_dir / "okr.csv": summary_csv(records),
            out_dir / "okr.json": json.dumps(records, ensure_ascii=False, indent=2).encode("utf-8"),
            html_path: export_html(merged, title),
        }
    )
    return html_path
