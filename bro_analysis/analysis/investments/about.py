"""What the report says about investments outside their section: the appendix's caveats,
the word list's entries and the kommunblad's part and line per key result (MEMBER_PARTS,
built from analysis.member_parts, and MEMBER_LINES/MEMBER_COUNTS). Copying the package
copies them; analysis.assumptions, analysis.summary and the kommunblad (profile) collect
every area's."""

from __future__ import annotations

from bro_analysis.analysis.member_parts import (
    NOT_TAKING_PART,
    TAKES_PART,
    UNKNOWN,
    activity_count_part,
    every_member_part,
)
from bro_analysis.analysis.okr import ONE_PROJECT
from bro_analysis.input.contracts import DECIDED_STAGES
from bro_analysis.presentation.formatting import fmt_int, fmt_msek, fmt_percent

from . import stages
from .numbers import ONE_PROJECT_SHARE, TRAINING, member_realised
from .text import no_stage_log_text, priority_areas_text, stage_log_text

AREA = "Investeringar"  # the appendix's label for these caveats


def caveats(ctx) -> list[tuple[str, str]]:
    """The appendix's assumptions and caveats on investments: (label, text)."""
    inv = ctx.dataset["investeringar"]
    decided = inv["skede"].isin(DECIDED_STAGES) & ctx.period.contains(inv["beslutsdatum"])
    estimated = int((decided & inv["uppskattat_värde"].fillna(False).astype(bool)).sum())
    return _stage_log(ctx) + [
        (
            AREA,
            "Realiserad investering är ett projekt i skede beslut eller etablerad, räknat det år "
            "beslutet togs; övriga skeden är pipeline.",
        ),
        (AREA, priority_areas_text(ctx.plan.priority_areas) + " Listan står i data/okr.toml."),
        (
            AREA,
            f"{fmt_int(estimated)} av periodens realiserade projekt har ett uppskattat värde; "
            "de redovisas åtskilda från bekräftade värden.",
        ),
        (
            AREA,
            "Enstaka mycket stora projekt kan avgöra ett års totalsumma; totalen visas därför "
            "också utan det största projektet, med antal projekt och medianprojektet. Statusen bedömer "
            "totalen, som planen mäter den, men där ett projekt är mer än "
            f"{fmt_percent(ONE_PROJECT_SHARE, 0)} av periodens eller jämförelseperiodens totalsumma står det "
            f"”{ONE_PROJECT}” efter statusen. Ett delår bedöms på prognosen mot hela föregående år; "
            "då gäller gränsen det årets totalsumma och de öppna projektens värde.",
        ),
    ]


def _stage_log(ctx) -> list[tuple[str, str]]:
    """Whether the register's stages are known as they were (investeringar_skeden) or only as they are."""
    try:
        log = ctx.dataset[stages.LOG]
    except KeyError:
        return [(AREA, no_stage_log_text())]
    inv, period, areas = ctx.dataset["investeringar"], ctx.period, ctx.plan.priority_areas
    changed = sum(len(stages.changed_since(inv, log, p, areas)) for p in (period, period.previous))
    return [(AREA, stage_log_text(changed))]


def glossary(ctx) -> list[tuple[str, str]]:
    """The word list's entries for the words the investments section uses: (term, meaning)."""
    return [
        (
            "Etableringsberedskap",
            "Att kommunen är redo att ta emot och svara på frågor från företag som vill etablera sig.",
        ),
        ("MSEK", "Miljoner kronor."),
    ]


def _readiness_line(part: dict, label: str) -> str:
    return "har beredskap." if part["roll"] == "bidrar" else "har inte beredskap."


def _value_line(part: dict, label: str) -> str:
    if part["projekt"]:
        return f"{fmt_int(part['projekt'])} beslutade projekt, {fmt_msek(part['värde'])}."
    return "inga beslutade projekt i de områdena."


def _priority_value_part(ctx, kr, outcome, code: str, name: str) -> dict:
    """I1: the municipality's realised projects in the prioritised target areas (deltar when
    it has any); kan inte bedömas where the county's outcome has no value (the register does
    not cover the period)."""
    if outcome.value is None:
        return {"roll": UNKNOWN}
    own = member_realised(ctx.dataset["investeringar"], ctx.period, ctx.plan.priority_areas, code)
    role = TAKES_PART if own["projekt"] else NOT_TAKING_PART
    return {"värde": own["värde_msek"], "projekt": int(own["projekt"]), "roll": role}


# The kommunblad's part per key result (by mått, analysis.member_parts) and its line, from
# profile.numbers.key_result_parts' row.
MEMBER_PARTS = {
    "investeringsvärde_prioriterat": _priority_value_part,
    "utbildningsinsatser": activity_count_part(TRAINING),
    "kommuner_med_etableringsberedskap": every_member_part,
}
MEMBER_LINES = {"kommuner_med_etableringsberedskap": _readiness_line, "investeringsvärde_prioriterat": _value_line}
# Key results that count activities a member takes part in: the word for what is counted.
MEMBER_COUNTS = {"utbildningsinsatser": "utbildningsinsatser"}
