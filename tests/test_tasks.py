"""tasks.py, the front door without make (Windows, macOS) that the Makefile also calls:
the commands it computes for each system, what each task installs, and a few real runs."""

from __future__ import annotations

import ast
import importlib.util
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path, PurePosixPath, PureWindowsPath

import nbformat
import pytest
import yaml

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
        [expected, "kör", "--data", "D:/egna data", "--period", "2026-08", "--pdf"]
    ]
    assert tasks.commands("report", {}, root, system) == [[expected, "kör", "--data", "data/example"]]


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


def _commit_then_save_with_outputs(repo: Path, git) -> None:
    """A notebook committed clean, then saved with an output and an execution count, as Lab
    saves it: `git diff` shows nothing through the notebook filter."""
    notebook = repo / "notebooks" / "10_a.ipynb"
    notebook.parent.mkdir()
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("print('hej')")])
    nbformat.write(nb, notebook)
    git("add", ".")
    git("-c", "user.name=T", "-c", "user.email=t@example.invalid", "commit", "-q", "-m", "nb")
    nb.cells[0].outputs = [nbformat.v4.new_output("stream", name="stdout", text="hej\n")]
    nb.cells[0].execution_count = 1
    nbformat.write(nb, notebook)
    assert git("diff") == ""


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
    _commit_then_save_with_outputs(tmp_path, git)
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
    # `tool` is what the pre-commit hooks call, not a step of its own
    assert recipes == {task: task for task in tasks.TASKS if task != "tool"}


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
    assert done.stdout.splitlines()[0] == f"{program} kontrollera --data data/example"
    assert "OK  nki.csv" in done.stdout and "Installerar" not in done.stdout


# ------------------------------------------------------------------ pre-commit hooks


