"""Reliability and security of a run (issue 8): atomic outputs under Ctrl-C, a killed
kernel and a failing notebook; checked notebook parameters; no HTML injection from
the analysts' text; the same inputs give the same report; outputs stay out of data/
and have file names Windows accepts."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pytest
from bad_inputs.support import (
    cli,
    copy_example,
    copy_outputs,
    make_notebook,
    no_temp_files,
    read_rows,
    snapshot,
    write_rows,
)

from bro_analysis.analysis.context import check_parameters, open_context
from bro_analysis.core.config import DATA_DIR, EXAMPLE_DATA_DIR, NOTEBOOKS_DIR, PROJECT_ROOT
from bro_analysis.core.periods import Period, PeriodError
from bro_analysis.input.loading import DataError
from bro_analysis.running import cache
from bro_analysis.running import cli as cli_module
from bro_analysis.running.runner import run_periods

REPORT = "BRO_uppfoljning_2025.html"


@pytest.fixture(scope="module")
def previous(example_run):
    return example_run


# --- notebook parameters ---------------------------------------------------------------


@pytest.mark.parametrize(
    "period, data_dir",
    [
        ("2025", EXAMPLE_DATA_DIR),
        ("2026-08", EXAMPLE_DATA_DIR),
        ("2025-12", ""),
        ("", ""),
        (2025, ""),
    ],
)
def test_good_parameters_pass(period, data_dir):
    check_parameters(period, data_dir)


@pytest.mark.parametrize(
    "period", ["2025\nimport os", "2025'", '2025"); import os; ("', " 2025", "25", "2025-13", "2031-1"]
)
def test_bad_period_parameter_is_refused(period):
    with pytest.raises(PeriodError):
        check_parameters(period, EXAMPLE_DATA_DIR)
    with pytest.raises(PeriodError):
        open_context(period, EXAMPLE_DATA_DIR)  # the notebook side checks again


@pytest.mark.parametrize("name", ['data"; import os; x="', "data'x", "data\nimport os", "data`x"])
def test_data_folder_name_that_could_break_out_of_a_string_is_refused(tmp_path, name):
    folder = tmp_path / name
    folder.mkdir()
    with pytest.raises(DataError, match="citattecken"):
        check_parameters("2025", folder)
    with pytest.raises(DataError):
        cache.parameters(Period(2025), folder)  # what the runner hands to papermill
    with pytest.raises(DataError):
        open_context("2025", folder)


def test_missing_data_folder_parameter_is_refused(tmp_path):
    with pytest.raises(DataError, match="finns inte"):
        cache.parameters(Period(2025), tmp_path / "saknas")


def test_runner_checks_parameters_before_any_notebook(tmp_path):
    data = copy_example(tmp_path / 'data"x')
    with pytest.raises(DataError):
        run_periods([Period(2025)], data, tmp_path / "out", notebooks=[NOTEBOOKS_DIR / "10_nki.ipynb"])
    assert not (tmp_path / "out").exists()


def test_cli_refuses_unsafe_data_folder_name(tmp_path):
    data = copy_example(tmp_path / "data'x")
    result = cli("run", "--period", "2025", "--data", str(data), "--out", str(tmp_path / "out"))
    assert result.returncode == 2, result.stderr
    assert "citattecken" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "out" / "2025").exists()


# --- hygiene: never write into the data, an output folder that is a folder ----------------


@pytest.mark.parametrize("where", ["inside_input", "input_itself", "repo_data"])
def test_output_folder_in_the_data_is_refused(tmp_path, where):
    data = copy_example(tmp_path / "data")
    out = {"inside_input": data / "rapporter", "input_itself": data, "repo_data": DATA_DIR / "rapporter"}[where]
    before = snapshot(data)
    result = cli("run", "--period", "2025", "--data", str(data), "--out", str(out))
    assert result.returncode == 2
    assert "Utdatamappen" in result.stderr and "indata ska bara läsas" in result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(data) == before
    assert not (DATA_DIR / "rapporter").exists()


def test_output_folder_that_is_a_file_is_refused(tmp_path):
    out = tmp_path / "rapport.html"
    out.write_text("x")
    result = cli("run", "--period", "2025", "--out", str(out))
    assert result.returncode == 2
    assert "är en fil" in result.stderr and "Traceback" not in result.stderr


def test_unexpected_error_is_a_message_not_a_traceback(monkeypatch, capsys):
    def broken(args):
        raise RuntimeError("något oväntat")

    monkeypatch.setattr(cli_module, "cmd_validate", broken)
    assert cli_module.main(["validate"]) == cli_module.EXIT_FAILED
    err = capsys.readouterr().err
    assert "Oväntat fel" in err and "något oväntat" in err and "--felsök" in err
    assert "Traceback" not in err
    assert cli_module.main(["--debug", "validate"]) == cli_module.EXIT_FAILED
    assert "Traceback" in capsys.readouterr().err


_WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}


def windows_problem(name: str) -> str | None:
    """Why Windows (or a Windows user) would trip over this file name; None when fine."""
    if not name.isascii():
        return "not ASCII"
    if re.search(r'[<>:"/\\|?*\x00-\x1f]', name):
        return "forbidden character"
    if name.endswith((".", " ")):
        return "trailing dot or space"
    if name.split(".")[0].upper() in _WINDOWS_RESERVED:
        return "reserved name"
    if len(name) > 100:
        return "too long"
    return None


def test_windows_problem_catches_bad_names():
    assert windows_problem("BRO_uppfoljning_2025.html") is None
    for bad in ("a:b.html", "CON.html", "nul", "x.", "rapport ", "å.html", 'a"b', "a?b"):
        assert windows_problem(bad), bad


# --- atomic outputs: Ctrl-C, a killed kernel, a failing notebook -----------------------------


def _complete(path: Path) -> bool:
    """The file is whole: HTML ends its document, notebooks and JSON parse."""
    if path.suffix == ".html":
        return path.read_text(encoding="utf-8").rstrip().endswith("</html>")
    if path.suffix == ".ipynb":
        nbformat.validate(nbformat.read(path, as_version=4))
        return True
    if path.suffix == ".json":
        json.loads(path.read_text(encoding="utf-8"))
        return True
    return path.stat().st_size > 0


# A notebook that says it is running (a marker file) and then waits for a signal:
# the interrupt tests synchronise on that file, never on time or on printed progress.
_WAIT_FOR_SIGNAL = """
import signal
from pathlib import Path
Path({marker!r}).write_text("körs", encoding="utf-8")
signal.pause()  # until the runner interrupts the kernel
"""

# The real CLI, with the notebook list replaced: the real overview first, then the
# waiting notebook, then the other real notebooks. It starts as a terminal starts a
# foreground command, with Ctrl-C's default meaning: a test run in the background
# (`make test &`, some CI runners) inherits SIGINT ignored, and Python keeps it so.
_CLI_WITH_NOTEBOOKS = """
import signal
import sys
from pathlib import Path
from bro_analysis.running import cli, runner
signal.signal(signal.SIGINT, signal.default_int_handler)
order = [Path(p) for p in sys.argv[1].split("|")]
runner.list_notebooks = lambda *_: order
sys.exit(cli.main(sys.argv[2:]))
"""


@pytest.mark.e2e
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_ctrl_c_leaves_every_earlier_output_whole(tmp_path, previous, jobs):
    """Ctrl-C (SIGINT to the whole process group, as a terminal sends it) while a
    notebook runs: exit 130, a short message, every earlier file complete (the
    reports byte for byte), no temporary file left."""
    out = copy_outputs(previous, tmp_path / "out")
    before = snapshot(out)
    marker = tmp_path / "running.txt"
    waiting = tmp_path / "notebooks" / "05_vantar.ipynb"
    waiting.parent.mkdir()
    make_notebook(waiting, _WAIT_FOR_SIGNAL.format(marker=str(marker)))
    real = sorted(NOTEBOOKS_DIR.glob("*.ipynb"))
    order = "|".join(str(p) for p in [real[0], waiting, *real[1:]])
    log = tmp_path / "stderr.txt"
    code = _ctrl_c_when(marker, order, out, jobs, log)
    stderr = log.read_text(encoding="utf-8")
    assert code == 130, stderr
    assert "Avbrutet" in stderr and "Traceback" not in stderr
    said = re.search(r"Ersatta under körningen: (.*?)\. Alla andra", stderr)
    assert said or "Inga tidigare resultat har ersatts." in stderr, stderr
    for name in said.group(1).split(", ") if said else []:  # exactly what changed, and it is whole
        assert (out / name).exists() and _complete(out / name), name
    total = len(real) + 1
    assert f"[{total}/{total}]" not in stderr  # the waiting notebook never finished: it really stopped early
    assert no_temp_files(out) == []
    after = {p.relative_to(out).as_posix(): p for p in out.rglob("*") if p.is_file()}
    for name, (data, _) in before.items():
        if "/.cache/" in name:  # the cache record of an interrupted notebook is dropped: it runs again
            continue
        assert name in after, name
        assert _complete(after[name]), name
        if not name.endswith(".ipynb"):
            assert after[name].read_bytes() == data, name  # reports: untouched or identical
    for name in set(after) - set(before):
        assert name.endswith(".failed.ipynb") and _complete(after[name]), name


# A notebook that, like a kernel interrupted between a cell and its reply, never answers
# an interrupt: it catches every KeyboardInterrupt and goes on waiting.
_IGNORE_SIGNAL = """
import signal
from pathlib import Path
Path({marker!r}).write_text("körs", encoding="utf-8")
while True:
    try:
        signal.pause()
    except KeyboardInterrupt:
        pass
