"""A member municipality's part in a key result, for its kommunblad: the roles, and the small
helpers an area package's `about.MEMBER_PARTS` is built from.

`MEMBER_PARTS` maps each mått the package computes to a function
(ctx, kr, outcome, code, name) -> dict: `roll`, one of the roles below, and the facts the
package's sentence for it needs (about.MEMBER_LINES, or for a count of activities the word in
about.MEMBER_COUNTS). profile.numbers asks the package that computes a key result (its
METRICS) for its entry, so a copied package brings its own. The area packages may import this
module; it imports none of them."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from bro_analysis.analysis import okr
from bro_analysis.core.periods import Period

# A member's part: it counts toward the key result or holds it back ('alla' key results), it
# takes part or not (counts, where staying out holds nothing back), or it cannot be judged.
COUNTS, HOLDS_BACK, UNKNOWN = "bidrar", "håller tillbaka", "kan inte bedömas"
TAKES_PART, NOT_TAKING_PART = "deltar", "deltar inte"

Part = Callable[..., dict]  # (ctx, kr, outcome, code, name) -> dict with "roll"


def activity_gap(ctx, kinds, period: Period | None = None) -> str | None:
    """Why the activity register cannot count these activity types in the period (it does not
    reach back, or settings.toml [täckning] dates a type after it), or None when it can."""
    register = okr.category_register(ctx, "aktiviteter", "datum", "aktivitetsregistret", "typ", kinds)
    return okr.uncovered(register, period or ctx.period)


def activities_of(ctx, kind: str, period: Period | None = None) -> pd.DataFrame:
    """The activity register's rows of one type dated in the period."""
    acts, period = ctx.dataset["aktiviteter"], period or ctx.period
    return acts[(acts["typ"] == kind) & period.contains(acts["datum"])]


def taking_part(code: str, rows: pd.DataFrame) -> dict:
    """How many of `rows` (activities, column `kommuner`) the member took part in, of how many:
    `antal`, `av`, and `roll` deltar or deltar inte."""
    count = int(rows["kommuner"].map(lambda codes: code in codes).sum())
    return {"antal": count, "av": len(rows), "roll": TAKES_PART if count else NOT_TAKING_PART}


def activity_count_part(kind: str, rows: Callable[[object], pd.DataFrame] | None = None) -> Part:
    """The part in a key result that counts activities of type `kind` (taking_part); kan inte
    bedömas where the register does not cover the type in the period (a count would be a
    false 0). `rows(ctx)` picks the counted activities where not every one of the type in the
    period counts; by default activities_of(ctx, kind)."""

    def part(ctx, kr, outcome, code: str, name: str) -> dict:
        if activity_gap(ctx, [kind]):
            return {"roll": UNKNOWN}
        return taking_part(code, rows(ctx) if rows else activities_of(ctx, kind))

    return part


def every_member_part(ctx, kr, outcome, code: str, name: str) -> dict:
    """The part in a key result every member must meet ('alla'): håller tillbaka where the
    outcome names the member among those missing (Outcome.missing), else bidrar; kan inte
    bedömas when the key result has no value."""
    if outcome.value is None:
        return {"roll": UNKNOWN}
    return {"roll": HOLDS_BACK if name in outcome.missing else COUNTS}
