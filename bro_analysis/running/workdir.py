"""`bro-analysis init MAPP`: a working folder of the analyst's own, outside any source checkout.

    MAPP/
      okr.toml, settings.toml   the plan and the settings, as the package delivers them
      notebooks/                the notebooks a report runs (edit them here)
      data/README.md            the data contracts; the analyst's tables go beside it
      mallar/                   an Excel entry template per hand-typed register
      exempeldata/              the example data, with --exempeldata
      outputs/                  made by the first run

The commands find the folder by itself when run in it or below it (config.find_workdir).
"""

from __future__ import annotations

import shutil
from pathlib import Path

from bro_analysis.core.config import PLAN_NAME, SETTINGS_NAME, Plan, load_plan
from bro_analysis.core.resources import shipped, shipped_notebooks
from bro_analysis.input.templates import write_templates

# Where a new working folder keeps its Excel entry templates.
TEMPLATES_FOLDER = "mallar"


class WorkdirExists(ValueError):
    """The folder to create already holds something; nothing is written into it."""


def create_workdir(folder: Path | str, example: bool = False) -> list[Path]:
    """Make the working folder `folder` (new, or empty) from the package's files; returns
    what it made at the top. A WorkdirExists when the folder is a file or not empty."""
    folder = Path(folder)
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        what = "är en fil" if not folder.is_dir() else "finns redan och är inte tom"
        raise WorkdirExists(
            f"{folder} {what}; init skriver aldrig över något. Ange en ny eller tom mapp, t.ex. {folder}-ny."
        )
    delivered = shipped("data")
    (folder / "notebooks").mkdir(parents=True, exist_ok=True)
    for name in (PLAN_NAME, SETTINGS_NAME):
        shutil.copy(delivered / name, folder / name)
    for notebook in shipped_notebooks():
        shutil.copy(notebook, folder / "notebooks" / notebook.name)
    (folder / "data").mkdir()
    shutil.copy(delivered / "README.md", folder / "data" / "README.md")
    if example:
        shutil.copytree(delivered / "example", folder / "exempeldata")
    add_templates(folder, load_plan(folder / PLAN_NAME))
    return sorted(folder.iterdir())


def add_templates(folder: Path, plan: Plan) -> None:
    """The Excel entry templates of a new working folder, in mallar/ (bro-analysis mallar)."""
    write_templates(folder / TEMPLATES_FOLDER, plan)
