"""BRO's own assessment beside the computed key results: the period's file
(`bedomningar/<period>.md`, read by input.assessments) joined to the outcomes, numbers
quoted in its text checked against today's data, and the template the analysts fill in."""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass

from bro_analysis.analysis import okr
from bro_analysis.input.assessments import FOLDER, HEADER_KEYS, Assessment, Entry, Section
from bro_analysis.presentation.formatting import join_sv

# The keys of a section that the report prints, and their okr.json names.
FIELDS = {"Bedömning": "bedömning", "Orsak": "orsak", "Åtgärd": "åtgärd", "Ansvarig": "ansvarig"}
DRAFT = "Utkast – bedömningen är inte fastställd"

# A number as Swedish text writes it: 77,4 · 1 272 · 1 272,5 (space, no-break or narrow space).
_NUMBER = re.compile(r"(?<![\w,.])(\d{1,3}(?:[ \u00a0\u202f]\d{3})+|\d+)(?:,(\d+))?(?![\w])")
_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
_MONTHS = (
    "januari|februari|mars|april|maj|juni|juli|augusti|september|oktober|november|december|"
    "jan|feb|mar|apr|jun|jul|aug|sep|sept|okt|nov|dec"
)
_DAY = re.compile(rf"\s*({_MONTHS})\b", re.IGNORECASE)
_UNIT_AFTER = re.compile(r"\s*(%|MSEK|mnkr|NKI|kr\b)", re.IGNORECASE)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZÅÄÖ0-9−+\-–])")
_DATE_CLAUSE = re.compile(rf"\s+den \d{{1,2}} ({_MONTHS})$")
_MET_LINES = ("Målet är nått.", "Helårsmålet är redan nått.", "Alla kommuner.")


@dataclass(frozen=True)
class Quoted:
    """A number in the text as written ('77,4'), its value and its decimals."""

    text: str
    value: float
    decimals: int


@dataclass(frozen=True)
class Stale:
    """A number in a section that no longer equals any value the report shows for that key result."""

    id: str
    key: str
    line: int
    number: str
    current: str  # 'utfall 77,6 (mätår 2025), mål minst 80'


def quoted_numbers(text: str) -> list[Quoted]:
    """The numbers a sentence quotes as data: not dates, years, days of a month or ids (S1)."""
    text = _DATE.sub(" ", text)
    found = []
    for m in _NUMBER.finditer(text):
        whole, decimals = re.sub(r"\D", "", m.group(1)), m.group(2) or ""
        after = text[m.end() :]
        if not decimals and " " not in m.group(1) and _DAY.match(after):
            continue  # "den 31 augusti"
        is_year = not decimals and len(whole) == 4 and 1900 <= int(whole) <= 2100 and m.group(1) == whole
        if is_year and not _UNIT_AFTER.match(after):
            continue
        value = float(f"{whole}.{decimals}") if decimals else float(whole)
        found.append(Quoted(m.group(0), value, len(decimals)))
    return found


def _rounded(value: float, decimals: int) -> float:
    return math.floor(abs(value) * 10**decimals + 0.5) / 10**decimals


def shown_values(row: dict, members: int) -> list[float]:
    """Every number page one shows for a key result (outcome, target, previous, forecast,
    why) and the number of member municipalities: what a quoted number may equal."""
    cells = (row.get(k, "") for k in ("value", "target", "previous", "forecast", "why_full", "why", "text"))
    values = [q.value for cell in cells for q in quoted_numbers(str(cell))]
    return [*values, float(members)]


def is_current(number: Quoted, values: list[float]) -> bool:
    """The quoted number equals a shown value at the precision it was written with
    ('1 272' for 1 272,0; '77' for 77,4 is not the same number as 77,6 rounded)."""
    return any(math.isclose(_rounded(v, number.decimals), number.value, abs_tol=1e-9) for v in values)


def _line_of(entry: Entry, number: Quoted) -> int:
    for line, text in entry.lines:
        if any(q.text == number.text for q in quoted_numbers(text)):
            return line
    return entry.line


def stale_numbers(section: Section, row: dict, members: int) -> list[Stale]:
    """The numbers of a section's text that equal none of the key result's shown values."""
    values = shown_values(row, members)
    found = []
    for key, entry in section.entries.items():
        for number in quoted_numbers(entry.text):
            if not is_current(number, values):
                now = f"utfall {row['value']}, mål {row['target']}"
                found.append(Stale(section.id, key, _line_of(entry, number), number.text, now))
    return found


def stale_warning(assessment: Assessment, stale: Stale) -> str:
    """'bedomningar/2026-08.md, rad 23: S1 …': file, line, the number and the value today."""
    return (
        f"{assessment.file}, rad {stale.line}: {stale.id} ({stale.key}) nämner {stale.number}, som inte "
        f"stämmer med dagens data ({stale.current}). Uppdatera texten."
    )


def short_why(why: str) -> str:
    """The first sentence (or clause before a semicolon) of the computed why that says more
    than the status does: 'Insikt 2026 är inte publicerad ännu.'"""
    sentences = [s for s in _SENTENCE_END.split(why.strip()) if s and s not in _MET_LINES]
    if not sentences:
        return ""
    first = _DATE_CLAUSE.sub("", sentences[0].split(";")[0].rstrip("."))  # the period is in the title
    return first + "."


