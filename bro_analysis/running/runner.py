"""Run the notebooks for reporting periods with papermill and export them to HTML.

Fast by design: papermill and nbconvert are imported once, notebooks run
concurrently in up to `jobs` long-lived kernels (reset between notebooks, so
imports are paid once per kernel, not per notebook), and a notebook whose
inputs have not changed is not run again (see cache.py).

Layout of the outputs for a period:
    outputs/<period>/<notebook>.html                 committee-ready HTML
    outputs/<period>/notebooks/<notebook>.ipynb      the executed notebook
    outputs/<period>/notebooks/<notebook>.failed.ipynb  kept when it failed
Every file is written to a temporary name and renamed into place, so a
failed or interrupted run never leaves a half-written file where a good one was.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import re
import shutil
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import wait as futures_wait
from dataclasses import dataclass
from pathlib import Path

from bro_analysis.core.config import MEMBERS_DIR, REPORT_NAME, find_workdir, load_plan
from bro_analysis.core.files import write_atomic
from bro_analysis.core.periods import Period
from bro_analysis.running import cache
from bro_analysis.running.export import export_html, notebook_title
from bro_analysis.running.parameters import parameters


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
    cached: bool = False
    member: tuple[str, str] | None = None  # (code, name) of a kommunblad's municipality


def _bro_metadata(notebook: Path) -> dict:
    return json.loads(notebook.read_text(encoding="utf-8")).get("metadata", {}).get("bro", {})


def is_per_member(notebook: Path) -> bool:
    """True for a notebook run once per member municipality (`"bro": {"per_member": true}`)."""
    return bool(_bro_metadata(notebook).get("per_member"))


def member_stem(code: str, name: str) -> str:
    """'1880_Orebro': a kommunblad's file name, ASCII so that every system can open it."""
    ascii_ = name.translate(str.maketrans("åäöÅÄÖéÉ", "aaoAAOeE"))
    return f"{code}_{re.sub(r'[^A-Za-z0-9]+', '-', ascii_).strip('-')}"


def publishes_summary(notebook: Path) -> bool:
    """True for a notebook whose metadata says it publishes the key-result summary
    (`"bro": {"publishes_summary": true}`; the overview)."""
    return bool(_bro_metadata(notebook).get("publishes_summary"))


def list_notebooks(notebooks_dir: Path | None = None) -> list[Path]:
    """The notebooks to run, in name order (default: the working folder's, see config.find_workdir)."""
    folder = Path(notebooks_dir) if notebooks_dir else find_workdir().notebooks
    return sorted(p for p in folder.glob("*.ipynb") if not p.name.startswith("."))


def _error_text(exc: Exception) -> str:
    ename = getattr(exc, "ename", type(exc).__name__)
    evalue = getattr(exc, "evalue", str(exc))
    return f"{ename}: {evalue}".strip()


KERNEL_ARGS = ["--IPKernelApp.log_level=40"]  # no kernel chatter on the terminal
WARM_UP = "import bro_analysis.analysis.overview, bro_analysis.analysis.context, bro_analysis.analysis.summary"
RESET = "get_ipython().reset(new_session=True)"
ASYNC_CLIENT = "jupyter_client.asynchronous.AsyncKernelClient"


def _blocking_client(km):
    """A blocking client of the manager's kernel, for the runner's own short requests."""
    from jupyter_client.blocking import BlockingKernelClient

    return BlockingKernelClient(**km.get_connection_info(session=True), connection_file=km.connection_file, parent=km)


def _start_kernel(cwd: Path):
    """A started python3 kernel manager that imports the package as the kernel starts."""
    from jupyter_client.manager import KernelManager

    # Unix sockets in a private folder rather than TCP ports where the system has them:
    # kernels started at the same moment by other processes (parallel runs, a busy
    # machine) can be handed the same free port, and then one kernel hears another.
    sockets = {}
    if os.name == "posix":
        sockets = {"transport": "ipc", "ip": os.path.join(tempfile.mkdtemp(prefix="bro-kernel-"), "k")}
    # papermill gets an asynchronous client from this manager: a blocking one
    # would wait forever for output from a kernel that died (os._exit, a crash).
    km = KernelManager(kernel_name="python3", client_class=ASYNC_CLIENT, **sockets)
    km.start_kernel(cwd=str(cwd), extra_arguments=KERNEL_ARGS + [f"--IPKernelApp.exec_lines={WARM_UP}"])
    return km


