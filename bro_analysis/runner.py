"""Run the notebooks for reporting periods with papermill and export them to HTML.

Layout of the outputs for a period:
    outputs/<period>/<notebook>.html                 committee-ready HTML
    outputs/<period>/notebooks/<notebook>.ipynb      the executed notebook
    outputs/<period>/notebooks/<notebook>.failed.ipynb  kept when it failed
Every file is written to a temporary name and renamed into place, so a
failed or interrupted run never leaves a half-written file where a good one was.
"""
from __future__ import annotations

import os
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from .config import NOTEBOOKS_DIR, TEMPLATES_DIR
from .periods import Period

TEMPLATE_NAME = "bro"


@dataclass
class NotebookResult:
    """What happened to one notebook for one period."""

    notebook: str
    period: str
    ok: bool
    seconds: float
    html: Path | None = None
    executed: Path | None = None
    error: str = ""


def list_notebooks(notebooks_dir: Path = NOTEBOOKS_DIR) -> list[Path]:
    """The notebooks to run, in name order."""
    return sorted(p for p in Path(notebooks_dir).glob("*.ipynb") if not p.name.startswith("."))


def write_atomic(path: Path, data: bytes) -> None:
    """Write via a temporary file in the same folder and rename into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, 0o644)  # mkstemp makes it private; outputs are meant to be shared
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def html_exporter():
    """nbconvert's HTML exporter with the project's own template: no code, no prompts."""
    from nbconvert import HTMLExporter
    from nbconvert.preprocessors import TagRemovePreprocessor

    exporter = HTMLExporter(template_name=TEMPLATE_NAME, extra_template_basedirs=[str(TEMPLATES_DIR)])
    exporter.exclude_input = True
    exporter.exclude_input_prompt = True
    exporter.exclude_output_prompt = True
    remover = TagRemovePreprocessor(remove_cell_tags={"parameters", "injected-parameters", "remove-cell"})
    exporter.register_preprocessor(remover, enabled=True)
    return exporter


def export_html(nb, title: str) -> bytes:
    """The executed notebook as committee HTML."""
    nb.metadata.setdefault("bro", {})["title"] = title
    body, _ = html_exporter().from_notebook_node(nb)
    return body.encode("utf-8")


def notebook_title(nb, period: Period) -> str:
    base = nb.metadata.get("bro", {}).get("title", "Uppföljning")
    return f"{base} – {period.label} – Business Region Örebro"


def _error_text(exc: Exception) -> str:
    ename = getattr(exc, "ename", type(exc).__name__)
    evalue = getattr(exc, "evalue", str(exc))
    return f"{ename}: {evalue}".strip()


def run_notebook(notebook: Path, period: Period, data_dir: Path, out_dir: Path) -> NotebookResult:
    """Execute one notebook for one period and export it; never raises for a notebook error."""
    import nbformat
    import papermill as pm

    started = time.perf_counter()
    stem = notebook.stem
    nb_dir = out_dir / "notebooks"
    nb_dir.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{stem}.", suffix=".ipynb", dir=nb_dir)
    os.close(fd)
    tmp = Path(tmp_name)
    params = {"period": period.key, "data_dir": str(Path(data_dir).resolve())}
    try:
        nb = pm.execute_notebook(
            str(notebook), str(tmp), parameters=params, kernel_name="python3",
            cwd=str(notebook.parent), progress_bar=False, log_output=False,
            extra_arguments=["--IPKernelApp.log_level=40"],  # no kernel chatter on the terminal
        )
    except Exception as exc:  # a failing notebook must not stop the others
        failed = nb_dir / f"{stem}.failed.ipynb"
        if tmp.exists() and tmp.stat().st_size:
            os.replace(tmp, failed)
        tmp.unlink(missing_ok=True)
        return NotebookResult(stem, period.key, False, time.perf_counter() - started,
                              executed=failed if failed.exists() else None, error=_error_text(exc))
    try:
        html = export_html(nbformat.from_dict(nb), notebook_title(nb, period))
        html_path = out_dir / f"{stem}.html"
        write_atomic(html_path, html)
        executed = nb_dir / f"{stem}.ipynb"
        os.replace(tmp, executed)
    finally:
        tmp.unlink(missing_ok=True)
    (nb_dir / f"{stem}.failed.ipynb").unlink(missing_ok=True)
    return NotebookResult(stem, period.key, True, time.perf_counter() - started, html_path, executed)


def run_periods(periods: list[Period], data_dir: Path, out_root: Path,
                notebooks: list[Path] | None = None, progress=sys.stderr) -> list[NotebookResult]:
    """Run every notebook for every period; returns one result per notebook and period."""
    notebooks = notebooks or list_notebooks()
    jobs = [(p, nb) for p in periods for nb in notebooks]
    results = []
    for i, (period, nb) in enumerate(jobs, 1):
        print(f"[{i}/{len(jobs)}] {period.key} · {nb.stem} …", file=progress, flush=True)
        result = run_notebook(nb, period, data_dir, out_root / period.key)
        state = "klar" if result.ok else "MISSLYCKADES"
        print(f"[{i}/{len(jobs)}] {period.key} · {nb.stem}: {state} ({result.seconds:.1f} s)",
              file=progress, flush=True)
        results.append(result)
    return results
