"""What the report says about marketing outside its section: the appendix's caveats, the
word list's entries and the kommunblad's part and line per key result (MEMBER_PARTS, built
from analysis.member_parts, and MEMBER_LINES). Copying the package copies them;
analysis.assumptions, analysis.summary and the kommunblad (profile) collect every area's."""

from __future__ import annotations

from bro_analysis.analysis.member_parts import UNKNOWN, activity_gap, every_member_part
from bro_analysis.analysis.okr import target_text
from bro_analysis.presentation.formatting import fmt_percent

from .numbers import SUPPORT_TYPE, definitions
from .text import definitions_text

AREA = "Marknadsföring"  # the appendix's label for these caveats


def caveats(ctx) -> list[tuple[str, str]]:
    """The appendix's assumptions and caveats on marketing: (label, text)."""
    dropped = list(ctx.dataset.dropped_personal_data)
    items = [(AREA, text) for text in definitions_text(definitions(ctx.settings))]
    kr = ctx.plan.by_metric("konverteringsgrad")
    if kr is not None and kr.target:
        rate = 0.10
        items.append(
            (
                AREA,
                f"Planens {target_text(kr, len(ctx.plan.members)).removeprefix('minst ')} läses som relativ "
                f"förändring ({fmt_percent(rate, 0)} → {fmt_percent(rate * (1 + kr.target), 0)}); förändringen "
                "i procentenheter visas bredvid.",
            )
        )
    items.append(
        (
            AREA,
            "Kolumner med personuppgifter lästes inte in: " + "; ".join(dropped)
            if dropped
            else "Leadfilen innehöll inga kolumner med personuppgifter.",
        )
    )
    return items


def glossary(ctx) -> list[tuple[str, str]]:
    """The word list's entries for the words the marketing section uses: (term, meaning)."""
    defs = definitions(ctx.settings)
    return [
        ("Arena", "En mässa, konferens eller annan mötesplats där BRO visar upp regionen."),
        ("Lead", "En förfrågan från ett företag som kan leda till en investering eller etablering."),
        (
            "Konvertering",
            f"Ett lead som nått steget ”{defs.converted_stage}”. Konverteringsgraden är andelen leads som konverterat.",
        ),
    ]


def _support_line(part: dict, label: str) -> str:
    return "fick stöd under perioden." if part["roll"] == "bidrar" else "fick inget stöd under perioden."


def _support_part(ctx, kr, outcome, code: str, name: str) -> dict:
    """M3: bidrar or håller tillbaka (every_member_part); kan inte bedömas where the activity
    register does not cover marketing support in the period."""
    if activity_gap(ctx, [SUPPORT_TYPE]):
        return {"roll": UNKNOWN}
    return every_member_part(ctx, kr, outcome, code, name)


# The kommunblad's part per key result (by mått, analysis.member_parts) and its line, from
# profile.numbers.key_result_parts' row.
MEMBER_PARTS = {"kommuner_med_marknadsföringsstöd": _support_part}
MEMBER_LINES = {"kommuner_med_marknadsföringsstöd": _support_line}