def _remove_sockets(km) -> None:
    """The private socket folder of an ipc kernel, once its manager has cleaned up."""
    if km.transport == "ipc":
        shutil.rmtree(os.path.dirname(km.ip), ignore_errors=True)


class Kernel:
    """A long-lived python3 kernel that runs one notebook after another.

    The kernel imports the analysis package as it starts (exec_lines), so that
    kernels warm up while the runner itself imports papermill and nbconvert."""

    def __init__(self, cwd: Path | None = None):
        self.cwd = cwd or find_workdir().notebooks
        self.km = _start_kernel(self.cwd)

    def run_code(self, code: str) -> None:
        client = _blocking_client(self.km)  # made in the calling thread: zmq sockets are not thread-safe
        client.start_channels()
        try:
            client.wait_for_ready(timeout=120)
            client.execute_interactive(code, timeout=120, output_hook=lambda _msg: None)
        finally:
            client.stop_channels()

    def reset(self) -> None:
        """Forget the last notebook's variables (imported modules stay loaded);
        restart the kernel if the notebook killed it."""
        if not self.km.is_alive():  # a fresh manager: the old one's sockets are closed
            self.km.cleanup_resources()
            _remove_sockets(self.km)
            self.km = _start_kernel(self.cwd)
            return
        self.run_code(RESET)

    def shutdown(self) -> None:
        try:
            self.km.shutdown_kernel(now=True)  # also removes the connection and socket files
        finally:
            _remove_sockets(self.km)


TEMP_DIR = ".tmp"  # under the output folder: a run's unfinished files, removed at the next start
DEFAULT_CELL_TIMEOUT = 900  # seconds; settings.toml [körning] tidsgräns_per_cell_sekunder
INTERRUPT_GRACE = 10  # seconds an interrupted notebook has to stop before its kernel is stopped


def cell_timeout() -> int:
    """The time limit for one notebook cell, from settings.toml."""
    from bro_analysis.core.config import load_settings

    return int(load_settings().get("körning", {}).get("tidsgräns_per_cell_sekunder", DEFAULT_CELL_TIMEOUT))


def clean_stale(out_root: Path) -> None:
    """Remove what an interrupted or killed run left behind: its temporary folder and any
    half-written file of an atomic write (`.name.xxxx.tmp`)."""
    shutil.rmtree(out_root / TEMP_DIR, ignore_errors=True)
    if out_root.is_dir():
        for stale in out_root.rglob(".*.tmp"):
            stale.unlink(missing_ok=True)


def _stopped_cell(path: Path) -> str:
    """Which cell a failed or stopped notebook was in, from papermill's record in it."""
    import nbformat

    try:
        nb = nbformat.read(path, as_version=4)
    except Exception:
        return ""
    added = ("papermill-error-cell-tag", "injected-parameters")  # cells papermill put in
    own = [c for c in nb.cells if not set(c.get("metadata", {}).get("tags", [])) & set(added)]
    for i, cell in enumerate(own, 1):
        status = cell.get("metadata", {}).get("papermill", {}).get("status")
        if status in ("running", "failed") or any(o.get("output_type") == "error" for o in cell.get("outputs", [])):
            first = next((line for line in cell.source.splitlines() if line.strip()), "")
            return f" (cell {i}: {first[:60]})"
    return ""


def _record(notebook: Path, member: tuple[str, str] | None) -> tuple[str, str]:
    """(cache record name, HTML path under the period's folder) of a notebook run."""
    if member is None:
        return notebook.stem, f"{notebook.stem}.html"
    stem = member_stem(*member)
    return f"{notebook.stem}-{stem}", f"{MEMBERS_DIR}/{stem}.html"


