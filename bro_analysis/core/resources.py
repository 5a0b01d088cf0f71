"""The files the package ships: the notebooks, the plan and settings as delivered, the
contracts' README and the example data.

In a source checkout they are the repository's `notebooks/` and `data/`; an installed
wheel carries the same folders inside the package as `bro_analysis/notebooks/` and
`bro_analysis/data/` (pyproject.toml maps them there). `bro-analysis init` copies them
into a new working folder, and a working folder without notebooks of its own runs these.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parents[1]
CHECKOUT_DIR = PACKAGE_DIR.parent


def shipped(name: str) -> Path:
    """The shipped folder `name` ("notebooks" or "data"): inside the installed package,
    else in the source checkout. A FileNotFoundError naming both places when neither has it."""
    places = [PACKAGE_DIR / name, CHECKOUT_DIR / name]
    for folder in places:
        if folder.is_dir():
            return folder
    raise FileNotFoundError(f"paketets mapp {name}/ saknas; letade i {places[0]} och {places[1]}")


def shipped_notebooks() -> list[Path]:
    """The notebooks a report runs, in name order."""
    return sorted(p for p in shipped("notebooks").glob("*.ipynb") if not p.name.startswith("."))