"""


@pytest.mark.e2e
def test_ctrl_c_stops_a_run_whose_notebook_does_not_stop(tmp_path):
    """A kernel that does not stop on the interrupt is stopped, so Ctrl-C ends the run
    (exit 130) instead of waiting for the cell's time limit (900 s)."""
    marker = tmp_path / "running.txt"
    deaf = tmp_path / "notebooks" / "05_dov.ipynb"
    deaf.parent.mkdir()
    make_notebook(deaf, _IGNORE_SIGNAL.format(marker=str(marker)))
    real = sorted(NOTEBOOKS_DIR.glob("*.ipynb"))
    order = "|".join(str(p) for p in [deaf, *real[1:3]])
    code = _ctrl_c_when(marker, order, tmp_path / "out", "2", tmp_path / "stderr.txt")
    stderr = (tmp_path / "stderr.txt").read_text(encoding="utf-8")
    assert code == 130, stderr
    assert "Avbrutet" in stderr and "Traceback" not in stderr
    assert no_temp_files(tmp_path / "out") == []


def _ctrl_c_when(marker: Path, order: str, out: Path, jobs: str, log: Path) -> int:
    """Run the CLI on the notebooks in `order` for 2025, send Ctrl-C to its process group as
    soon as `marker` exists, and return its exit code (stderr in `log`). The wait for the
    exit is a hang guard only."""
    with open(log, "w", encoding="utf-8") as err:
        proc = subprocess.Popen(
            [sys.executable, "-c", _CLI_WITH_NOTEBOOKS, order, "run", "--period", "2025"]
            + ["--out", str(out), "--force", "--jobs", jobs],
            cwd=PROJECT_ROOT,
            stdout=subprocess.DEVNULL,
            stderr=err,
            start_new_session=True,
        )
        try:
            _wait_for_file(marker, proc)
            os.killpg(proc.pid, signal.SIGINT)
            return proc.wait(timeout=300)
        finally:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGKILL)