def run_notebook(
    notebook: Path,
    period: Period,
    data_dir: Path,
    out_dir: Path,
    kernel: Kernel | None = None,
    tmp_dir: Path | None = None,
    timeout: int | None = None,
    member: tuple[str, str] | None = None,
) -> NotebookResult:
    """Execute one notebook for one period and export it; never raises for a notebook error.
    A cell that runs longer than `timeout` seconds is stopped and the notebook reported as failed."""
    import nbformat
    import papermill as pm

    started = time.perf_counter()
    stem = notebook.stem
    if member is not None:  # a kommunblad: outputs/<period>/kommuner/<kod>_<namn>.html
        stem, out_dir = member_stem(*member), out_dir / MEMBERS_DIR
    nb_dir = out_dir / "notebooks"
    nb_dir.mkdir(parents=True, exist_ok=True)
    tmp_dir = tmp_dir or nb_dir
    tmp_dir.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{stem}.", suffix=".ipynb", dir=tmp_dir)
    os.close(fd)
    tmp = Path(tmp_name)
    timeout = timeout or cell_timeout()
    params = parameters(period, data_dir, member[0] if member else None)
    # papermill's cwd= changes the process's working directory, which threads share:
    # a pooled kernel already runs in the notebooks folder, so it is only passed without one.
    extra = {"km": kernel.km} if kernel else {"cwd": str(notebook.parent)}
    try:
        nb = pm.execute_notebook(
            str(notebook),
            str(tmp),
            parameters=params,
            kernel_name="python3",
            progress_bar=False,
            log_output=False,
            extra_arguments=KERNEL_ARGS,
            execution_timeout=timeout,
            interrupt_on_timeout=True,  # the pooled kernel is freed for the next notebook
            **extra,
        )
    except Exception as exc:  # a failing notebook must not stop the others
        failed = nb_dir / f"{stem}.failed.ipynb"
        where = _stopped_cell(tmp) if tmp.exists() and tmp.stat().st_size else ""
        if tmp.exists() and tmp.stat().st_size:
            os.chmod(tmp, 0o644)
            os.replace(tmp, failed)
        tmp.unlink(missing_ok=True)
        error = _error_text(exc)
        # On timeout papermill interrupts the kernel, so the cell ends in KeyboardInterrupt
        # (a Ctrl-C of the whole run stops it in the main thread instead).
        if error.startswith("KeyboardInterrupt") or type(exc).__name__ == "CellTimeoutError":
            error = f"en cell var inte klar efter {timeout} s och stoppades (tidsgräns i settings.toml)"
        return NotebookResult(
            stem,
            period.key,
            False,
            time.perf_counter() - started,
            executed=failed if failed.exists() else None,
            error=error + where,
        )
    except BaseException:  # Ctrl-C: no half-written notebook left behind
        tmp.unlink(missing_ok=True)
        raise
    try:
        title = notebook_title(nb, period)
        if member is not None:  # a kommunblad names its municipality (WCAG 2.4.2)
            title = f"Kommunblad för {member[1]} – {period.label} – Business Region Örebro"
        html = export_html(nbformat.from_dict(nb), title)
        html_path = out_dir / f"{stem}.html"
        write_atomic(html_path, html)
        executed = nb_dir / f"{stem}.ipynb"
        os.chmod(tmp, 0o644)  # mkstemp makes it private; outputs are meant to be shared
        os.replace(tmp, executed)
    finally:
        tmp.unlink(missing_ok=True)
    (nb_dir / f"{stem}.failed.ipynb").unlink(missing_ok=True)
    return NotebookResult(stem, period.key, True, time.perf_counter() - started, html_path, executed)


class _Pool:
    """Kernels started up front, one handed to each worker thread on first use."""

    def __init__(self, size: int):
        import queue

        self.free: queue.Queue[Kernel] = queue.Queue()
        self.closed = False
        self.kernels = [Kernel() for _ in range(size)]
        for kernel in self.kernels:
            self.free.put(kernel)
        self.local = threading.local()

    def kernel(self) -> Kernel:
        if getattr(self.local, "kernel", None) is None:
            self.local.kernel = self.free.get()
        return self.local.kernel

    def interrupt(self) -> None:
        """Interrupt every kernel: the kernels run in their own process group, so a
        Ctrl-C on the terminal does not reach them by itself."""
        for kernel in self.kernels:
            with contextlib.suppress(Exception):  # a kernel that is gone needs no interrupt
                kernel.km.interrupt_kernel()

    def shutdown(self) -> None:
        """Stop every kernel, once (after a Ctrl-C it may already have been called)."""
        self.closed = True  # a worker finishing now must not restart its kernel
        kernels, self.kernels = self.kernels, []
        for kernel in kernels:
            with contextlib.suppress(Exception):  # a dead kernel is already shut down
                kernel.shutdown()


