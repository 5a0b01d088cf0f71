"""Display tables: the numbers with Swedish column names, ready for blocks.table."""

from __future__ import annotations

import pandas as pd

from bro_analysis.analysis import forecast
from bro_analysis.presentation.formatting import fmt_interval, fmt_level, fmt_number, fmt_signed, join_sv

from .numbers import grade, windows_agree
from .text import _one, chance_text

DISPLAY_FORMATS = {
    "NKI": _one,
    "Medel": _one,
    "Regionens NKI": _one,
    "Viktat med antal svar": _one,
    "Föregående": _one,
    "Förändring": fmt_signed,
    "Senaste": _one,
    "Per år": fmt_signed,
    "Prognos": _one,
    "Betyg": _one,
    "Samband med NKI": lambda v: fmt_number(v, 2),
    "Kommuner": lambda v: fmt_number(v, 0),
    "Mätår": lambda v: "–" if pd.isna(v) else str(int(v)),
    "Föregående mätår": lambda v: "–" if pd.isna(v) else str(int(v)),
    "Från": lambda v: fmt_number(v, 0),
}


def formats_for(frame: pd.DataFrame) -> dict:
    """Swedish number formats for the display columns present in `frame`."""
    return {c: f for c, f in DISPLAY_FORMATS.items() if c in frame.columns}


def county_table(table: pd.DataFrame, level: float = 0.95) -> pd.DataFrame:
    """The county per mätår for the report."""
    return pd.DataFrame(
        {
            "Mätår": table["mätår"],
            "Kommuner": table["antal_kommuner"],
            "Medel": table["medel"],
            "Osäkerhetsmarginal": [fmt_interval(lo, hi) for lo, hi in zip(table["ki_nedre"], table["ki_övre"])],
            "Viktat med antal svar": table["viktat_medel"],
            "SKR:s betyg": table["betyg"],
            "Status mot målet": table["status"],
        }
    )


def area_table(areas: pd.DataFrame, level: float = 0.95) -> pd.DataFrame:
    """Each area's regional result (all member municipalities' responses together) for the report."""
    return pd.DataFrame(
        {
            "Område": areas["område"],
            "Regionens NKI": areas["medel"],
            "Osäkerhetsmarginal": [fmt_interval(lo, hi) for lo, hi in zip(areas["ki_nedre"], areas["ki_övre"])],
            "Svar": areas["antal_svar"].map(lambda v: fmt_number(v, 0)),
            "Kommuner": areas["antal_kommuner"],
            "SKR:s betyg": areas["betyg"],
            "Status mot planens gräns": areas["status"],
        }
    )


def below_table(below: pd.DataFrame) -> pd.DataFrame:
    """Municipality × area results under the plan's limit, lowest first."""
    return pd.DataFrame(
        {
            "Kommun": below["kommun"],
            "Område": below["område"],
            "NKI": below["värde"],
            "Svar": below["antal_svar"].map(lambda v: fmt_number(v, 0)),
        }
    )


def changes_table(table: pd.DataFrame, level: float = 0.95) -> pd.DataFrame:
    """Municipalities' change since their previous measurement for the report."""
    return pd.DataFrame(
        {
            "Kommun": table["kommun"] + table["osäker"].map({True: " (osäkert, få svar)", False: ""}),
            "NKI": table["värde"],
            "Mätår": table["föregående_mätår"],
            "Föregående": table["föregående"],
            "Förändring": table["förändring"],
            f"{fmt_level(level)}-intervall för förändringen": [
                fmt_interval(lo, hi, signed=True) for lo, hi in zip(table["ki_nedre"], table["ki_övre"])
            ],
            "Bedömning": table["bedömning"],
        }
    ).rename(columns={"Mätår": "Föregående mätår"})


def trend_table(
    table: pd.DataFrame, target_year: int, settings: dict | None = None, sensitivity: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Trend and forecast per municipality and county for the report; the chance in words.
    The county's word is 'osäkert' when the fitting windows (`sensitivity`) disagree, as in
    the text and on page one."""
    settings = settings or {"nki": {}}
    chances = [chance_text(p, int(n), settings) for p, n in zip(table["sannolikhet_mål"], table["antal_år"])]
    if sensitivity is not None and len(sensitivity) and not windows_agree(sensitivity, forecast.rules(settings)):
        chances = [
            f"{forecast.UNSURE} (beror på vilka mätår linjen bygger på)" if kommun == "Länet" else chance
            for kommun, chance in zip(table["kommun"], chances)
        ]
    return pd.DataFrame(
        {
            "Kommun": table["kommun"],
            "Mätår med resultat": table["antal_år"].map(lambda v: fmt_number(v, 0)),
            "Senaste": table["senaste"],
            "Per år": table["lutning"],
            "Prognos": table["prognos"],
            f"Prognosintervall {target_year}": [
                fmt_interval(lo, hi) for lo, hi in zip(table["prognos_ki_nedre"], table["prognos_ki_övre"])
            ],
            "Att nå målet": chances,
            "Kommentar": table["skäl"].fillna(""),
        }
    ).rename(columns={"Prognos": f"Prognos {target_year}"})


def area_trend_table(by_area: pd.DataFrame, target_year: int, settings: dict) -> pd.DataFrame:
    """Each myndighetsområde's trend (numbers.area_trends) for the report; the chance in words."""
    return pd.DataFrame(
        {
            "Område": by_area["område"],
            "Mätår med resultat": by_area["antal_år"].map(lambda v: fmt_number(v, 0)),
            "Per år": by_area["lutning"],
            f"Prognos {target_year}": by_area["prognos"].map(_one),
            f"Prognosintervall {target_year}": [
                fmt_interval(lo, hi) for lo, hi in zip(by_area["prognos_ki_nedre"], by_area["prognos_ki_övre"])
            ],
            "Att nå gränsen": [
                chance_text(p, int(n), settings) for p, n in zip(by_area["sannolikhet_mål"], by_area["antal_år"])
            ],
            "Kommentar": by_area["skäl"].fillna(""),
        }
    )


def factors_table(factors: pd.DataFrame, level: float = 0.95) -> pd.DataFrame:
    """Service factors for the report, weakest first."""
    ordered = factors.sort_values("betyg")
    return pd.DataFrame(
        {
            "Faktor": ordered["faktor"],
            "Betyg": ordered["betyg"],
            "Samband med NKI": ordered["samband"],
            f"{fmt_level(level)}-intervall för sambandet": [
                f"{fmt_number(lo, 2)}–{fmt_number(hi, 2)}" if pd.notna(lo) else "–"
                for lo, hi in zip(ordered["samband_ki_nedre"], ordered["samband_ki_övre"])
            ],
            "Prioritetsmatris": ordered["kvadrant"],
        }
    )


def bands_table(band_list: list[tuple[str, float]], s1_target: float, s2_target: float) -> pd.DataFrame:
    """SKR's bands beside the plan's targets."""
    rows = []
    for name, low in band_list:
        plan = []
        if grade(s1_target, band_list) == name:
            plan.append(f"planens mål för länets genomsnitt ({fmt_number(s1_target, 0)})")
        if grade(s2_target, band_list) == name:
            plan.append(f"planens ”godkänt” för varje område ({fmt_number(s2_target, 0)})")
        rows.append({"SKR:s betyg": name, "Från": low, "Planens gränser i bandet": join_sv(plan) or "–"})
    return pd.DataFrame(rows)


def scope_table(scopes: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Mätår": scopes["mätår"],
            "Områden i SKR:s total": scopes["områden_i_totalen"],
            "Redovisas separat": scopes["redovisas_separat"],
        }
    )
