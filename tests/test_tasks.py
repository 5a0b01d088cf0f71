"""tasks.py, the front door without make (Windows, macOS) that the Makefile also calls:
the commands it computes for each system, what each task installs, and a few real runs."""

from __future__ import annotations

import ast
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path, PurePosixPath, PureWindowsPath

import nbformat
import pytest

from bro_analysis.core.config import PROJECT_ROOT

SCRIPT = PROJECT_ROOT / "tasks.py"
_spec = importlib.util.spec_from_file_location("tasks", SCRIPT)
assert _spec and _spec.loader
tasks = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(tasks)

WINDOWS_ROOT = PureWindowsPath(r"C:\Users\analytiker\bro")
POSIX_ROOT = PurePosixPath("/Users/analytiker/bro")  # macOS and Linux are both os.name "posix"
# What only tests and developers need: never installed for a report.
DEVELOPER_TOOLS = {"ruff", "mypy", "pre-commit", "nbstripout", "pytest", "pytest-xdist", "pypdf", "import-linter"}


# ------------------------------------------------------------------ paths and commands per system


def test_programs_are_in_scripts_with_exe_on_windows_and_in_bin_elsewhere():
    assert tasks.program("python", WINDOWS_ROOT, "nt") == PureWindowsPath(
        r"C:\Users\analytiker\bro\.venv\Scripts\python.exe"
    )
    assert tasks.program("python", POSIX_ROOT, "posix") == PurePosixPath("/Users/analytiker/bro/.venv/bin/python")


@pytest.mark.parametrize(
    ("system", "root", "expected"),
    [
        ("nt", WINDOWS_ROOT, r"C:\Users\analytiker\bro\.venv\Scripts\bro-analysis.exe"),
        ("posix", POSIX_ROOT, "/Users/analytiker/bro/.venv/bin/bro-analysis"),
    ],
)
def test_report_runs_the_cli_of_the_venv_with_period_data_and_the_rest(system, root, expected):
    options = {"data": "D:/egna data", "period": "2026-08", "extra": ["--pdf"]}
    assert tasks.commands("report", options, root, system) == [
        [expected, "run", "--data", "D:/egna data", "--period", "2026-08", "--pdf"]
    ]
    assert tasks.commands("report", {}, root, system) == [[expected, "run", "--data", "data/example"]]


def test_test_and_lint_run_the_same_tools_as_ci():
    python = str(tasks.program("python", WINDOWS_ROOT, "nt"))
    assert tasks.commands("test", {"jobs": "4"}, WINDOWS_ROOT, "nt") == [
        [python, "-m", "pytest", "-n", "4", "--dist", "loadfile"]
    ]
    tools = [Path(c[0]).name for c in tasks.commands("lint", {}, POSIX_ROOT, "posix")]
    assert tools == ["ruff", "ruff", "mypy", "lint-imports"]
    tools = [PureWindowsPath(c[0]).name for c in tasks.commands("lint", {}, WINDOWS_ROOT, "nt")]
    assert tools == ["ruff.exe", "ruff.exe", "mypy.exe", "lint-imports.exe"]


@pytest.mark.parametrize("task", sorted(tasks.TASKS))
def test_no_posix_path_in_a_windows_command(task):
    """On Windows every program is the venv's .exe (or git), and no argument names bin/."""
    for command in tasks.commands(task, {}, WINDOWS_ROOT, "nt"):
        program = command[0]
        assert program == "git" or (
            program.startswith(str(WINDOWS_ROOT / ".venv" / "Scripts")) and program.endswith(".exe")
        ), command
        assert not any("/bin/" in arg or arg.startswith("/") for arg in command), command


def test_the_notebook_filter_is_relative_and_uses_the_venv_python_of_the_system():
    assert tasks.notebook_filter("nt") == ".venv/Scripts/python.exe -m nbstripout --keep-id"
    assert tasks.notebook_filter("posix") == ".venv/bin/python -m nbstripout --keep-id"
    assert tasks.filter_config("nt")[0] == [
        "git",
        "config",
        "filter.nbstripout.clean",
        ".venv/Scripts/python.exe -m nbstripout --keep-id",
    ]


def test_the_notebook_filter_strips_outputs_for_real(tmp_path):
    """The filter as tasks.py configures it, run by git in a repository whose .venv is
    this environment: a notebook saved with outputs shows no change."""
    if shutil.which("git") is None:
        pytest.skip("git saknas")
    env = {**os.environ, "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull}

    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=tmp_path, env=env, check=True, capture_output=True, text=True).stdout

    (tmp_path / ".venv").symlink_to(Path(sys.prefix), target_is_directory=True)
    git("init", "-q")
    (tmp_path / ".gitignore").write_text(".venv\n", encoding="utf-8")
    shutil.copy(PROJECT_ROOT / ".gitattributes", tmp_path / ".gitattributes")
    for command in tasks.filter_config():
        git(*command[1:])
    notebook = tmp_path / "notebooks" / "10_a.ipynb"
    notebook.parent.mkdir()
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("print('hej')")])
    nbformat.write(nb, notebook)
    git("add", ".")
    git("-c", "user.name=T", "-c", "user.email=t@example.invalid", "commit", "-q", "-m", "nb")
    nb.cells[0].outputs = [nbformat.v4.new_output("stream", name="stdout", text="hej\n")]
    nb.cells[0].execution_count = 1
    nbformat.write(nb, notebook)
    assert git("diff") == ""
    git("add", "-A")
    assert git("status", "--porcelain") == ""


