"""Display tables: the numbers with Swedish column names, ready for blocks.table."""

from __future__ import annotations

import pandas as pd

from bro_analysis.presentation.formatting import fmt_number
from bro_analysis.presentation.vocabulary import MARGIN

from .numbers import Definitions
from .text import ci_text


def _rate_columns(frame: pd.DataFrame, defs: Definitions) -> dict[str, list]:
    level = fmt_number(100 * defs.confidence, 0)
    return {
        "Leads": frame["leads"].tolist(),
        "Konverterade": frame["konverterade"].tolist(),
        "Konverteringsgrad": frame["andel"].tolist(),
        f"{MARGIN.capitalize()} ({level} %)": [ci_text(lo, hi) for lo, hi in zip(frame["ki_nedre"], frame["ki_övre"])],
    }


def year_table(years: pd.DataFrame, defs: Definitions) -> pd.DataFrame:
    """The per-year table with Swedish headers."""
    return pd.DataFrame({"År": years["år"].astype(str).tolist(), **_rate_columns(years, defs)})


def group_table(table: pd.DataFrame, label: str, defs: Definitions) -> pd.DataFrame:
    """The per-channel (arena) table with Swedish headers and the rank or 'för få leads'."""
    return pd.DataFrame(
        {label: table[table.columns[0]].tolist(), **_rate_columns(table, defs), "Rang": table["bedömning"].tolist()}
    )


def funnel_table(table: pd.DataFrame) -> pd.DataFrame:
    """The funnel with Swedish headers and the share of leads that went on to each stage."""
    out = pd.DataFrame({"Kanal": table.iloc[:, 0]})
    stages = list(table.columns[1:])
    for stage in stages:
        out[f"Nått {stage}"] = table[stage]
    for stage in stages[1:]:
        out[f"Andel till {stage}"] = (table[stage] / table[stages[0]].where(table[stages[0]] > 0)).astype(float)
    return out


def arena_table(table: pd.DataFrame, in_plan: bool = True) -> pd.DataFrame:
    """Arenas in the period: type, date, goals, follow-up, and whether each counts (or is
    pending); without a key result for arenas in the plan (`in_plan` false) the last column
    says only whether the arena has both goals and follow-up, as no target counts it."""

    def yes_no(value):
        return "uppgift saknas" if pd.isna(value) else ("ja" if value else "nej")

    return pd.DataFrame(
        {
            "Arena": table["namn"].tolist(),
            "Typ": table["typ"].tolist(),
            "Datum": [d.date().isoformat() for d in table["datum"]],
            "Skriftliga mål": [yes_no(v) for v in table["mål_formulerade"]],
            "Uppföljning gjord": [yes_no(v) for v in table["uppföljning_gjord"]],
            "Räknas mot målet" if in_plan else "Mål och uppföljning": [
                "ja" if met else ("uppföljning pågår" if pending else "nej")
                for met, pending in zip(table["uppfyller"], table["pågår"])
            ],
        }
    )


def support_table(table: pd.DataFrame, uncovered: str | None = None) -> pd.DataFrame:
    """Municipal support with Swedish headers; without numbers where the register cannot say
    (`uncovered`, okr.uncovered), never 0."""
    return pd.DataFrame(
        {
            "Kommun": table["kommun"].tolist(),
            "Insatser med marknadsföringsstöd": [None] * len(table) if uncovered else table["insatser"].tolist(),
            "Fått stöd": ["kan inte bedömas"] * len(table)
            if uncovered
            else ["ja" if v else "nej" for v in table["stödd"]],
        }
    )
