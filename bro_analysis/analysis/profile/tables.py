"""Display tables for a kommunblad. Numbers stay numbers: each table has its formats, so
blocks.table right-aligns them (class="num")."""

from __future__ import annotations

import pandas as pd

from bro_analysis.presentation.formatting import NBSP, fmt_number

from . import text


def _one_decimal(value) -> str:
    return fmt_number(value, 1)


AREA_FORMATS = {"Kommunen": _one_decimal, "Länet": _one_decimal}


def service_areas_table(areas: pd.DataFrame, threshold: float | None) -> pd.DataFrame:
    """Each myndighetsområde: the municipality's NKI, the county's, and the municipality's
    result against the plan's threshold (S2), or that it has too few responses to count
    (no such column when the plan has no threshold)."""
    out = pd.DataFrame(
        {
            "Myndighetsområde": areas["område"].to_numpy(),
            "Kommunen": areas["värde"].astype(float).to_numpy(),
            "Länet": areas["länet"].astype(float).to_numpy(),
        }
    )
    if threshold is not None:
        limit = fmt_number(threshold, 0)
        out[f"Mot planens {limit}"] = [
            "för få svar för att räknas" if unsure else (f"under {limit}" if v < threshold else f"minst {limit}")
            for v, unsure in zip(areas["värde"], areas["osäker"].astype(bool))
        ]
    return out


def joint_work_table(frame: pd.DataFrame) -> pd.DataFrame:
    """The municipality's joint activities, the register's titles cleaned for reading."""
    return pd.DataFrame(
        {
            "Datum": frame["datum"].dt.strftime("%Y-%m-%d").to_numpy(),
            "Typ": frame["typ"].to_numpy(),
            "Aktivitet": [text.clean(t) for t in frame["titel"]],
        }
    )


def key_results_table(parts: pd.DataFrame, label: str) -> pd.DataFrame:
    """Each key result that counts members: the county's status and this municipality's part."""
    return pd.DataFrame(
        {
            "Nyckelresultat": [f"{i} {short}" for i, short in zip(parts["id"], parts["kort"])],
            "Länet": [str(status).replace(" ", NBSP) for status in parts["status"]],  # never wrapped
            "Kommunen": [text.key_result_part(row.to_dict(), label) for _, row in parts.iterrows()],
        }
    )
