"""Helpers shared by the reliability tests: the real CLI (in a subprocess, or its
entry point in this process), copies of the example data to mutate, copies of a
good earlier run to protect, and file snapshots."""

from __future__ import annotations

import contextlib
import csv
import io
import shutil
import subprocess
import sys
from pathlib import Path

from bro_analysis.core.config import EXAMPLE_DATA_DIR, PROJECT_ROOT

ENCODING = "utf-8-sig"  # the example data is UTF-8 with BOM, ';'-separated


def cli(*args: str, timeout: float = 600) -> subprocess.CompletedProcess:
    """`bro-analysis ARGS` exactly as an analyst runs it (stdout, stderr, exit code)."""
    return subprocess.run(
        [sys.executable, "-m", "bro_analysis.running.cli", *args],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def cli_in_process(*args: str) -> subprocess.CompletedProcess:
    """`bro-analysis ARGS` through the console script's own entry point, `cli.main`,
    in this process: the same exit code, stdout and stderr, without a new
    interpreter's start-up (which the subprocess tests cover)."""
    from bro_analysis.running import cli as cli_module

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli_module.main(list(args))
    return subprocess.CompletedProcess(args, code, out.getvalue(), err.getvalue())


def copy_example(folder: Path) -> Path:
    """A private copy of the example data (the original is never touched)."""
    shutil.copytree(EXAMPLE_DATA_DIR, folder)
    return folder


def read_rows(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding=ENCODING), newline=""), delimiter=";"))


def write_rows(path: Path, rows: list[list[str]], sep: str = ";", encoding: str = ENCODING) -> None:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=sep, lineterminator="\r\n").writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Every file under `folder` (hidden ones too): its bytes and modification time."""
    return {
        p.relative_to(folder).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def copy_outputs(src: Path, dest: Path) -> Path:
    """A copy of an outputs folder with the files' modification times kept."""
    shutil.copytree(src, dest, copy_function=shutil.copy2)
    return dest


def no_temp_files(folder: Path) -> list[str]:
    """Temporary files the runner writes (hidden '.name.xxxx.tmp' / '.stem.xxxx.ipynb')."""
    return [p.relative_to(folder).as_posix() for p in folder.rglob(".*") if p.is_file() and p.parent.name != ".cache"]


def make_notebook(path: Path, *codes: str) -> Path:
    """A runnable notebook for the runner that keeps the notebook rules (running/notebook_rules):
    the Lab-only introduction with two `##` headings (cell 1), a parameters cell (period,
    data_dir; cell 2), then one code cell per item of `codes` (cells 3 …)."""
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.metadata["bro"] = {"title": path.stem}
    intro = nbformat.v4.new_markdown_cell(f"# {path.stem}\n\n## Vad\n\nEn testnotebook.\n\n## Hur\n\nKör uppifrån.")
    intro.metadata["tags"] = ["remove-cell"]
    params = nbformat.v4.new_code_cell('period = ""\ndata_dir = ""')
    params.metadata["tags"] = ["parameters"]
    nb.cells = [intro, params, *(nbformat.v4.new_code_cell(code) for code in codes)]
    nbformat.write(nb, path)
    return path