# ------------------------------------------------------------------ what is installed


def test_the_uv_version_is_the_one_pyproject_requires_and_the_lock_pins():
    text = (PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8")
    required = tomllib.loads(text)["tool"]["uv"]["required-version"]
    lock = tomllib.loads((PROJECT_ROOT / "uv.lock").read_text(encoding="utf-8"))
    (locked,) = [p["version"] for p in lock["package"] if p["name"] == "uv"]
    assert f"=={tasks.required_uv(text)}" == required == f"=={locked}"
    with pytest.raises(tasks.TaskError):
        tasks.required_uv("[tool.uv]\n")


def test_the_supported_pythons_are_pyprojects():
    text = (PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8")
    project = tomllib.loads(text)
    assert project["project"]["requires-python"] == ">=3.11"
    assert "python_version < '3.14'" in project["tool"]["uv"]["environments"][0]
    for version in ((3, 11), (3, 12), (3, 13)):
        tasks.check_python(version)
    for version in ((3, 9), (3, 10), (3, 14)):
        with pytest.raises(tasks.TaskError, match="3.11, 3.12 eller 3.13"):
            tasks.check_python(version)


def test_sync_is_exact_quiet_and_only_as_much_as_the_task_needs():
    report = tasks.sync_command(tasks.REPORT, verbose=False, root=POSIX_ROOT, system="posix")
    assert report[:3] == ["/Users/analytiker/bro/.venv/bin/uv", "sync", "--locked"]
    assert "--no-dev" in report and "--all-extras" not in report and report[-1] == "--quiet"
    dev = tasks.sync_command(tasks.DEV, verbose=True, root=WINDOWS_ROOT, system="nt")
    assert dev[0].endswith(r"\.venv\Scripts\uv.exe") and "--all-extras" in dev and "--quiet" not in dev
    assert dev[dev.index("--python") + 1] == str(WINDOWS_ROOT / ".venv" / "Scripts" / "python.exe")
    levels = tasks.TASKS
    assert levels["report"] == levels["validate"] == tasks.REPORT
    assert levels["test"] == levels["lint"] == levels["lab"] == levels["hooks"] == tasks.DEV


def _exported(selection: list[str]) -> set[str]:
    """The package names uv.lock gives for a selection of extras and groups."""
    uv = shutil.which("uv", path=str(Path(sys.executable).parent))
    if uv is None:
        pytest.skip("uv finns inte i den här miljön")
    out = subprocess.run(
        [uv, "export", "--frozen", "--no-hashes", "--no-header", "--no-annotate", "--no-emit-project"]
        + ["--format", "requirements-txt", *selection],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return {re.split(r"[=<>; ]", line, maxsplit=1)[0] for line in out.splitlines() if line and line[0].isalnum()}


def test_a_report_installs_no_developer_tool_but_keeps_uv():
    report = _exported(tasks.SYNC[tasks.REPORT][2:])  # the selection, without "sync --locked"
    assert {"pandas", "papermill", "nbconvert", "ipykernel", "playwright", "uv"} <= report
    assert not report & DEVELOPER_TOOLS
    everything = _exported(tasks.SYNC[tasks.DEV][2:])
    assert DEVELOPER_TOOLS | report <= everything


def test_the_venv_gets_no_pip_of_its_own_when_this_pythons_pip_can_install_uv(tmp_path):
    assert tasks.venv_command(True) == [sys.executable, "-m", "venv", "--without-pip", ".venv"]
    assert tasks.venv_command(False) == [sys.executable, "-m", "venv", ".venv"]
    scripts = tmp_path / ".venv" / ("Scripts" if os.name == "nt" else "bin")
    scripts.mkdir(parents=True)
    python = str(tasks.program("python", tmp_path))
    assert tasks.pip_command(tmp_path) == [sys.executable, "-m", "pip", "--python", python, "install"]
    (scripts / Path(tasks.program("pip", tmp_path)).name).write_text("", encoding="utf-8")
    assert tasks.pip_command(tmp_path) == [python, "-m", "pip", "install"]


def _project(tmp_path: Path, lock: str = "lås 1") -> Path:
    (tmp_path / ".venv").mkdir(exist_ok=True)
    (tmp_path / "uv.lock").write_text(lock, encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text('[tool.uv]\nrequired-version = "==0.13.9"\n', encoding="utf-8")
    return tmp_path


def test_install_syncs_once_per_lock_and_never_takes_tools_away(tmp_path, monkeypatch, capsys):
    synced = []
    monkeypatch.setattr(tasks, "create_venv", lambda verbose, root: None)
    monkeypatch.setattr(tasks, "bootstrap_uv", lambda verbose, root: None)
    monkeypatch.setattr(tasks, "step", lambda command, verbose, failure, cwd: synced.append(command[1:]))
    root = _project(tmp_path)

    tasks.install(tasks.REPORT, False, root)
    tasks.install(tasks.REPORT, False, root)  # installed: nothing to do
    assert synced == [tasks.sync_command(tasks.REPORT, False, root)[1:]]
    assert "--no-dev" in synced[0]

    tasks.install(tasks.DEV, False, root)  # the tools come on top
    tasks.install(tasks.REPORT, False, root)  # a report after a test run keeps them
    assert len(synced) == 2 and "--all-extras" in synced[1]

    _project(tmp_path, lock="lås 2")  # a new lock: installed again, with the tools
    tasks.install(tasks.REPORT, False, root)
    assert len(synced) == 3 and "--all-extras" in synced[2]
    assert json.loads((root / ".venv" / tasks.STAMP).read_text(encoding="utf-8"))["level"] == tasks.DEV
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 3 and all(line.startswith("Installerar ") for line in lines)  # one line per install


def test_commands_keep_the_bytecode_python_compiles():
    """Nothing is compiled at install: a task's commands may write what they compile."""
    environ = {"PATH": "/usr/bin", "PYTHONDONTWRITEBYTECODE": "1", "BRO_CHROMIUM": "x"}
    assert tasks.task_env(environ) == {"PATH": "/usr/bin", "BRO_CHROMIUM": "x"}
    pyproject = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "compile-bytecode" not in pyproject["tool"]["uv"]
    assert not any("compile" in arg for level in tasks.SYNC.values() for arg in level)


# ------------------------------------------------------------------ the command line


def test_options_for_the_script_and_the_rest_for_the_command():
    task, options = tasks.parse(["report", "--period", "2026-08", "--data=x y", "--pdf", "-v", "--", "-v"])
    assert (task, options["period"], options["data"], options["verbose"]) == ("report", "2026-08", "x y", True)
    assert options["extra"] == ["--pdf", "-v"]
    assert tasks.parse(["-v", "test", "--jobs", "3"]) == ("test", {"verbose": True, "jobs": "3", "extra": []})
    assert tasks.parse([]) == ("help", {"verbose": False, "extra": []})
    with pytest.raises(tasks.TaskError) as unknown:
        tasks.parse(["rapport"])
    assert unknown.value.code == 2 and "Okänd uppgift: rapport" in str(unknown.value)
    with pytest.raises(tasks.TaskError, match="--data behöver ett värde"):
        tasks.parse(["validate", "--data"])


def test_every_make_target_calls_the_task_of_the_same_name():
    """One entry point: make only passes its variables on to tasks.py."""
    makefile = (PROJECT_ROOT / "Makefile").read_text(encoding="utf-8")
    recipes = dict(re.findall(r"^([a-z-]+):\n\t@\$\(TASKS\) ([a-z-]+)", makefile, re.MULTILINE))
    assert recipes == {task: task for task in tasks.TASKS}


def test_the_script_needs_only_the_standard_library_and_an_old_python_can_read_it():
    """It runs before .venv exists, and tells a too old Python so in Swedish."""
    tree = ast.parse(SCRIPT.read_text(encoding="utf-8"), feature_version=(3, 8))
    imported = {a.name.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    imported |= {n.module.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
    assert imported - {"__future__"} <= sys.stdlib_module_names


def _script(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(SCRIPT), *args], capture_output=True, text=True, cwd=PROJECT_ROOT)


def test_the_script_for_real_help_and_an_unknown_task():
    done = _script("help")
    assert done.returncode == 0
    assert all(f"  {task} " in done.stdout for task in tasks.TASKS if task != "help")
    done = _script("rapport")
    assert done.returncode == 2 and "Okänd uppgift: rapport" in done.stderr and not done.stdout


def test_the_script_for_real_validate_on_the_example_data():
    """`python tasks.py validate` in this checkout, installed as `make test` leaves it."""
    if tasks.installed_level(PROJECT_ROOT) < tasks.REPORT or Path(sys.prefix) != PROJECT_ROOT / ".venv":
        pytest.skip("gäller projektets .venv installerad av tasks.py (make test)")
    done = _script("validate")
    assert done.returncode == 0, done.stderr
    program = os.path.relpath(tasks.program("bro-analysis"), PROJECT_ROOT)
    assert done.stdout.splitlines()[0] == f"{program} validate --data data/example"
    assert "OK  nki.csv" in done.stdout and "Installerar" not in done.stdout
