"""Display tables for a kommunblad."""

from __future__ import annotations

import pandas as pd

from bro_analysis.presentation.formatting import fmt_number


def areas_table(areas: pd.DataFrame) -> pd.DataFrame:
    """Each myndighetsområde: the municipality's NKI (in brackets when too few responses) and the county's."""
    own = [
        f"({fmt_number(v, 1)})" if unsure else fmt_number(v, 1) for v, unsure in zip(areas["värde"], areas["osäker"])
    ]
    return pd.DataFrame(
        {"Myndighetsområde": areas["område"], "Kommunen": own, "Länet": areas["länet"].map(lambda v: fmt_number(v, 1))}
    )


def since_previous_table(frame: pd.DataFrame, now: str, before: str) -> pd.DataFrame:
    """Now beside the previous period."""
    shown = frame.copy()
    for col in ("nu", "före"):
        shown[col] = shown[col].map(
            lambda v: "–" if v is None or pd.isna(v) else fmt_number(v, 0 if float(v) == int(v) else 1)
        )
    return shown.rename(columns={"mått": "Mått", "nu": now, "före": before})


def joint_work_table(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.rename(columns={"datum": "Datum", "typ": "Typ", "titel": "Aktivitet"}).assign(
        Datum=lambda f: f["Datum"].dt.strftime("%Y-%m-%d")
    )
