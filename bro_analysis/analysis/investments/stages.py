"""The investment register as it stood on a date, from its optional stage log
(`investeringar_skeden`: one row per change of stage, with its date).

The register itself holds each project's stage today. With the log, a project decided
in a period and later lost or postponed counts as decided in that period's figures as
they stood at its end, and the report can say which projects changed since.
"""

from __future__ import annotations

import pandas as pd

from bro_analysis.core.periods import Period
from bro_analysis.input.contracts import DECIDED_STAGES

from .numbers import VALUE, realised

LOG = "investeringar_skeden"


def _keys(ids: pd.Series) -> pd.Series:
    """Ids as the loader compares them: without case or surrounding space. (Lookups below map
    through dicts: pandas cannot map through an empty Series of dates.)"""
    return ids.astype(str).str.strip().str.casefold()


def stages_as_of(investments: pd.DataFrame, log: pd.DataFrame, date) -> pd.DataFrame:
    """The register with `skede` as it was on `date` (inclusive): a project's last log entry on
    or before `date`. Before its first entry a project has no recorded stage, so a project whose
    entries all come after `date` has its earliest entry's stage (the first the log knows). A
    project without any entry keeps its current stage. `beslutsdatum` follows the stage: empty
    where the stage then was not decided, and where it was but the register has no decision date
    (a project decided, then lost), the date of its first decided entry up to then. Every row
    is kept, including projects first contacted after `date`."""
    date = pd.Timestamp(date)
    entries = log.assign(_key=_keys(log["id"])).sort_values(["_key", "datum"], kind="stable")
    earliest = entries.groupby("_key", sort=False).head(1)
    latest = entries[entries["datum"] <= date].groupby("_key", sort=False).tail(1)
    then = pd.concat([earliest, latest]).drop_duplicates("_key", keep="last").set_index("_key")
    decided = entries[entries["skede"].isin(DECIDED_STAGES)]
    decided = decided[decided["datum"] <= decided["_key"].map(then["datum"].to_dict())]
    decided_on = decided.groupby("_key", sort=False)["datum"].min()

    out = investments.copy()
    keys = _keys(out["id"])
    logged = keys.isin(then.index).to_numpy()
    stage = keys.map(then["skede"].to_dict())
    out.loc[logged, "skede"] = stage[logged].to_numpy()
    is_decided = out["skede"].isin(DECIDED_STAGES).to_numpy()
    decision = out["beslutsdatum"]
    first_decided = pd.to_datetime(keys.map(decided_on.to_dict())).astype(decision.dtype)
    decision = decision.mask(logged & is_decided & decision.isna().to_numpy(), first_decided)
    out["beslutsdatum"] = decision.mask(logged & ~is_decided)
    return out


def changed_since(investments: pd.DataFrame, log: pd.DataFrame, period: Period, areas=None) -> pd.DataFrame:
    """Projects counted as realised in `period` as the register stood at the period's end that
    are not realised today (lost or postponed since), with `skede_då`, `skede` (today) and
    `ändrat` (the first log entry after the period's end that left the decided stages, else the
    first after it), in the order of their decision."""
    then = realised(stages_as_of(investments, log, period.end), period, areas)
    now_ids = set(_keys(realised(investments, period, areas)["id"]))
    rows = then[~_keys(then["id"]).isin(now_ids)]
    current = investments.assign(_key=_keys(investments["id"])).set_index("_key")
    entries = log.assign(_key=_keys(log["id"]))
    after = entries[entries["datum"] > period.end]
    undecided = after[~after["skede"].isin(DECIDED_STAGES)].groupby("_key")["datum"].min()
    later = undecided.combine_first(after.groupby("_key")["datum"].min())
    keys = _keys(rows["id"])
    return pd.DataFrame(
        {
            "id": rows["id"].to_numpy(),
            "företag": rows["företag"].to_numpy(),
            VALUE: rows[VALUE].to_numpy(),
            "beslutsdatum": rows["beslutsdatum"].to_numpy(),
            "skede_då": rows["skede"].to_numpy(),
            "skede": keys.map(current["skede"].to_dict()).to_numpy(),
            "ändrat": pd.to_datetime(keys.map(later.to_dict())).to_numpy(),
        }
    ).sort_values(["beslutsdatum", "id"], kind="stable", ignore_index=True)
