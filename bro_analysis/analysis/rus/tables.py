"""Display tables: the numbers with Swedish column names, ready for blocks.table."""

from __future__ import annotations

import pandas as pd

from bro_analysis.presentation.formatting import MISSING, fmt_number

from .text import change_text, goal_label

# The goal table's cells are formatted already; these columns are right-aligned as numbers.
GOAL_FORMATS = {c: str for c in ("År", "Örebro län", "Riket", "Medlemskommunerna")}


def _cell(value, decimals: int) -> str:
    return MISSING if value is None or pd.isna(value) else fmt_number(value, decimals)


def goal_table(rows: pd.DataFrame) -> pd.DataFrame:
    """One goal's KPIs: latest year, county, country, the members' range and the county's
    change. Values are already formatted (each KPI has its own decimals)."""
    records = []
    for _, r in rows.iterrows():
        d = int(r["decimaler"])
        spread = f"{_cell(r['kommun_lägst'], d)}–{_cell(r['kommun_högst'], d)}" if r["antal_kommuner"] else MISSING
        records.append(
            {
                "Nyckeltal": f"{r['namn']}, {r['enhet']}" if r["enhet"] else r["namn"],
                "År": MISSING if r["år"] is None or pd.isna(r["år"]) else str(int(r["år"])),
                "Örebro län": _cell(r["län"], d),
                "Riket": _cell(r["riket"], d),
                "Medlemskommunerna": spread,
                "Länet, förändring": change_text(r),
            }
        )
    return pd.DataFrame(
        records, columns=["Nyckeltal", "År", "Örebro län", "Riket", "Medlemskommunerna", "Länet, förändring"]
    )


def sources_table(indicator_table: pd.DataFrame) -> pd.DataFrame:
    """Every context KPI with its goal and where its id was verified."""
    return pd.DataFrame(
        {
            "Id": indicator_table["nyckeltal"],
            "Nyckeltal": indicator_table["namn"],
            "Mål": indicator_table["mål"].map(goal_label),
            "Id och titel kontrollerade i": indicator_table["källa"],
        }
    )
