"""Display tables: the numbers with Swedish column names, ready for blocks.table."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .numbers import STAGE_LABELS


def _totals_columns(frame: pd.DataFrame) -> dict:
    """The columns `by_target_area` and `by_municipality` share, with their report names."""
    return {
        "Beslutade projekt": frame["projekt"],
        "Värde, MSEK": frame["värde_msek"],
        "varav uppskattat, MSEK": frame["uppskattat_msek"],
        "Arbetstillfällen": frame["arbetstillfällen"],
        "Öppna projekt": frame["pipeline_projekt"],
        "Öppet värde, MSEK": frame["pipeline_msek"],
    }


def target_area_table(frame: pd.DataFrame) -> pd.DataFrame:
    """`by_target_area` for the report; an area recorded only after the period says so, without numbers."""
    label = frame["målområde"] + np.where(frame["prioriterat"], " (prioriterat)", "")
    if "förs_från" in frame:
        late = frame["förs_från"].notna()
        label[late] += frame.loc[late, "förs_från"].map(lambda d: f" – kan inte bedömas, förs från {d:%Y-%m-%d}")
    return pd.DataFrame({"Målområde": label, **_totals_columns(frame)})


def municipality_table(frame: pd.DataFrame) -> pd.DataFrame:
    """`by_municipality` for the report."""
    return pd.DataFrame({"Kommun": frame["kommun"], **_totals_columns(frame)})


def funnel_table(frame: pd.DataFrame) -> pd.DataFrame:
    """`funnel` for the report."""
    return pd.DataFrame(
        {
            "Skede": frame["skede"].map(STAGE_LABELS),
            "I skedet nu": frame["i_skedet"],
            "Nått minst skedet": frame["nått_minst"],
            "Andel från föregående skede": frame["konvertering"],
            "Värde i skedet, MSEK": frame["värde_msek"],
            "varav uppskattat, MSEK": frame["uppskattat_msek"],
        }
    )


def top_table(frame: pd.DataFrame) -> pd.DataFrame:
    """`top_projects` for the report."""
    return pd.DataFrame(
        {
            "Företag": frame["företag"],
            "Kommun": frame["kommun"],
            "Målområde": frame["målområde"],
            "Värde, MSEK": frame["värde_msek"],
            "Andel av totalen": frame["andel"],
            "Uppskattat värde": frame["uppskattat"],
        }
    )


def yearly_table(frame: pd.DataFrame) -> pd.DataFrame:
    """`yearly_totals` for the report."""
    return pd.DataFrame(
        {
            "År": frame["år"].astype(int).astype(str),
            "Beslutade projekt": frame["projekt"],
            "Värde, MSEK": frame["värde_msek"],
            "varav uppskattat, MSEK": frame["uppskattat_msek"],
            "Största projektet, MSEK": frame["största_msek"],
            "Utan det största, MSEK": frame["utan_största_msek"],
        }
    )
