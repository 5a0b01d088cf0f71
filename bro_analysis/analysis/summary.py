"""What the committee report needs from the analysis, published by the overview notebook
as an output no template shows: the period, the example flag, the first page's rows,
the key-result records (okr.csv/okr.json), the word list and the appendix."""

from __future__ import annotations

from html import escape

import pandas as pd

from bro_analysis import __version__
from bro_analysis.analysis import assessment, assumptions, okr, overview
from bro_analysis.analysis.context import open_context
from bro_analysis.analysis.nki.text import method_notes
from bro_analysis.core.config import SUMMARY_MIME
from bro_analysis.core.periods import PeriodError
from bro_analysis.presentation.blocks import Source, table_html
from bro_analysis.presentation.formatting import join_sv
from bro_analysis.presentation.vocabulary import CHANCE, MARGIN

# The accessibility statement (DIGG's required parts). Update the dates and the known
# gaps when the report's accessibility is checked again.
ACCESSIBILITY_ASSESSED = "2026-12-06"
ACCESSIBILITY_UPDATED = "2026-12-06"
ACCESSIBILITY_GAPS = (
    "Figurernas innehåll finns som text, men inte som en tabell för varje figur.",
    "Engelska ord och namn är inte alltid märkta som engelska, så en skärmläsare kan uttala dem fel.",
    "PDF-versionen är inte granskad mot standarden PDF/UA.",
)
DIGG_COMPLAINT = "https://www.digg.se/tdosanmalan"


def accessibility_html(contact: dict) -> str:
    """The accessibility statement with DIGG's required parts: compliance level, known
    gaps, dates, method, contact (settings' [kontakt]) and the link to DIGG's complaint page."""
    name = contact.get("namn") or "Business Region Örebro"
    ways = [
        f'e-post <a href="mailto:{escape(contact["e-post"])}">{escape(contact["e-post"])}</a>'
        if contact.get("e-post")
        else "",
        f"telefon {escape(contact['telefon'])}" if contact.get("telefon") else "",
        f'webbplatsen <a href="{escape(contact["webbplats"])}">{escape(contact["webbplats"])}</a>'
        if contact.get("webbplats")
        else "",
    ]
    reach = join_sv(w for w in ways if w)
    gaps = "".join(f"<li>{escape(g)}</li>" for g in ACCESSIBILITY_GAPS)
    return (
        "<h3>Tillgänglighetsredogörelse</h3>"
        f"<p>{escape(name)} står bakom den här rapporten och vill att alla ska kunna läsa den. "
        "Rapporten är delvis förenlig med lagen om tillgänglighet till digital offentlig service, "
        "som kräver nivå AA i WCAG 2.1. Det som inte är förenligt står nedan.</p>"
        f"<p>Kända brister:</p><ul>{gaps}</ul>"
        # The statement's end stays together in print: never a last page with only its final lines.
        '<div class="statement-end">'
        "<p>Så har vi granskat: en egen bedömning med automatiska kontroller (axe-core och "
        "Nu Html Checker) och manuell granskning av rubriker, tabeller, figurtexter, färger och PDF-taggar. "
        "Status står alltid med ord och symbol, aldrig bara med färg. "
        f"Rapporten bedömdes {ACCESSIBILITY_ASSESSED}. Redogörelsen uppdaterades {ACCESSIBILITY_UPDATED}.</p>"
        f"<p>Behöver du rapporten i ett annat format, eller har du hittat en brist? Kontakta {escape(name)}"
        + (f": {reach}.</p>" if reach else ".</p>")
        + "<p>Är du inte nöjd med svaret kan du anmäla det till Myndigheten för digital förvaltning (DIGG): "
        f'<a href="{DIGG_COMPLAINT}">digg.se/tdosanmalan</a>.</p></div>'
    )