def _wait_for_file(path: Path, proc: subprocess.Popen) -> None:
    """Block until `path` exists; fail at once if the process ends first.

    inotify-free and load-proof: it polls the file, and gives up only when the
    process is gone (a generous hang guard of 10 minutes aside)."""
    for _ in range(60_000):
        if path.exists():
            return
        assert proc.poll() is None, "körningen slutade innan notebooken startade"
        time.sleep(0.01)
    raise AssertionError(f"{path} skrevs aldrig")


_RUN = """
import json, sys
from pathlib import Path
from bro_analysis.core.config import EXAMPLE_DATA_DIR
from bro_analysis.core.periods import Period
from bro_analysis.running.runner import run_periods
results = run_periods([Period(2025)], EXAMPLE_DATA_DIR, Path(sys.argv[2]),
                      notebooks=sorted(Path(sys.argv[1]).glob("*.ipynb")), jobs=1, force=True)
print(json.dumps([[r.notebook, r.ok, r.error] for r in results]))
"""


def _run_in_subprocess(notebooks: Path, out: Path) -> list[list]:
    """run_periods in its own process, with a generous limit: a hang is a failure, not a stuck suite."""
    result = subprocess.run(
        [sys.executable, "-c", _RUN, str(notebooks), str(out)],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def small_run(tmp_path_factory):
    """The overview notebook and three one-line notebooks, run once into an output folder."""
    folder = tmp_path_factory.mktemp("small")
    notebooks = folder / "notebooks"
    notebooks.mkdir()
    shutil.copy(NOTEBOOKS_DIR / "00_oversikt.ipynb", notebooks)
    for name in ("10_del", "20_del", "30_del"):
        make_notebook(
            notebooks / f"{name}.ipynb",
            f"from bro_analysis.presentation import blocks\nblocks.paragraph('Avsnitt {name} för ' + period)",
        )
    out = folder / "out"
    results = _run_in_subprocess(notebooks, out)
    assert all(ok for _, ok, _ in results), results
    return notebooks, out


@pytest.mark.e2e
@pytest.mark.parametrize(
    "code, error",
    [
        ("import os\nos._exit(1)", "DeadKernelError"),
        ("raise RuntimeError('avsiktligt fel')", "avsiktligt fel"),
    ],
)
def test_a_dying_or_raising_notebook_keeps_the_earlier_report(tmp_path, small_run, code, error):
    """The notebook fails and is reported; the pooled kernel recovers for the next
    notebook; the period gets no new combined report, and the earlier one, okr.csv,
    okr.json and the failed notebook's earlier HTML stay exactly as they were."""
    notebooks = shutil.copytree(small_run[0], tmp_path / "notebooks")
    out = copy_outputs(small_run[1], tmp_path / "out")
    before = snapshot(out)
    make_notebook(notebooks / "10_del.ipynb", code)
    results = _run_in_subprocess(notebooks, out)
    assert [(name, ok) for name, ok, _ in results] == [
        ("00_oversikt", True),
        ("10_del", False),
        ("20_del", True),
        ("30_del", True),
        ("BRO_uppfoljning_2025", False),
    ]
    assert error in results[1][2]
    for name in (f"2025/{REPORT}", "2025/okr.csv", "2025/okr.json", "2025/10_del.html"):
        assert (out / name).read_bytes() == before[name][0], name
    assert "Avsnitt 20_del" in (out / "2025" / "20_del.html").read_text(encoding="utf-8")
    assert no_temp_files(out) == []


# --- injection ----------------------------------------------------------------------------

PAYLOADS = ("<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "</table>")


def _append(folder: Path, file: str, column: str, suffix: str) -> None:
    rows = read_rows(folder / file)
    i = rows[0].index(column)
    for row in rows[1:]:
        if row[i]:
            row[i] = f"{row[i]} {suffix}"
    write_rows(folder / file, rows)


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory):
    """A run whose company, campaign/channel, arena and activity names carry HTML and
    script, and whose leads file has an unknown extra column (a warning; the run goes on)."""
    folder = tmp_path_factory.mktemp("hostile")
    data = copy_example(folder / "data")
    script, img, table = PAYLOADS
    _append(data, "investeringar.csv", "företag", script)
    _append(data, "aktiviteter.csv", "företag", img)
    _append(data, "aktiviteter.csv", "titel", table)
    _append(data, "leads.csv", "kanal", img)
    _append(data, "arenor.csv", "namn", script + table)
    rows = read_rows(data / "leads.csv")
    write_rows(data / "leads.csv", [rows[0] + ["kampanjkod"]] + [r + ["K-1"] for r in rows[1:]])
    out = folder / "out"
    result = cli("run", "--period", "2025", "--data", str(data), "--out", str(out), "--force")
    return out, result


class _Tags(HTMLParser):
    """Start and end tags, event-handler attributes and the visible text of a page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.starts, self.ends, self.handlers, self.text = [], [], [], []

    def handle_starttag(self, tag, attrs):
        self.starts.append(tag)
        self.handlers += [(tag, name, value) for name, value in attrs if name.startswith("on")]
        if tag == "img" and dict(attrs).get("src") == "x":
            self.handlers.append((tag, "src", "x"))

    def handle_endtag(self, tag):
        self.ends.append(tag)

    def handle_data(self, data):
        self.text.append(data)


@pytest.mark.e2e
def test_run_goes_on_with_a_warning_for_an_unknown_column(hostile_run):
    _, result = hostile_run
    assert result.returncode == 0, result.stderr
    assert "Varning: leads.csv: okänd kolumn 'kampanjkod' ignoreras" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.e2e
def test_html_and_script_in_names_appear_as_text(hostile_run):
    out, result = hostile_run
    assert result.returncode == 0, result.stderr
    pages = sorted((out / "2025").glob("*.html"))
    assert REPORT in [p.name for p in pages] and len(pages) >= 5
    shown = set()
    for page in pages:
        parser = _Tags()
        parser.feed(page.read_text(encoding="utf-8"))
        assert "script" not in parser.starts, page.name
        assert parser.handlers == [], (page.name, parser.handlers[:3])
        assert parser.starts.count("table") == parser.ends.count("table"), page.name
        text = "".join(parser.text)
        shown |= {(page.name, p) for p in PAYLOADS if p in text}
    # The committee report shows fewer names (the detail is in each notebook's page), and
    # those it shows are text, never markup.
    assert {p for name, p in shown if name == REPORT}, "inga namn i nämndrapporten"
    assert {p for _, p in shown if _ == "20_investeringar.html"} >= {PAYLOADS[0], PAYLOADS[1]}
    assert {p for _, p in shown if _ == "30_marknadsforing.html"} >= {PAYLOADS[0], PAYLOADS[1]}


# --- determinism, and the files a run writes ----------------------------------------------------


@pytest.mark.e2e
def test_same_inputs_give_the_same_report(tmp_path, previous):
    """A second run (forced, one job instead of several) gives the same HTML apart
    from the date it was made, and the same okr.json and okr.csv; data/ is not touched."""
    data_before = snapshot(DATA_DIR)
    result = cli("run", "--period", "2025", "--out", str(tmp_path / "out"), "--force", "--jobs", "1")
    assert result.returncode == 0, result.stderr
    assert snapshot(DATA_DIR) == data_before

    def page(root: Path, name: str) -> str:
        html = (root / "2025" / name).read_text(encoding="utf-8")
        return re.sub(r"framtagen \d{4}-\d{2}-\d{2}", "framtagen DATUM", html)

    names = sorted(p.name for p in (previous / "2025").glob("*.html"))
    assert names == sorted(p.name for p in (tmp_path / "out" / "2025").glob("*.html"))
    for name in names:
        assert page(previous, name) == page(tmp_path / "out", name), name
    for name in ("okr.json", "okr.csv"):
        assert (previous / "2025" / name).read_bytes() == (tmp_path / "out" / "2025" / name).read_bytes()


@pytest.mark.e2e
def test_every_output_file_name_is_safe_on_windows(previous, hostile_run):
    for root in (previous, hostile_run[0]):
        files = [p for p in root.rglob("*")]
        assert len(files) > 10
        for path in files:
            for part in path.relative_to(root).parts:
                assert windows_problem(part) is None, (part, windows_problem(part))
        lowered = [p.as_posix().lower() for p in files]
        assert len(lowered) == len(set(lowered))  # no two names that differ only in case
