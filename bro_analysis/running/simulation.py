"""How often M2's status is wrong: simulated pairs of years judged with the same code as
the key result (marketing.numbers.Comparison, the width rule and marketing.conversion_status).

For each true ratio between the years' conversion rates and each size (leads in the
previous year / in the period), draw binomial conversions at a base rate of 13 % and
count how each draw is judged. Run with `make bench` (before the timings) or
`python -m bro_analysis.running.benchmark simulate`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from bro_analysis.analysis import okr
from bro_analysis.analysis.marketing import conversion_status
from bro_analysis.analysis.marketing.numbers import Comparison, Definitions
from bro_analysis.core.config import KeyResult

RATIOS = (1.0, 1.2, 1.44)  # no change, exactly the target, twice the target's log-change
SIZES = ((60, 80), (150, 150), (300, 400))  # (previous year, period)
BASE_RATE = 0.13
TARGET = 0.20
M2 = KeyResult(
    id="M2",
    area="Marknadsföring",
    text="Förbättra konverteringsgraden med minst {mål} jämfört med föregående år",
    metric="konverteringsgrad",
    kind="ökning",
    target=TARGET,
    unit="%",
)
COLUMNS = ("kan inte bedömas", "uppnått", "uppnått utan osäkert", "ej uppnått utan osäkert")


def judge_draw(k1: int, n1: int, k0: int, n0: int, defs: Definitions, kr: KeyResult = M2) -> tuple[str, str]:
    """(status, qualifier) of one simulated pair of full years, as M2 would judge it."""
    cmp = Comparison(n1, k1, n0, k0, defs.confidence, defs.max_interval_ratio)
    return conversion_status(cmp, kr)


def simulate(
    rng: np.random.Generator,
    draws: int = 2000,
    defs: Definitions | None = None,
    ratios: tuple[float, ...] = RATIOS,
    sizes: tuple[tuple[int, int], ...] = SIZES,
    base_rate: float = BASE_RATE,
) -> pd.DataFrame:
    """One row per true ratio and size: the share of draws judged "kan inte bedömas",
    "uppnått" (with or without "osäkert"), "uppnått" without "osäkert" and "ej uppnått"
    without "osäkert"."""
    defs = defs or Definitions(("lead", "kvalificerad", "konverterad"), "konverterad")
    rows = []
    for ratio in ratios:
        for n0, n1 in sizes:
            k0s = rng.binomial(n0, base_rate, draws)
            k1s = rng.binomial(n1, base_rate * ratio, draws)
            verdicts = [judge_draw(int(k1), n1, int(k0), n0, defs) for k0, k1 in zip(k0s, k1s)]
            status = pd.Series([v[0] for v in verdicts])
            sure = pd.Series([not v[1] for v in verdicts])
            rows.append(
                {
                    "sann kvot": ratio,
                    "leads föregående år": n0,
                    "leads perioden": n1,
                    "dragningar": draws,
                    "kan inte bedömas": float((status == okr.UNKNOWN).mean()),
                    "uppnått": float((status == okr.MET).mean()),
                    "uppnått utan osäkert": float(((status == okr.MET) & sure).mean()),
                    "ej uppnått utan osäkert": float(((status == okr.NOT_MET) & sure).mean()),
                }
            )
    return pd.DataFrame(rows)


def table_text(frame: pd.DataFrame) -> str:
    """The simulation as a Markdown table, shares in per cent."""
    head = ["sann kvot", "leads före/nu", *COLUMNS]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for _, r in frame.iterrows():
        shares = " | ".join(f"{100 * r[c]:.1f} %" for c in COLUMNS)
        lines.append(
            f"| {r['sann kvot']:.2f} | {int(r['leads föregående år'])}/{int(r['leads perioden'])} | {shares} |"
        )
    return "\n".join(lines) + "\n"