def run_periods(
    periods: list[Period],
    data_dir: Path,
    out_root: Path,
    notebooks: list[Path] | None = None,
    progress=sys.stderr,
    combine: bool = True,
    jobs: int | None = None,
    force: bool = False,
    reuse_kernels: bool = True,
    compare_with: Path | None = None,
    replaced: list[Path] | None = None,
    timeout: int | None = None,
    members: list[str] | None = None,
    before_running: Callable[[], None] | None = None,
) -> list[NotebookResult]:
    """Run every notebook for every period; returns one result per notebook and period
    (and per combined report). A notebook marked per member (a kommunblad) runs once for
    each of `members` (member codes; default: all the plan's members).

    Up to `jobs` notebooks run at once (default: the number of cores). A notebook
    whose notebook file, parameters, input data, configuration and package code are
    unchanged since its last successful run is taken from the cache unless `force`.
    With `combine`, a period whose notebooks all succeeded also gets the combined
    committee report and okr.csv/okr.json; a period with a failure gets none
    (a committee document is never half-made), and the failure is reported.

    `before_running` is called once before the first notebook starts, and not at all when
    everything comes from the cache (the CLI checks the plan's mått there).

    Every output file this run replaces is appended to `replaced` as soon as it is in
    place, so that an interrupted run can say exactly what changed. Unfinished files
    live in the output folder's .tmp/, which the next run clears first."""
    notebooks = [Path(nb).resolve() for nb in (notebooks or list_notebooks())]
    data_dir, out_root = Path(data_dir).resolve(), Path(out_root).resolve()
    replaced = replaced if replaced is not None else []
    clean_stale(out_root)
    tmp_dir = out_root / TEMP_DIR
    timeout = timeout or cell_timeout()
    jobs = max(1, jobs or os.cpu_count() or 1)
    inputs = cache.input_digest(data_dir)
    plan_members = load_plan().members
    chosen = [(code, plan_members[code]) for code in (members or plan_members)]
    work = [
        (p, nb, member, cache.notebook_key(nb, p, data_dir, inputs, member[0] if member else None))
        for p in periods
        for nb in notebooks
        for member in (chosen if is_per_member(nb) else [None])
    ]

    def fresh(item) -> bool:
        period, nb, member, key = item
        name, html_name = _record(nb, member)
        return cache.is_fresh(out_root / period.key, name, key, html_name=html_name)

    stale = [w for w in work if force or not fresh(w)]
    if stale and before_running is not None:
        before_running()
    jobs = min(jobs, max(1, len(stale)))
    # The combined report of each period is counted with the notebooks, so the count ends where the CLI's does.
    combining = combine and any(publishes_summary(nb) for nb in notebooks)
    say = _Progress(progress, len(work) + (len(periods) if combining else 0))
    pool = _Pool(jobs if stale and reuse_kernels else 0)
    if stale:
        import nbconvert  # noqa: F401 - imported here, while the kernels start
        import papermill  # noqa: F401

    def one(item):
        period, nb, member, key = item
        out_dir = out_root / period.key
        name, html_name = _record(nb, member)
        if item not in stale:
            html = out_dir / html_name
            result = NotebookResult(
                name, period.key, True, 0.0, html, html.parent / "notebooks" / f"{html.stem}.ipynb", cached=True
            )
        else:
            say.start(period.key, name)
            cache.forget(out_dir, name)
            kernel = pool.kernel() if reuse_kernels else None
            result = run_notebook(nb, period, data_dir, out_dir, kernel, tmp_dir, timeout, member)  # errors are results
            result.notebook = name
            if kernel and not pool.closed:
                kernel.reset()
            if result.ok:
                replaced.extend(p for p in (result.html, result.executed) if p)
                cache.remember(out_dir, name, key)
        result.member = member
        say.done(result)
        return result

    # Notebooks run in worker threads even with one job: the main thread only waits,
    # so Ctrl-C always reaches it here (inside papermill's event loop it could be
    # swallowed) and the kernels, in their own process group, are interrupted.
    try:
        with ThreadPoolExecutor(max_workers=jobs) as executor:
            futures = [executor.submit(one, item) for item in work]
            try:
                results = [future.result() for future in futures]
            except BaseException:  # Ctrl-C: start no further notebook, stop the running ones
                executor.shutdown(wait=False, cancel_futures=True)
                pool.interrupt()
                # An interrupt that reaches a kernel between a cell and its reply loses the
                # reply, and papermill would wait for it until the cell's time limit: kernels
                # still busy after a grace period are stopped (papermill then sees them dead).
                if futures_wait(futures, timeout=INTERRUPT_GRACE).not_done:
                    pool.shutdown()
                raise
    finally:
        pool.shutdown()
        shutil.rmtree(tmp_dir, ignore_errors=True)
    # The combined report needs the notebook that publishes the key-result summary (the overview).
    if combining:
        for period in periods:
            combined = _combine(
                period,
                data_dir,
                out_root / period.key,
                [r for r in results if r.period == period.key],
                inputs,
                force,
                progress,
                compare_with,
                replaced,
            )
            say.done(combined)
            results.append(combined)
    return results


