"""Display tables for a kommunblad. Numbers stay numbers: each table has its formats, so
blocks.table right-aligns them (class="num")."""

from __future__ import annotations

import pandas as pd

from bro_analysis.presentation.formatting import MISSING, NBSP, fmt_int, fmt_number

from . import text


def _one_decimal(value) -> str:
    return fmt_number(value, 1)


def _count_or_amount(value) -> str:
    """A count as a whole number, an amount (a float) with one decimal, missing as '–'."""
    if value is None or pd.isna(value):
        return MISSING
    return fmt_int(value) if isinstance(value, int) else fmt_number(value, 1)


AREA_FORMATS = {"Kommunen": _one_decimal, "Länet": _one_decimal}


def areas_table(areas: pd.DataFrame, threshold: float) -> pd.DataFrame:
    """Each myndighetsområde: the municipality's NKI, the county's, and the municipality's
    result against the plan's threshold (S2), or that it has too few responses to count."""
    against = [
        "för få svar för att räknas"
        if unsure
        else (f"under {fmt_number(threshold, 0)}" if v < threshold else f"minst {fmt_number(threshold, 0)}")
        for v, unsure in zip(areas["värde"], areas["osäker"].astype(bool))
    ]
    return pd.DataFrame(
        {
            "Myndighetsområde": areas["område"].to_numpy(),
            "Kommunen": areas["värde"].astype(float).to_numpy(),
            "Länet": areas["länet"].astype(float).to_numpy(),
            f"Mot planens {fmt_number(threshold, 0)}": against,
        }
    )


def since_previous_formats(now: str, before: str) -> dict:
    return {now: _count_or_amount, before: _count_or_amount}


def since_previous_table(frame: pd.DataFrame, now: str, before: str) -> pd.DataFrame:
    """Now beside the previous period; counts as whole numbers, amounts with one decimal
    (use since_previous_formats)."""
    shown = pd.DataFrame({"Mått": frame["mått"].to_numpy()})
    amounts = frame["mått"].str.contains("värde")
    for col, label in (("nu", now), ("före", before)):
        shown[label] = pd.Series(
            [
                None if v is None or pd.isna(v) else (float(v) if amount else int(v))
                for v, amount in zip(frame[col], amounts)
            ],
            dtype=object,
        )
    return shown


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
