"""Benchmark: the runner against the naive shell baseline, and the notebooks'
computations at 1×, 10× and 100× the example data. Not a test: run it with
`make bench` (or `python -m bro_analysis.running.benchmark`); every figure is measured
in the same run on the same machine and written to outputs/benchmark/. It begins with
a simulation of how often M2's status is wrong (running/simulation.py; alone:
`python -m bro_analysis.running.benchmark simulate`). `first-run` alone times `python tasks.py
report` in a fresh clone (a new .venv, uv, the install and the report).

Baseline: for each notebook and period, `papermill` then `jupyter nbconvert
--to html --no-input` from the shell, one after another, as one would by hand.
"""

from __future__ import annotations

import argparse
import json
import math
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bro_analysis.core.config import EXAMPLE_DATA_DIR, OUTPUTS_DIR, PROJECT_ROOT, load_plan
from bro_analysis.running.runner import is_per_member, list_notebooks

BIN = Path(sys.executable).parent
# Seven full years and a part year of the example data (a year not yet over cannot run as a full year).
BACKFILL = [*(str(y) for y in range(2019, 2026)), "2026-08"]
SCALES = (1, 10, 100)
TARGETS = {
    "first_run_seconds": 30.0,
    "one_period": 0.3,
    "backfill": 0.2,
    "warm_seconds": 2.0,
    "compute_seconds_100x": 5.0,
    "profiles": 2.0,
}


