"""NKI (SKR Insikt) for myndighetsservice: county averages and municipal series."""
from __future__ import annotations

import pandas as pd


def select(nki: pd.DataFrame, area: str = "totalt", measure: str = "NKI") -> pd.DataFrame:
    """Rows of one area and measure."""
    return nki[(nki["område"] == area) & (nki["mått"] == measure)]


def municipal_series(nki: pd.DataFrame, area: str = "totalt", measure: str = "NKI") -> pd.DataFrame:
    """Wide table: one row per mätår, one column per municipality (missing = not measured)."""
    rows = select(nki, area, measure)
    return rows.pivot_table(index="mätår", columns="kommun", values="värde", aggfunc="first").sort_index()


def county_mean(nki: pd.DataFrame, area: str = "totalt", measure: str = "NKI") -> pd.DataFrame:
    """Per mätår: the unweighted mean over municipalities measured, and how many were."""
    rows = select(nki, area, measure)
    out = rows.groupby("mätår")["värde"].agg(medel="mean", antal_kommuner="count")
    return out.reset_index()


def latest_measurement(county: pd.DataFrame, year: int) -> pd.Series | None:
    """The county row of the latest mätår up to `year`, or None."""
    rows = county[county["mätår"] <= year]
    return rows.iloc[-1] if len(rows) else None


def county_text(county: pd.DataFrame, year: int, target: float) -> str:
    """Swedish sentences on the county mean against the target, from the numbers."""
    from .formatting import fmt_number, fmt_signed

    row = latest_measurement(county, year)
    if row is None:
        return f"Det finns inget NKI-resultat för mätår {year} eller tidigare."
    year_m = int(row["mätår"])
    value = row["medel"]
    verdict = "når" if value >= target else "når inte"
    text = (f"Mätår {year_m} var länets genomsnittliga NKI {fmt_number(value, 1)} "
            f"(medelvärdet av {int(row['antal_kommuner'])} kommuner) och {verdict} målet {fmt_number(target, 0)}.")
    earlier = county[county["mätår"] < year_m]
    if len(earlier):
        prev = earlier.iloc[-1]
        text += (f" Föregående mätning, {int(prev['mätår'])}, var genomsnittet {fmt_number(prev['medel'], 1)}, "
                 f"en förändring med {fmt_signed(value - prev['medel'], 1)} enheter.")
    return text


def trend_alt_text(county: pd.DataFrame, target: float) -> str:
    """Alt text for the trend figure, from its data."""
    from .formatting import fmt_number

    if county.empty:
        return "Diagram utan data."
    first, last = county.iloc[0], county.iloc[-1]
    return (f"Linjediagram över NKI per mätår {int(first['mätår'])}–{int(last['mätår'])}. "
            f"Länets genomsnitt går från {fmt_number(first['medel'], 1)} till {fmt_number(last['medel'], 1)}; "
            f"målet {fmt_number(target, 0)} är en streckad linje. Tunna grå linjer visar varje kommun.")
