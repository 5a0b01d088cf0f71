"""Earlier published reports recomputed from today's data: what the committee was shown
that the data no longer say, and why (which input changed, and for investments which
project). Read by the combined report's "Sedan förra rapporten"."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from bro_analysis.analysis import changes, overview
from bro_analysis.analysis.context import open_context
from bro_analysis.core.periods import parse_period, period_label
from bro_analysis.running.archive import Published, latest_publications

UNDERLAG = "underlag"  # the published folder's copy of the data it was made from
# What a change in the investment register is about, with the word the report uses.
_INVESTMENT_FIELDS = {"skede": "skede", "investeringsvärde_msek": "värde (MSEK)", "beslutsdatum": "beslutsdatum"}
MAX_PROJECTS = 3


def recompute(period_key: str, data_dir: Path) -> list[dict]:
    """The period's okr.json records as today's data give them."""
    ctx = open_context(period_key, data_dir)
    return overview.summary_records(ctx, overview.outcomes(ctx))


def _cell(value) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return "–"
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    return str(value)


def investment_changes(before: pd.DataFrame, now: pd.DataFrame) -> list[str]:
    """Projects whose stage, value or decision date differ, and projects added or removed:
    'INV-2025-007 skede beslut → avbrutet'."""
    old, new = before.set_index("id"), now.set_index("id")
    found = [f"{i} finns inte längre i registret" for i in old.index.difference(new.index)]
    found += [f"{i} har tillkommit" for i in new.index.difference(old.index)]
    for project in old.index.intersection(new.index):
        for column, word in _INVESTMENT_FIELDS.items():
            if column in old and column in new:
                was, is_ = _cell(old.at[project, column]), _cell(new.at[project, column])
                if was != is_:
                    found.append(f"{project} {word} {was} → {is_}")
    return found


def data_causes(publication: Published, data_dir: Path) -> str:
    """Which inputs differ from the copy kept with the publication, in a few words."""
    from bro_analysis.input.loading import load_dataset

    kept = {f["fil"]: f["sha256"] for f in publication.manifest.get("filer", [])}
    from bro_analysis.input.loading import sha256

    changed = sorted(
        name
        for name, digest in kept.items()
        if not (Path(data_dir) / name).is_file() or sha256(Path(data_dir) / name) != digest
    )
    if not changed:
        return ""
    text = "ändrade indata: " + ", ".join(changed)
    if any(name.startswith("investeringar") for name in changed) and (publication.folder / UNDERLAG).is_dir():
        try:
            before = load_dataset(publication.folder / UNDERLAG)["investeringar"]
            projects = investment_changes(before, load_dataset(data_dir)["investeringar"])
        except Exception:  # an archived copy that no longer reads under today's contracts
            projects = []
        if projects:
            more = f" och {len(projects) - MAX_PROJECTS} till" if len(projects) > MAX_PROJECTS else ""
            text += f" ({'; '.join(projects[:MAX_PROJECTS])}{more})"
    return text


def revisions(out_root: Path, data_dir: Path, period_key: str) -> list[changes.Change]:
    """Each earlier (or this period's own) latest publication recomputed from today's data:
    the values and statuses that changed since it was published."""
    this = parse_period(period_key)
    found: list[changes.Change] = []
    for key, publication in sorted(latest_publications(out_root).items()):
        period = parse_period(key)
        if period is None or this is None or period.end > this.end:
            continue
        label = f"för {period_label(key)} (publicerad {publication.date})"
        try:
            today = recompute(key, data_dir)
        except Exception as exc:  # e.g. today's data no longer reach back to that period
            found.append(
                changes.Change("", "revidering", f"Rapporten {label} kan inte räknas om med dagens data: {exc}")
            )
            continue
        found += changes.revisions(publication.records, today, label, data_causes(publication, data_dir))
    return found
