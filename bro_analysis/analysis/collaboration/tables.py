"""Display tables: the numbers with Swedish column names, ready for blocks.table."""

from __future__ import annotations

import pandas as pd

from bro_analysis.core.config import Plan

from .numbers import TOOLS
from .text import _names


def projects_table(projects: pd.DataFrame, plan: Plan) -> pd.DataFrame:
    """Display table of the period's collaboration projects."""
    return pd.DataFrame(
        {
            "Projekt": projects["titel"],
            "Start": projects["datum"].dt.strftime("%Y-%m-%d"),
            "Kommuner": projects["kommuner"].map(lambda c: _names(c, plan)),
            "Räknas": projects["räknas"].map({True: "ja", False: "nej, färre än två kommuner"}),
        }
    )


def tools_table(tools: pd.DataFrame) -> pd.DataFrame:
    """Display table: one row per municipality, ja/nej per tool."""
    shown = tools[["kommun", *TOOLS.values()]].copy()
    for label in TOOLS.values():
        shown[label] = shown[label].map({True: "ja", False: "nej"}).fillna("uppgift saknas")
    return shown.rename(columns={"kommun": "Kommun"})


def contributions_table(contrib: pd.DataFrame) -> pd.DataFrame:
    """Display table of contributions with a total row."""
    shown = contrib.rename(columns={"kommun": "Kommun", "folkmängd": "Folkmängd", "bidrag_kr": "Bidrag (kr)"})
    total = pd.DataFrame(
        [{"Kommun": "Totalt", "Folkmängd": shown["Folkmängd"].sum(), "Bidrag (kr)": shown["Bidrag (kr)"].sum()}]
    )
    return pd.concat([shown, total], ignore_index=True)