def _timed(cmd: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def naive(periods: list[str], data_dir: Path, out: Path) -> float:
    """papermill + nbconvert from the shell for every notebook and period, in sequence."""
    total = 0.0
    members = list(load_plan().members)
    for period in periods:
        for nb in list_notebooks():
            for member in members if is_per_member(nb) else [None]:
                executed = out / period / (f"{nb.stem}_{member}.ipynb" if member else nb.name)
                executed.parent.mkdir(parents=True, exist_ok=True)
                params = ["-p", "period", period, "-p", "data_dir", str(data_dir)]
                params += ["-r", "kommun", member] if member else []
                total += _timed([str(BIN / "papermill"), str(nb), str(executed), *params, "--cwd", str(nb.parent)])
                total += _timed([str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input", str(executed)])
    return total


def runner(periods: list[str], data_dir: Path, out: Path, force: bool, *options: str) -> float:
    cmd = [str(BIN / "bro-analysis"), "run", "--data", str(data_dir), "--out", str(out), "--period", *periods]
    return _timed(cmd + (["--force"] if force else []) + list(options))


def compute_cells(notebook: Path, data_dir: Path, period: str) -> dict:
    """Run a notebook's code in this process with display switched off; the analysis
    modules are imported first, as in a warm kernel, so only the computation is timed."""
    import nbformat

    from bro_analysis.running.runner import WARM_UP

    exec(WARM_UP)  # what a pooled kernel has imported before its first notebook
    import bro_analysis.analysis.summary  # noqa: F401

    nb = nbformat.read(notebook, as_version=4)
    namespace = {"display": lambda *a, **k: None}
    started = time.perf_counter()
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        code = cell.source.replace("from IPython.display import display", "")
        if "parameters" in cell.metadata.get("tags", []):
            code += f"\nperiod = {period!r}\ndata_dir = {str(data_dir)!r}\n"
        exec(compile(code, notebook.name, "exec"), namespace)
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "peak_mb": _peak_mb()}


def _peak_mb() -> float:
    """This process's peak memory (POSIX only; NaN elsewhere)."""
    try:
        import resource
    except ImportError:  # Windows
        return math.nan
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def first_run(root: Path) -> float:
    """Seconds for `python tasks.py report` in a fresh clone of this checkout's last commit,
    as a new analyst's first `make report`: a new .venv, uv, the install and the report.
    uv's download cache is this machine's (usually warm: nothing is downloaded)."""
    clone = root / "clone"
    subprocess.run(["git", "clone", "--quiet", str(PROJECT_ROOT), str(clone)], check=True)
    python = getattr(sys, "_base_executable", sys.executable)  # the Python a new analyst has, not this venv
    return _timed([python, str(clone / "tasks.py"), "report"])


def scaled_data(factor: int, root: Path) -> Path:
    """The example data with leads, investments and activities multiplied by `factor`."""
    from bro_analysis.input.example_data import generate, scale, write_tables

    folder = root / f"data_{factor}x"
    write_tables(scale(generate(), factor), folder)
    return folder


def computations(root: Path, period: str) -> list[dict]:
    rows = []
    for factor in SCALES:
        data_dir = scaled_data(factor, root)
        for nb in list_notebooks():
            proc = subprocess.run(
                [sys.executable, "-m", "bro_analysis.running.benchmark", "compute", str(nb), str(data_dir), period],
                check=True,
                capture_output=True,
                text=True,
            )
            rows.append({"notebook": nb.stem, "scale": factor, **json.loads(proc.stdout.splitlines()[-1])})
            print(f"  {nb.stem} {factor}×: {rows[-1]['seconds']:.2f} s, {rows[-1]['peak_mb']:.0f} MB", flush=True)
    return rows


def growth(rows: list[dict]) -> dict[str, float]:
    """Per notebook, the exponent k in time ∝ size^k between 10× and 100× (1 = linear)."""
    out = {}
    for nb in {r["notebook"] for r in rows}:
        t = {r["scale"]: r["seconds"] for r in rows if r["notebook"] == nb}
        out[nb] = math.log(t[100] / t[10]) / math.log(10)
    return out


SIMULATION_SEED = 2026
SIMULATION_DRAWS = 2000


def m2_simulation() -> tuple[list[dict], str]:
    """How often M2's status is wrong at the configured width rule (settings.toml), as records
    and as a Markdown table."""
    import numpy as np

    from bro_analysis.analysis.marketing.numbers import definitions
    from bro_analysis.core.config import load_settings
    from bro_analysis.running.simulation import simulate, table_text

    defs = definitions(load_settings())
    frame = simulate(np.random.default_rng(SIMULATION_SEED), SIMULATION_DRAWS, defs)
    head = (
        f"M2 simulated: {SIMULATION_DRAWS} pairs of full years per row, 13 % base conversion, "
        f"största_intervallkvot {defs.max_interval_ratio:g}, seed {SIMULATION_SEED}. Shares of draws.\n\n"
    )
    return frame.to_dict("records"), head + table_text(frame)


def report(m: dict) -> str:
    lines = [
        "# Benchmark",
        "",
        f"Machine: {m['cores']} cores. All figures measured in one run.",
        "",
        *([m["simulation_text"], ""] if "simulation_text" in m else []),
        "| what | naive s | bro-analysis s | ratio | target |",
        "|---|---|---|---|---|",
    ]
    if "first_run" in m:
        first, target = m["first_run"], TARGETS["first_run_seconds"]
        lines.append(
            f"| first run from a fresh clone (.venv, uv, install, report) | – | {first:.1f} | – | "
            f"≤ {target:.0f} s {'✔' if first <= target else '✘'} |"
        )
    for key, label in (("one_period", "one period (2025), cold"), ("backfill", "backfill 2019–2025 and 2026-08, cold")):
        if key in m["naive"]:
            ratio = m["runner"][key] / m["naive"][key]
            lines.append(
                f"| {label} | {m['naive'][key]:.1f} | {m['runner'][key]:.1f} | {ratio:.2f} | "
                f"≤ {TARGETS[key]} {'✔' if ratio <= TARGETS[key] else '✘'} |"
            )
    with_, without = m["runner"]["one_period"], m["runner"]["one_period_without_profiles"]
    cost = with_ / without
    lines.append(
        f"| one period with the twelve kommunblad / without | {without:.1f} | {with_:.1f} | {cost:.2f} | "
        f"≤ {TARGETS['profiles']} {'✔' if cost <= TARGETS['profiles'] else '✘'} |"
    )
    warm = m["runner"]["backfill_warm"]
    lines.append(
        f"| backfill, warm cache | – | {warm:.2f} | – | < {TARGETS['warm_seconds']} s "
        f"{'✔' if warm < TARGETS['warm_seconds'] else '✘'} |"
    )
    lines += [
        "",
        "Computations (notebook code without kernel start-up or imports):",
        "",
        "| notebook | scale | seconds | peak MB |",
        "|---|---|---|---|",
    ]
    for r in m["computations"]:
        lines.append(f"| {r['notebook']} | {r['scale']}× | {r['seconds']:.2f} | {r['peak_mb']:.0f} |")
    lines += ["", "Growth exponent from 10× to 100× (1 = linear):", ""]
    for nb, k in sorted(m["growth"].items()):
        slowest = max(r["seconds"] for r in m["computations"] if r["notebook"] == nb and r["scale"] == 100)
        lines.append(
            f"- {nb}: {k:.2f}; {slowest:.2f} s at 100× "
            f"({'✔' if slowest <= TARGETS['compute_seconds_100x'] and k <= 1.1 else '✘'})"
        )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bro_analysis.running.benchmark")
    parser.add_argument("--out", default=str(OUTPUTS_DIR / "benchmark"))
    parser.add_argument(
        "--skip-naive-backfill", action="store_true", help="skip the slowest measurement (about 6 minutes)"
    )
    sub = parser.add_subparsers(dest="command")
    comp = sub.add_parser("compute")
    comp.add_argument("notebook")
    comp.add_argument("data_dir")
    comp.add_argument("period")
    sub.add_parser("simulate", help="only the simulation of M2's status")
    sub.add_parser("first-run", help="only the first run from a fresh clone")
    args = parser.parse_args(argv)
    if args.command == "compute":
        print(json.dumps(compute_cells(Path(args.notebook), Path(args.data_dir), args.period)))
        return 0
    if args.command == "first-run":
        with tempfile.TemporaryDirectory() as tmp:
            print(f"first run from a fresh clone: {first_run(Path(tmp)):.1f} s")
        return 0
    print("M2 simulation …", flush=True)
    records, simulation_text = m2_simulation()
    print(simulation_text, flush=True)
    if args.command == "simulate":
        return 0

    import os

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    m: dict = {"cores": os.cpu_count(), "naive": {}, "runner": {}}
    m["simulation"], m["simulation_text"] = records, simulation_text
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        data = root / "data"
        shutil.copytree(EXAMPLE_DATA_DIR, data)
        print("first run from a fresh clone …", flush=True)
        m["first_run"] = first_run(root)
        print("naive, one period …", flush=True)
        m["naive"]["one_period"] = naive(["2025"], data, root / "naive1")
        print("bro-analysis, one period, with and without the twelve kommunblad …", flush=True)
        m["runner"]["one_period"] = runner(["2025"], data, root / "run1", force=True)
        m["runner"]["one_period_without_profiles"] = runner(["2025"], data, root / "run0", True, "--utan-kommunblad")
        if not args.skip_naive_backfill:
            print("naive, backfill …", flush=True)
            m["naive"]["backfill"] = naive(BACKFILL, data, root / "naive2")
        print("bro-analysis, backfill cold and warm …", flush=True)
        m["runner"]["backfill"] = runner(BACKFILL, data, root / "run2", force=True)
        m["runner"]["backfill_warm"] = runner(BACKFILL, data, root / "run2", force=False)
        print("computations at 1×, 10×, 100× …", flush=True)
        m["computations"] = computations(root, "2025")
    m["growth"] = growth(m["computations"])
    text = report(m)
    (out / "benchmark.json").write_text(json.dumps(m, indent=2), encoding="utf-8")
    (out / "benchmark.md").write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
