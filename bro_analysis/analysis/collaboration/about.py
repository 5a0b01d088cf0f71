"""What the report says about collaboration outside its section: the appendix's caveats,
the word list's entries (none yet) and the kommunblad's line per key result. Copying the
package copies them; analysis.assumptions, analysis.summary and the kommunblad
(profile.text) collect every area's."""

from __future__ import annotations

from bro_analysis.presentation.formatting import fmt_int, join_sv

AREA = "Samverkan"  # the appendix's label for these caveats


def caveats(ctx) -> list[tuple[str, str]]:
    """The appendix's assumptions and caveats on collaboration and the budget: (label, text)."""
    return [
        (AREA, "Ett samverkansprojekt räknas när minst två kommuner deltar, det år projektet startade."),
        (
            AREA,
            "Verktygsmålet mäts som användning av Insikt, Syna och Objektvision; om kommunerna "
            "arbetar med förbättringsåtgärder baserade på användningen finns inte i underlaget.",
        ),
        (
            "Budget",
            f"Driftsbidraget är {fmt_int(ctx.plan.contribution_per_inhabitant)} kronor per invånare, "
            "beräknat på folkmängden i tabellen kommuner för året.",
        ),
    ]


def glossary(ctx) -> list[tuple[str, str]]:
    """The word list's entries for the words the collaboration section uses: none of its own."""
    return []


def _tools_line(part: dict, label: str) -> str:
    missing = part.get("saknar") or []
    return f"använder inte {join_sv(missing)}." if missing else "använder alla tre verktygen."


# The kommunblad's line per key result (by mått), from profile.numbers.key_result_parts' row.
MEMBER_LINES = {"kommuner_med_verktyg": _tools_line}
# Key results that count activities a member takes part in: the word for what is counted.
MEMBER_COUNTS = {"samverkansprojekt": "samverkansprojekt", "workshops": "workshops"}
