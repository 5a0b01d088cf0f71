"""What JupyterLab needs from the package: a post-save hook that keeps `git status` clean.

git's clean filter (nbstripout, set up by `make notebook-filter`) makes a notebook that
Lab saved with outputs equal to the committed one, so `git diff` shows nothing. But git
takes a tracked file whose size changed for modified without running the filter, so `git
status` would list the notebook until `git add`. After each save the hook makes git forget
the file information it keeps in the index for the notebook (the staged content stays the
same), so git compares the content itself, through the filter, the next time it looks.

Every Jupyter server of the environment runs it, however it was started (`make lab`,
`jupyter lab`, `uv run jupyter lab`, conda): this module is a server extension that
registers the hook, enabled by `{sys.prefix}/etc/jupyter/jupyter_server_config.d/
bro_analysis.json` (jupyter_server reads the extensions to load from those files; other
settings there it ignores). An installed wheel puts the file there (pyproject.toml's
data-files); in a checkout, whose install is editable and gets no data files, `python
tasks.py lab`, `hooks` and `notebook-filter` write it into .venv (or the conda
environment). `make lab` also names the hook on the command line
(`--ContentsManager.post_save_hook=bro_analysis.running.lab.refresh_git_index`).
Outside a git work tree, or where git has no clean filter for the notebook, the hook
does nothing.
"""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any


def _git(folder: Path, *args: str) -> str | None:
    """git's output in the folder, or None when git fails or is missing."""
    try:
        done = subprocess.run(["git", *args], cwd=folder, capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout if done.returncode == 0 else None


def _filtered(path: Path) -> bool:
    """Whether git cleans the file with a filter it has a clean command for (outside a work
    tree git fails, and the answer is no)."""
    # -z: "<path> NUL filter NUL <value> NUL"; the value is "unspecified" without an attribute
    attribute = (_git(path.parent, "check-attr", "-z", "filter", "--", path.name) or "").split("\0")
    name = attribute[2] if len(attribute) > 2 else "unspecified"
    if name in ("unspecified", "unset", "set"):
        return False
    return bool((_git(path.parent, "config", "--get", f"filter.{name}.clean") or "").strip())


def refresh_git_index(model: dict, os_path: str, **_: object) -> None:
    """After Lab saves a notebook that git tracks: write the index entry back with the same
    content and mode but no file information, so `git status` compares the notebook through
    the clean filter instead of by its size. Nothing new is staged; outside a repository,
    without a clean filter for the notebook, for an untracked or conflicted notebook, or
    without git, it does nothing."""
    if model.get("type") != "notebook":
        return
    path = Path(os_path)
    if not _filtered(path):
        return
    # -z: the path as it is (an å in a name is not quoted), each entry ended by a NUL
    listed = _git(path.parent, "--literal-pathspecs", "ls-files", "-z", "--stage", "--full-name", "--", path.name)
    entries = [e for e in (listed or "").split("\0") if e]
    if len(entries) != 1:
        return  # not tracked, or in conflict (one entry per stage)
    info, name = entries[0].split("\t", 1)
    mode, blob, stage = info.split()
    if stage == "0":
        _git(path.parent, "update-index", "--cacheinfo", f"{mode},{blob},{name}")  # a path from the top


def _jupyter_server_extension_points() -> list[dict[str, str]]:
    """The server extension is this module (enabled in jupyter_server_config.d)."""
    return [{"module": "bro_analysis.running.lab"}]


def _load_jupyter_server_extension(serverapp: Any) -> None:
    """Run refresh_git_index after every save, unless the command line made it the
    post-save hook already (`make lab`)."""
    contents = serverapp.contents_manager
    if getattr(contents, "post_save_hook", None) is not refresh_git_index:
        contents.register_post_save_hook(refresh_git_index)
