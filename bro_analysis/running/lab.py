"""What JupyterLab needs from the package: a post-save hook that keeps `git status` clean.

git's clean filter (nbstripout, set up by `make notebook-filter`) makes a notebook that
Lab saved with outputs equal to the committed one, so `git diff` shows nothing. But git
takes a tracked file whose size changed for modified without running the filter, so `git
status` would list the notebook until `git add`. After each save the hook makes git forget
the file information it keeps in the index for the notebook (the staged content stays the
same), so git compares the content itself, through the filter, the next time it looks.

`make lab` (`python tasks.py lab`) starts Lab with it:
`jupyter lab --ContentsManager.post_save_hook=bro_analysis.running.lab.refresh_git_index`.
"""

from __future__ import annotations

import subprocess
from pathlib import Path


def _git(folder: Path, *args: str) -> str | None:
    """git's output in the folder, or None when git fails or is missing."""
    try:
        done = subprocess.run(["git", *args], cwd=folder, capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout if done.returncode == 0 else None


def refresh_git_index(model: dict, os_path: str, **_: object) -> None:
    """After Lab saves a notebook that git tracks: write the index entry back with the same
    content and mode but no file information, so `git status` compares the notebook through
    the clean filter instead of by its size. Nothing new is staged; outside a repository,
    for an untracked or conflicted notebook, or without git, it does nothing."""
    if model.get("type") != "notebook":
        return
    path = Path(os_path)
    # -z: the path as it is (an å in a name is not quoted), each entry ended by a NUL
    listed = _git(path.parent, "--literal-pathspecs", "ls-files", "-z", "--stage", "--full-name", "--", path.name)
    entries = [e for e in (listed or "").split("\0") if e]
    if len(entries) != 1:
        return  # not tracked, or in conflict (one entry per stage)
    info, name = entries[0].split("\t", 1)
    mode, blob, stage = info.split()
    if stage == "0":
        _git(path.parent, "update-index", "--cacheinfo", f"{mode},{blob},{name}")  # a path from the top