def _hooks() -> list[dict]:
    config = yaml.safe_load((PROJECT_ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    return [hook for repo in config["repos"] for hook in repo["hooks"]]


def test_every_hook_runs_a_venv_tool_through_tasks_py_with_no_path_of_one_system():
    """`python` is on PATH in a `language: python` hook on every system (pre-commit's own
    virtualenv, nothing installed into it), and tasks.py finds .venv's program there."""
    hooks = _hooks()
    assert {hook["id"] for hook in hooks} == {"ruff-check", "ruff-format", "nbstripout"}
    for hook in hooks:
        assert hook["language"] == "python" and not hook.get("additional_dependencies"), hook
        entry = shlex.split(hook["entry"])
        assert entry[:3] == ["python", "tasks.py", "tool"], hook
        assert not any("/" in word or "\\" in word for word in entry), hook
    entry = {hook["id"]: shlex.split(hook["entry"])[2:] for hook in hooks}
    task, options = tasks.parse([*entry["ruff-check"], "bro_analysis/a.py", "notebooks/10_nki.ipynb"])
    assert tasks.commands(task, options, WINDOWS_ROOT, "nt") == [
        [
            r"C:\Users\analytiker\bro\.venv\Scripts\ruff.exe",
            "check",
            "--force-exclude",
            "bro_analysis/a.py",
            "notebooks/10_nki.ipynb",
        ]
    ]
    task, options = tasks.parse([*entry["nbstripout"], "notebooks/10_nki.ipynb"])
    assert tasks.commands(task, options, POSIX_ROOT, "posix") == [
        ["/Users/analytiker/bro/.venv/bin/nbstripout", "--keep-id", "notebooks/10_nki.ipynb"]
    ]


def test_tool_passes_the_program_every_argument_as_it_is():
    assert tasks.parse(["tool", "ruff", "check", "--data", "x", "-v", "--", "a.py"]) == (
        "tool",
        {"verbose": False, "extra": ["ruff", "check", "--data", "x", "-v", "--", "a.py"]},
    )
    with pytest.raises(tasks.TaskError, match="tool behöver ett program") as error:
        tasks.parse(["tool"])
    assert error.value.code == 2


def test_tool_names_the_missing_program_and_how_to_install_it(tmp_path):
    """Without .venv (and no conda environment) the hook says what to run, in Swedish."""
    shutil.copy(SCRIPT, tmp_path / "tasks.py")
    env = {name: value for name, value in os.environ.items() if name != "CONDA_PREFIX"}
    done = subprocess.run(
        [sys.executable, "tasks.py", "tool", "ruff", "check", "a.py"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 1 and not done.stdout
    assert "ruff finns inte i" in done.stderr and "python tasks.py hooks" in done.stderr
    assert not (tmp_path / ".venv").exists()  # a hook installs nothing


def _offline_env(home: Path) -> dict[str, str]:
    """A fresh machine without network: no pip index or wheel folder of this machine's, a
    pre-commit cache and a git configuration of its own."""
    env = {name: value for name, value in os.environ.items() if not name.startswith(("PIP_", "CONDA_", "UV_"))}
    for name in ("HOME", "PRE_COMMIT_HOME", "XDG_CACHE_HOME", "XDG_CONFIG_HOME"):
        env[name] = str(home / name.lower())
    env.update(GIT_CONFIG_NOSYSTEM="1", GIT_CONFIG_GLOBAL=os.devnull, GIT_TERMINAL_PROMPT="0")
    env["PIP_INDEX_URL"] = "http://127.0.0.1:9/simple"  # would refuse: nothing may be fetched
    return env


@pytest.mark.e2e  # pre-commit makes a virtualenv: some seconds
def test_the_hooks_for_real_offline_catch_a_lint_error_and_strip_a_notebook(tmp_path):
    """`python tasks.py hooks` in a fresh clone whose .venv is this environment: pre-commit
    makes the hooks' environment with no network, `git commit` of a file with a lint error
    fails with ruff's message, and the nbstripout hook strips a notebook's outputs."""
    if shutil.which("git") is None:
        pytest.skip("git saknas")
    repo, env = tmp_path / "repo", _offline_env(tmp_path)

    def git(*args: str, check: bool = True) -> subprocess.CompletedProcess:
        command = ["git", "-c", "user.name=T", "-c", "user.email=t@example.invalid", *args]
        return subprocess.run(command, cwd=repo, env=env, check=check, capture_output=True, text=True)

    (repo / "notebooks").mkdir(parents=True)
    for name in ("tasks.py", "pyproject.toml", ".pre-commit-config.yaml", ".gitattributes", ".gitignore"):
        shutil.copy(PROJECT_ROOT / name, repo / name)
    (repo / ".venv").symlink_to(Path(sys.prefix), target_is_directory=True)
    notebook = repo / "notebooks" / "10_a.ipynb"
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("print('hej')")])
    nbformat.write(nb, notebook)
    git("init", "-q")
    git("add", ".")
    git("commit", "-q", "--no-verify", "-m", "init")

    # the commands of `python tasks.py hooks` (not its install step: .venv is this environment)
    hook_env = {**env, **tasks.hook_env(str(tasks.program("python", repo)))}
    for command in tasks.commands("hooks", {}, repo):
        done = subprocess.run(command, cwd=repo, env=hook_env, capture_output=True, text=True)
        assert done.returncode == 0, f"{command}\n{done.stdout}\n{done.stderr}"
    assert (repo / ".git" / "hooks" / "pre-commit").exists()

    (repo / "fel.py").write_text("import os\n", encoding="utf-8")
    git("add", "fel.py")
    done = git("commit", "-m", "fel", check=False)
    assert done.returncode != 0, done.stdout
    assert "F401" in done.stderr and "fel.py" in done.stderr, done.stderr  # git's hooks write to stderr
    assert git("log", "--format=%s").stdout.split() == ["init"]

    nb.cells[0].outputs = [nbformat.v4.new_output("stream", name="stdout", text="hej\n")]
    nb.cells[0].execution_count = 1
    nbformat.write(nb, notebook)
    run = [str(tasks.program("pre-commit", repo)), "run", "nbstripout", "--files", "notebooks/10_a.ipynb"]
    done = subprocess.run(run, cwd=repo, env=env, capture_output=True, text=True)
    # "Passed": pre-commit looks for changes through git, whose filter hides outputs already
    assert done.returncode == 0, done.stdout
    stripped = nbformat.read(notebook, as_version=4)
    assert stripped.cells[0].outputs == [] and stripped.cells[0].execution_count is None


# ------------------------------------------------------------------ conda


def _conda_prefix(folder: Path, system: str = os.name) -> Path:
    """A stand-in for a conda environment that holds the package (its bro-analysis program)."""
    program = Path(tasks.conda_program("bro-analysis", folder, system))
    program.parent.mkdir(parents=True)
    program.write_text("", encoding="utf-8")
    return folder


def test_the_tasks_use_an_activated_conda_environment_with_the_package_when_there_is_no_venv(tmp_path):
    root, prefix = tmp_path / "bro", _conda_prefix(tmp_path / "envs" / "bro-analysis")
    root.mkdir()
    assert tasks.conda_env(root, {"CONDA_PREFIX": str(prefix)}, "posix") == prefix
    assert tasks.conda_env(root, {}, "posix") is None
    base = tmp_path / "miniconda3"  # conda's base environment, without the package
    base.mkdir()
    assert tasks.conda_env(root, {"CONDA_PREFIX": str(base)}, "posix") is None
    venv_python = Path(tasks.program("python", root, "posix"))
    venv_python.parent.mkdir(parents=True)
    venv_python.write_text("", encoding="utf-8")
    assert tasks.conda_env(root, {"CONDA_PREFIX": str(prefix)}, "posix") is None  # .venv first


def test_in_a_conda_environment_on_windows_python_is_at_the_top_and_the_filter_quotes_it():
    prefix = PureWindowsPath(r"C:\Users\Anna Svensson\miniconda3\envs\bro-analysis")
    assert tasks.notebook_filter("nt", prefix) == (
        "'C:/Users/Anna Svensson/miniconda3/envs/bro-analysis/python.exe' -m nbstripout --keep-id"
    )
    (jupyter,) = [c for c in tasks.commands("lab", {}, WINDOWS_ROOT, "nt", prefix) if c[0] != "git"]
    assert jupyter[0] == str(prefix / "Scripts" / "jupyter.exe")
    assert tasks.commands("tool", {"extra": ["nbstripout", "a.ipynb"]}, WINDOWS_ROOT, "nt", prefix) == [
        [str(prefix / "Scripts" / "nbstripout.exe"), "a.ipynb"]
    ]
    posix = PurePosixPath("/opt/conda/envs/bro-analysis")
    assert tasks.notebook_filter("posix", posix) == "/opt/conda/envs/bro-analysis/bin/python -m nbstripout --keep-id"


def _linked_environment(prefix: Path) -> Path:
    """An environment at prefix made of links into this one (its python, packages and
    programs, bro-analysis among them), with an etc/ of its own: what is written there
    stays out of this environment."""
    prefix.mkdir(parents=True)
    for entry in Path(sys.prefix).iterdir():
        if entry.name != "etc":
            (prefix / entry.name).symlink_to(entry, target_is_directory=entry.is_dir())
    return prefix


def test_notebook_filter_for_real_in_a_conda_environment_uses_its_python(tmp_path):
    """`python tasks.py notebook-filter` in a clone without .venv, with an activated conda
    environment that holds the package: git's filter runs that environment's python by its
    whole path and strips a notebook's outputs, and its Jupyter servers get the save hook's
    configuration; without CONDA_PREFIX the filter is .venv's."""
    if shutil.which("git") is None or os.name == "nt":
        pytest.skip("git och symboliska länkar behövs")
    repo, prefix = tmp_path / "bro", _linked_environment(tmp_path / "envs" / "bro-analysis")
    env = {name: value for name, value in os.environ.items() if name != "CONDA_PREFIX"}
    env.update(GIT_CONFIG_NOSYSTEM="1", GIT_CONFIG_GLOBAL=os.devnull)

    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True, text=True).stdout

    for name in ("tasks.py", ".gitattributes", tasks.JUPYTER_CONFIG):
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(PROJECT_ROOT / name, repo / name)
    git("init", "-q")
    script = [sys.executable, "tasks.py", "notebook-filter"]
    done = subprocess.run(script, cwd=repo, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert git("config", "filter.nbstripout.clean").strip() == ".venv/bin/python -m nbstripout --keep-id"
    assert "Obs: .venv finns inte ännu" in done.stdout

    done = subprocess.run(script, cwd=repo, env={**env, "CONDA_PREFIX": str(prefix)}, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"Använder conda-miljön {prefix}")
    assert "Obs:" not in done.stdout
    clean = f"{shlex.quote(str(prefix / 'bin' / 'python'))} -m nbstripout --keep-id"
    assert git("config", "filter.nbstripout.clean").strip() == clean
    assert not (repo / ".venv").exists()
    config = prefix / "etc" / "jupyter" / "jupyter_server_config.d" / "bro_analysis.json"
    assert json.loads(config.read_text(encoding="utf-8")) == {
        "ServerApp": {"jpserver_extensions": {"bro_analysis.running.lab": True}}
    }

    _commit_then_save_with_outputs(repo, git)


def test_the_jupyter_configuration_is_written_once_into_an_environment_that_exists(tmp_path):
    absent = tmp_path / "absent"
    assert tasks.write_jupyter_config(absent, PROJECT_ROOT) is None and not absent.exists()
    prefix = tmp_path / "env"
    python = Path(tasks.conda_program("python", prefix))
    python.parent.mkdir(parents=True)
    python.write_text("", encoding="utf-8")
    written = tasks.write_jupyter_config(prefix, PROJECT_ROOT)
    assert written == prefix / "etc" / "jupyter" / "jupyter_server_config.d" / "bro_analysis.json"
    assert written.read_bytes() == (PROJECT_ROOT / tasks.JUPYTER_CONFIG).read_bytes()
    assert tasks.write_jupyter_config(prefix, PROJECT_ROOT) is None  # there already: no line again
    root = tmp_path / "klon"  # .venv of a checkout: its python is in .venv's bin (Scripts)
    (root / tasks.JUPYTER_CONFIG).parent.mkdir(parents=True)
    shutil.copy(PROJECT_ROOT / tasks.JUPYTER_CONFIG, root / tasks.JUPYTER_CONFIG)
    assert tasks.write_jupyter_config(root / ".venv", root) is None
    Path(tasks.program("python", root)).parent.mkdir(parents=True)
    Path(tasks.program("python", root)).write_text("", encoding="utf-8")
    assert tasks.write_jupyter_config(root / ".venv", root) == root / ".venv" / written.relative_to(prefix)