def section_fields(kr, section: Section | None) -> dict[str, str]:
    """bedömning, orsak, åtgärd and ansvarig of a key result: the section's text, the
    owner from the plan (okr.toml `ansvarig`) when the section names none."""
    fields = {name: section.text(key) if section else "" for key, name in FIELDS.items()}
    fields["ansvarig"] = fields["ansvarig"] or kr.owner
    return fields


def join(assessment: Assessment | None, plan, rows: list[dict]) -> tuple[list[dict], list[str]]:
    """Page one's rows with BRO's assessment (`assessment`: the fields and, per field, the stale
    numbers as (number, current value)), and a warning per stale number."""
    members, warnings, joined = len(plan.members), [], []
    for row in rows:
        section = assessment.sections.get(row["id"]) if assessment else None
        stale = stale_numbers(section, row, members) if section else []
        warnings += [stale_warning(assessment, s) for s in stale] if assessment else []
        fields = section_fields(plan.key_result(row["id"]), section)
        marks: dict[str, list[tuple[str, str]]] = {FIELDS[s.key]: [] for s in stale}
        for s in stale:
            marks[FIELDS[s.key]].append((s.number, s.current))
        joined.append({**row, "assessment": {**fields, "stale": marks}})
    return joined, warnings


def missing(rows: list[dict]) -> list[str]:
    """The ids of key results without a Bedömning."""
    return [r["id"] for r in rows if not r["assessment"]["bedömning"]]


def document(assessment: Assessment | None) -> dict:
    """The committee document's facts from the file's header: diarienummer, meeting,
    contact, proposed decision, summary, who approved it and when, and whether it is a draft."""
    if assessment is None:
        return {"utkast": True, "fil": ""}
    name, email = assessment.contact
    return {
        "utkast": not assessment.approved,
        "fil": assessment.file,
        "diarienummer": assessment.text("Diarienummer"),
        "sammanträde": assessment.meeting.isoformat() if assessment.meeting else "",
        "handläggare": name,
        "e-post": email,
        "förslag": assessment.text("Förslag till beslut"),
        "sammanfattning": assessment.text("Sammanfattning"),
        "fastställd_av": assessment.text("Fastställd av"),
        "fastställd_datum": assessment.approved_on.isoformat() if assessment.approved_on else "",
    }


def missing_text(ids: list[str], total: int) -> str:
    """Page one's line on key results that have no assessment yet ('' when all have one)."""
    if not ids:
        return ""
    if len(ids) == total:
        return "BRO:s bedömning är inte skriven ännu för något nyckelresultat."
    return f"BRO:s bedömning saknas ännu för {join_sv(ids)}."


def _comment(text: str) -> str:
    return "<!-- " + text.replace("--", "–") + " -->"


def template(period, plan, rows: list[dict], made: dt.date) -> str:
    """The period's assessment file to fill in: the header keys empty, and a section per key
    result with its computed outcome, status and forecast as a comment."""
    lines = [
        f"# Bedömning {period.label}",
        _comment(
            f"BRO:s bedömning för perioden {period.key}, till uppföljningen för Regionala tillväxtnämnden. "
            "Skriv efter kolon; en text kan fortsätta på nästa rad, och en tom rad börjar ett nytt stycke. "
            "En fortsättningsrad som själv börjar med ett ord och kolon skrivs med ett mellanslag först. "
            "Text mellan kommentarstecknen syns inte i rapporten. Så länge Fastställd av är tom är rapporten "
            f"ett utkast. Formatet beskrivs i data/README.md under {FOLDER}."
        ),
        "",
        *(f"{key}:" for key in HEADER_KEYS),
    ]
    for row in rows:
        kr = plan.key_result(row["id"])
        status = okr.status_label(row["status"], row.get("qualifier", ""))
        computed = (
            f"Beräknat {made.isoformat()}: utfall {row['value']}, mål {row['target']}, föregående "
            f"{row['previous']}, status {status}, prognos {row.get('forecast', '–')}. {row.get('why_full', '')}"
        )
        owner = f" Ansvarig enligt planen: {kr.owner}." if kr.owner else ""
        lines += ["", f"## {row['id']} {row['text']}", _comment(computed.strip() + owner)]
        lines += [f"{key}:" for key in FIELDS]
    return "\n".join(lines) + "\n"


def analyst_note(judged: Assessment | None, rows: list[dict], period) -> str:
    """For the analyst in JupyterLab: where BRO's assessment of the period stands."""
    if judged is None:
        return (
            f"Ingen bedömning för {period.label}: skapa mallen med bro-analysis bedömning --period "
            f"{period.key} och fyll i {FOLDER}/{period.key}.md i datamappen. Till dess är rapporten ett utkast."
        )
    state = "fastställd" if judged.approved else "ett utkast (Fastställd av är tom)"
    parts = [f"Bedömningen i {judged.file} är {state}."]
    lacking = missing(rows)
    if lacking:
        parts.append(missing_text(lacking, len(rows)))
    stale = sum(len(v) for r in rows for v in r["assessment"]["stale"].values())
    if stale:
        word = "siffra" if stale == 1 else "siffror"
        parts.append(
            f"{stale} {word} i texten stämmer inte längre med data; se varningarna från bro-analysis kontrollera."
        )
    return " ".join(parts)