def glossary(ctx) -> list[tuple[str, str]]:
    """The words the main part uses, explained once (from the settings, so they stay true):
    each area package's own (its about.glossary, in the plan's order), then the report's."""
    own = [
        w
        for area in assumptions.packages_in_plan_order(ctx.plan)
        if hasattr(area, "about")
        for w in area.about.glossary(ctx)
    ]
    return own + [
        (
            MARGIN.capitalize(),
            "Det spann där det verkliga värdet troligen ligger. Ett urval eller ett litet antal gör "
            "att det uppmätta värdet kan bero på slumpen. Bilagan beskriver hur spannet räknas.",
        ),
        (
            "Delår",
            "En period som inte är ett helt år bedöms efter prognosen för årets slut, aldrig som helår.",
        ),
        (
            "Prognos",
            "Var nyckelresultatet troligen hamnar vid årets slut och planens sista år, med en osäkerhetsmarginal. "
            "För ett antal räknas den fram ur registrets tidigare hela år; den gäller om inget ändras.",
        ),
        (
            "Säsongstakt",
            "Hur mycket av årets antal de tidigare hela åren hade nått vid samma datum, för ett år som når målet.",
        ),
        (
            "Status",
            join_sv(okr.status_label(s) for s in okr.STATUSES)
            + f". ”– {okr.UNCERTAIN}” efter statusen betyder att {MARGIN}en rymmer målet, så resultatet "
            f"{CHANCE}. ”– {okr.ONE_PROJECT}” betyder att ett enda projekt står för mer än halva värdet "
            "i det som jämförs. För ett helår är det året, för ett delår föregående år och de öppna projekten.",
        ),
    ]


def appendix(ctx) -> str:
    """Method, assumptions and caveats, data sources with checksums, the accessibility
    statement and the version: everything the committee may look up but need not read."""
    sources = pd.DataFrame(
        [
            {
                "Fil": s.file,
                "Rader": s.rows,
                "Period i filen": f"{s.first_date} – {s.last_date}" if s.first_date else "–",
                "SHA-256": s.sha256,
            }
            for s in ctx.dataset.sources
        ]
    )
    nki = ctx.dataset["nki"]
    method = method_notes(ctx.settings, "ki_nedre" in nki and nki["ki_nedre"].notna().any())
    log = "".join(f"<li><strong>{escape(area)}:</strong> {escape(text)}</li>" for area, text in assumptions.log(ctx))
    source = Source("indatafilerna ovan, kontrollerade vid inläsningen", ctx.dataset.is_example)
    return (
        '<h2 id="bilaga">Bilaga: underlag och metod</h2>'
        "<h3>Metod</h3><ul>" + "".join(f"<li>{escape(m)}</li>" for m in method) + "</ul>"
        "<h3>Antaganden och förbehåll</h3>"
        f"<ul>{log}</ul>"
        "<h3>Datakällor</h3>"
        + table_html(sources, "Indatafiler och deras kontrollsummor", row_header=True, source=source)
        + accessibility_html(ctx.settings.get("kontakt", {}))
        + f"<p>Framtagen med bro-analysis version {escape(__version__)}.</p>"
    )


def summary(ctx) -> dict:
    """What the combined report needs from the analysis."""
    results = overview.outcomes(ctx)
    rows, stale = assessment.join(ctx.assessment, ctx.plan, overview.page_one_rows(ctx, results))
    return {
        "period": ctx.period.key,
        "label": ctx.period.label,
        "example": ctx.dataset.is_example,
        "nki_origin": ctx.origin("nki", "NKI"),
        "headline": overview.period_headline(ctx, results),
        "baseline": overview.baseline_note(ctx),
        "areas": list(ctx.plan.areas),
        "objectives": [[area, ctx.plan.objectives.get(area, "")] for area in ctx.plan.areas],
        "rows": rows,
        "records": overview.summary_records(ctx, results),
        "document": assessment.document(ctx.assessment),
        "missing": assessment.missing_text(assessment.missing(rows), len(rows)),
        "warnings": stale,
        "glossary": glossary(ctx),
        "appendix": appendix(ctx),
    }


def publish(ctx):
    """Called by the overview notebook: the summary as an output no template shows."""
    from IPython.display import display

    display({SUMMARY_MIME: summary(ctx), "text/plain": ""}, raw=True)


def assessment_warnings(judged, data_dir) -> list[str]:
    """A period's assessment file (`judged`) checked against today's data: the file's own
    warnings and every number in its text that equals none of its key result's values."""
    try:
        ctx = open_context(judged.period, data_dir)
    except PeriodError as exc:
        return [*judged.warnings, f"{judged.file}: perioden kan inte beräknas ({exc})"]
    rows = overview.page_one_rows(ctx, overview.outcomes(ctx))
    return [*judged.warnings, *assessment.join(judged, ctx.plan, rows)[1]]
