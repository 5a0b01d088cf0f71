"""What the report says about collaboration outside its section: the appendix's caveats,
the word list's entries (none yet) and the kommunblad's part and line per key result
(MEMBER_PARTS, built from analysis.member_parts, and MEMBER_LINES/MEMBER_COUNTS). Copying
the package copies them; analysis.assumptions, analysis.summary and the kommunblad
(profile) collect every area's."""

from __future__ import annotations

from bro_analysis.analysis.member_parts import UNKNOWN, activity_count_part, every_member_part
from bro_analysis.presentation.formatting import fmt_int, join_sv

from .numbers import TOOLS, collaboration_projects, tool_use

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


def _tools_part(ctx, kr, outcome, code: str, name: str) -> dict:
    """S4: bidrar or håller tillbaka (every_member_part), and the tools the municipality lacks."""
    part = every_member_part(ctx, kr, outcome, code, name)
    if part["roll"] != UNKNOWN:
        uses = tool_use(ctx.dataset["kommuner"], ctx.period.year, ctx.plan).set_index("kommun").loc[name]
        part["saknar"] = [tool for tool in TOOLS.values() if not uses.get(tool)]
    return part


def _counted_projects(ctx):
    """The period's collaboration projects that count (two or more municipalities)."""
    projects = collaboration_projects(ctx.dataset["aktiviteter"], ctx.period)
    return projects[projects["räknas"]]


# The kommunblad's part per key result (by mått, analysis.member_parts) and its line, from
# profile.numbers.key_result_parts' row.
MEMBER_PARTS = {
    "samverkansprojekt": activity_count_part("samverkansprojekt", _counted_projects),
    "kommuner_med_verktyg": _tools_part,
    "workshops": activity_count_part("workshop"),
}
MEMBER_LINES = {"kommuner_med_verktyg": _tools_line}
# Key results that count activities a member takes part in: the word for what is counted.
MEMBER_COUNTS = {"samverkansprojekt": "samverkansprojekt", "workshops": "workshops"}