class _Progress:
    """Thread-safe progress lines on stderr."""

    def __init__(self, stream, total: int):
        self.stream, self.total, self.count = stream, total, 0
        self.lock = threading.Lock()

    def start(self, period: str, stem: str) -> None:
        with self.lock:
            print(f"       {period} · {stem} körs …", file=self.stream, flush=True)

    def done(self, result: NotebookResult) -> None:
        with self.lock:
            self.count += 1
            state = "från cache" if result.cached else ("klar" if result.ok else "MISSLYCKADES")
            print(
                f"[{self.count}/{self.total}] {result.period} · {result.notebook}: {state} ({result.seconds:.1f} s)",
                file=self.stream,
                flush=True,
            )


def _combine(
    period: Period,
    data_dir: Path,
    out_dir: Path,
    results: list[NotebookResult],
    inputs: str,
    force: bool,
    progress,
    compare_with: Path | None = None,
    replaced: list[Path] | None = None,
) -> NotebookResult:
    """The combined report for a period, when every notebook of it succeeded. "Sedan förra
    rapporten" compares with the last published report of an earlier period (or the okr.json
    given with --jämför) and lists the revisions of published reports; the cache key includes
    every publication it reads."""
    from bro_analysis.running.archive import (
        RUN_MANIFEST,
        last_published_before,
        latest_publications,
        write_run_manifest,
    )
    from bro_analysis.running.combine import published_earlier, read_earlier, write_period_report
    from bro_analysis.running.revisions import revisions

    started = time.perf_counter()
    html = out_dir / REPORT_NAME.format(period=period.key)
    name = html.stem
    if not all(r.ok for r in results):
        return NotebookResult(
            name, period.key, False, 0.0, error="samlad rapport gjordes inte eftersom en notebook misslyckades"
        )
    out_root = out_dir.parent
    published = [p.folder / "okr.json" for p in latest_publications(out_root).values()]
    compared = "".join(cache.file_digest(p) for p in [*([compare_with] if compare_with else []), *published])
    key = cache.combined_key([cache.read_key(out_dir, r.notebook) for r in results], inputs + compared)
    if not force and cache.is_fresh(out_dir, name, key, html_name=html.name):
        if not (out_dir / RUN_MANIFEST).exists():  # same inputs as the report's run
            write_run_manifest(out_dir, data_dir, dt.datetime.now().astimezone())
        return NotebookResult(name, period.key, True, 0.0, html=html, cached=True)
    try:
        cache.forget(out_dir, name)
        (out_dir / RUN_MANIFEST).unlink(missing_ok=True)  # never beside a report of other data
        last = last_published_before(out_root, period.key)
        earlier = read_earlier(compare_with) if compare_with else (published_earlier(last) if last else None)
        written = write_period_report(
            [r.executed for r in results if r.executed and r.member is None],
            out_dir,
            compare_with=earlier,
            members=[(*r.member, r.html.relative_to(out_dir).as_posix()) for r in results if r.member and r.html],
            revised=revisions(out_root, data_dir, period.key),
        )
        if replaced is not None:
            replaced.extend([written, out_dir / "okr.csv", out_dir / "okr.json"])
        write_run_manifest(out_dir, data_dir, dt.datetime.now().astimezone())
    except Exception as exc:  # reported like a failed notebook, the others stand
        return NotebookResult(name, period.key, False, time.perf_counter() - started, error=_error_text(exc))
    cache.remember(out_dir, name, key)
    print(f"{period.key} · samlad rapport: {html}", file=progress, flush=True)
    return NotebookResult(name, period.key, True, time.perf_counter() - started, html=html)
