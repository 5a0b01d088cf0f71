"""What the report says about collaboration outside its section: the appendix's caveats
(and word list entries, none yet). Copying the package copies them; analysis.assumptions
and analysis.summary collect every area's."""

from __future__ import annotations

from bro_analysis.presentation.formatting import fmt_int

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
