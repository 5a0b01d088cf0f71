"""The workbook's front door on Windows, macOS and Linux: `python tasks.py report`,
`python tasks.py test` and the other tasks below. The Makefile calls this script, so
`make report` and `python tasks.py report` are the same steps.

Standard library only, and readable by any Python 3 (it must run before .venv exists, and
say so in Swedish when the Python is too old). The first task creates .venv with the
Python that runs it, bootstraps there the uv that pyproject.toml requires, and installs
exactly what uv.lock pins: for a report only the package and what it needs, for `test`,
`lint`, `lab` and `hooks` also the test extra and the developers' tools.

In an activated conda environment made from environment.yml (it holds the package), a
checkout without .venv uses that environment instead: nothing is installed, and the tasks,
the git filter for notebooks and the pre-commit hooks run its programs.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path, PurePath, PurePosixPath, PureWindowsPath

ROOT = Path(__file__).resolve().parent
VENV = ".venv"
STAMP = ".installed-stamp"  # in .venv: what was installed, from which lock
SUPPORTED = ((3, 11), (3, 13))  # as pyproject's requires-python and [tool.uv] environments
DEFAULT_DATA = "data/example"
DEFAULT_JOBS = "2"  # pytest-xdist workers for the full suite (each test module stays on one worker)

# What a task installs. A higher level includes the lower ones.
NOTHING, INSTALLER, REPORT, DEV = 0, 1, 2, 3
SYNC = {
    # the package and its dependencies, and uv itself (kept in .venv)
    REPORT: ["sync", "--locked", "--no-dev", "--group", "installer"],
    # everything the lock pins: the test extra and the dev group (which includes uv)
    DEV: ["sync", "--locked", "--all-extras"],
}
LEVEL_TEXT = {
    REPORT: "paketet och det en rapport behöver",
    DEV: "paketet med test- och utvecklarverktyg",
}
# The git filter that strips notebook outputs on staging (.gitattributes). The path is
# relative (git runs filters at the top of the working tree), so it survives a move.
NBSTRIPOUT_ARGS = ["-m", "nbstripout", "--keep-id"]
# What JupyterLab and papermill write into a notebook besides its outputs (the Python
# version in language_info, papermill's run records): stripped too, so a saved notebook is
# no change to git. The committed notebooks keep language_info's name only.
NOTEBOOK_EXTRA_KEYS = [
    *(f"metadata.language_info.{key}" for key in ("codemirror_mode", "file_extension", "mimetype")),
    *(f"metadata.language_info.{key}" for key in ("nbconvert_exporter", "pygments_lexer", "version")),
    "metadata.papermill",
    "cell.metadata.papermill",
]
# After each save Lab asks git to compare the notebook through the filter (bro_analysis.running.lab).
LAB_OPTIONS = ["--ContentsManager.post_save_hook=bro_analysis.running.lab.refresh_git_index"]
# The same for every Jupyter server of the environment, however started (`jupyter lab`, `uv run
# jupyter lab`): this file in {prefix}/etc/jupyter enables the server extension that registers
# the hook. A wheel installs it (pyproject's data-files); an editable install does not, so the
# notebook tasks write it.
JUPYTER_CONFIG = "bro_analysis/running/jupyter_server_config.d/bro_analysis.json"
JUPYTER_CONFIG_DIR = ("etc", "jupyter", "jupyter_server_config.d")
NOTEBOOK_TASKS = ("notebook-filter", "hooks", "lab")

HELP = """\
Användning: python tasks.py UPPGIFT [-v] [flaggor]   (Windows: py tasks.py …)

  report           kör alla notebooks för standardperioden på exempeldatan -> outputs/
                     --period 2026-08  --data MAPP  (andra flaggor går till bro-analysis kör)
  test             hela testsviten (det CI kör); --jobs N parallella arbetare
  test-fast        den snabba delen: inga kärnor, ingen webbläsare
  lint             ruff check, ruff format --check, mypy och lint-imports
  format           ruff format och ruffs säkra rättningar
  lab              öppna JupyterLab på notebooks/ (och git-filtret för notebooks)
  hooks            installera pre-commit-krokarna och git-filtret för notebooks
  notebook-filter  bara git-filtret som håller utdata ur notebooks i git (.gitattributes)
  tool PROGRAM …   kör ett av miljöns program (ruff, nbstripout …); pre-commit-krokarna gör så
  validate         kontrollera varje tabell i --data MAPP (standard: exempeldatan)
  example-data     gör om data/example/ från sin generator
  bench            prestandamätningen
  backtest         prövar varje månads prognoser mot årets faktiska utfall
  lock             uppdatera uv.lock till de nyaste versioner pyproject.toml tillåter
  clean            ta bort outputs/ och verktygens cachar

Första gången skapas .venv och allt installeras exakt enligt uv.lock, med en rad per steg;
-v visar installationens detaljer. Flaggor efter -- går oförändrade till kommandot.
I en aktiverad conda-miljö från environment.yml, och utan .venv, används conda-miljön.
"""

TASKS = {
    "report": REPORT,
    "validate": REPORT,
    "example-data": REPORT,
    "bench": REPORT,
    "backtest": REPORT,
    "test": DEV,
    "test-fast": DEV,
    "lint": DEV,
    "format": DEV,
    "lab": DEV,
    "hooks": DEV,
    "lock": INSTALLER,
    "notebook-filter": NOTHING,
    "tool": NOTHING,
    "clean": NOTHING,
    "help": NOTHING,
}


class TaskError(Exception):
    """A step that failed; the message is for the reader, the code is the exit code."""

    def __init__(self, message: str, code: int = 1):
        super().__init__(message)
        self.code = code


# ------------------------------------------------------------------ paths per system


def scripts_dir(root: PurePath = ROOT, system: str = os.name) -> PurePath:
    """The venv's folder of programs: Scripts on Windows, bin elsewhere."""
    flavour = PureWindowsPath if system == "nt" else PurePosixPath
    return flavour(root) / VENV / ("Scripts" if system == "nt" else "bin")


def program(name: str, root: PurePath = ROOT, system: str = os.name) -> PurePath:
    """A program installed in .venv (python, uv, bro-analysis …), with .exe on Windows."""
    return scripts_dir(root, system) / (f"{name}.exe" if system == "nt" else name)


def conda_program(name: str, prefix: PurePath, system: str = os.name) -> PurePath:
    """A program of a conda environment: on Windows python.exe at its top and the others
    in Scripts, elsewhere all in bin."""
    if system == "nt":
        top = PureWindowsPath(prefix)
        return top / "python.exe" if name == "python" else top / "Scripts" / f"{name}.exe"
    return PurePosixPath(prefix) / "bin" / name


def conda_env(root: Path = ROOT, environ: Mapping[str, str] = os.environ, system: str = os.name) -> Path | None:
    """The activated conda environment (CONDA_PREFIX) that the tasks use instead of .venv:
    only when the checkout has no .venv and the environment holds the package (its
    bro-analysis program, which environment.yml's `pip install -e .` puts there). Not
    conda's base environment, nor one without the package: then .venv as always."""
    prefix = environ.get("CONDA_PREFIX")
    if not prefix or Path(program("python", root, system)).exists():
        return None
    return Path(prefix) if Path(conda_program("bro-analysis", Path(prefix), system)).exists() else None


def notebook_filter(system: str = os.name, conda: PurePath | None = None) -> str:
    """The nbstripout clean command for git: .venv's python relative to the top of the
    working tree (so the command survives a move of the checkout), or the conda
    environment's python by its whole path, quoted (a Windows user name may hold a space)."""
    # git runs the command through sh, also on Windows: forward slashes
    if conda is None:
        python = program("python", PurePath("."), system).as_posix()
    else:
        python = shlex.quote(conda_program("python", conda, system).as_posix())
    return " ".join([python, *NBSTRIPOUT_ARGS])


def required_uv(pyproject: str) -> str:
    """The uv version pyproject.toml's [tool.uv] required-version pins ("==X")."""
    match = re.search(r'^required-version\s*=\s*"==([^"]+)"', pyproject, re.MULTILINE)
    if not match:
        raise TaskError('pyproject.toml saknar required-version = "==…" under [tool.uv].')
    return match.group(1)


# ------------------------------------------------------------------ the tasks' commands


def commands(
    task: str, options: dict, root: PurePath = ROOT, system: str = os.name, conda: PurePath | None = None
) -> list[list[str]]:
    """The commands a task runs once .venv is installed (or in the conda environment), in order."""

    def run(name: str, *args: str) -> list[str]:
        found = program(name, root, system) if conda is None else conda_program(name, conda, system)
        return [str(found), *args]

    extra = list(options.get("extra", []))
    data = options.get("data") or DEFAULT_DATA
    period = ["--period", options["period"]] if options.get("period") else []
    jobs = options.get("jobs") or DEFAULT_JOBS
    table = {
        "report": [run("bro-analysis", "kör", "--data", data, *period, *extra)],
        "validate": [run("bro-analysis", "kontrollera", "--data", data, *extra)],
        "example-data": [run("bro-analysis", "exempeldata", "--out", DEFAULT_DATA, *extra)],
        "bench": [run("python", "-m", "bro_analysis.running.benchmark", *extra)],
        "backtest": [run("python", "-m", "bro_analysis.running.backtest", *extra)],
        "test": [run("python", "-m", "pytest", "-n", jobs, "--dist", "loadfile", *extra)],
        "test-fast": [run("python", "-m", "pytest", "-m", "not e2e", "-n", jobs, *extra)],
        "lint": [
            run("ruff", "check", "."),
            run("ruff", "format", "--check", "."),
            run("mypy"),
            run("lint-imports", "--no-cache"),
        ],
        "format": [run("ruff", "check", "--fix", "."), run("ruff", "format", ".")],
        "lock": [run("uv", "lock", "--upgrade", *extra)],
        # --install-hooks: pre-commit makes the hooks' environment now, offline (hook_env)
        "hooks": [*filter_config(system, conda), run("pre-commit", "install", "--install-hooks")],
        "lab": [*filter_config(system, conda), run("jupyter", "lab", *LAB_OPTIONS, "notebooks", *extra)],
        "notebook-filter": filter_config(system, conda),
        "tool": [run(*extra)] if extra else [],
    }
    return table.get(task, [])


def filter_config(system: str = os.name, conda: PurePath | None = None) -> list[list[str]]:
    """git config of the notebook filter (.gitattributes): outputs never show as a change."""
    return [
        ["git", "config", "filter.nbstripout.clean", notebook_filter(system, conda)],
        ["git", "config", "filter.nbstripout.smudge", "cat"],
        ["git", "config", "filter.nbstripout.extrakeys", " ".join(NOTEBOOK_EXTRA_KEYS)],
    ]


def sync_command(level: int, verbose: bool, root: PurePath = ROOT, system: str = os.name) -> list[str]:
    """uv sync for an install level: exactly the lock's versions, quiet unless -v."""
    uv, python = str(program("uv", root, system)), str(program("python", root, system))
    return [uv, *SYNC[level], "--python", python, *([] if verbose else ["--quiet"])]


# ------------------------------------------------------------------ installing


def lock_digest(root: Path = ROOT) -> str:
    """What an install depends on: uv.lock and pyproject.toml."""
    digest = hashlib.sha256()
    for name in ("uv.lock", "pyproject.toml"):
        digest.update((root / name).read_bytes())
    return digest.hexdigest()


def installed_level(root: Path = ROOT) -> int:
    """The level .venv was installed at from today's lock (NOTHING when stale or absent)."""
    try:
        stamp = json.loads((root / VENV / STAMP).read_text(encoding="utf-8"))
        return int(stamp["level"]) if stamp.get("lock") == lock_digest(root) else NOTHING
    except (OSError, ValueError, KeyError, TypeError):
        return NOTHING


def previous_level(root: Path = ROOT) -> int:
    """The level .venv was last installed at, whatever the lock was then."""
    try:
        return int(json.loads((root / VENV / STAMP).read_text(encoding="utf-8"))["level"])
    except (OSError, ValueError, KeyError, TypeError):
        return NOTHING


def say(text: str) -> None:
    print(text, flush=True)


def step(command: list, verbose: bool, failure: str, cwd: Path = ROOT) -> None:
    """Run an install step: its output only with -v or when it fails."""
    if verbose:
        code = subprocess.run(command, cwd=cwd).returncode
        output = ""
    else:
        done = subprocess.run(command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        code, output = done.returncode, done.stdout
    if code != 0:
        raise TaskError(f"{output.rstrip()}\n{failure}".strip(), code)


def check_python(version: tuple = tuple(sys.version_info[:2])) -> None:
    low, high = SUPPORTED
    if not low <= version <= high:
        have = ".".join(map(str, version))
        raise TaskError(
            f"Python {have} kan inte köra arbetsboken; den behöver Python 3.11, 3.12 eller 3.13. "
            "Installera en av dem (python.org) och kör till exempel `py -3.12 tasks.py report` (Windows) "
            "eller `python3.12 tasks.py report` (macOS, Linux)."
        )


def outer_pip() -> bool:
    """Whether the Python running this script has a pip that installs into another Python
    (`pip --python`, pip 22.3 and later)."""
    try:
        from importlib.metadata import version

        return tuple(int(part) for part in version("pip").split(".")[:2]) >= (22, 3)
    except Exception:  # no pip, or a version that is no number
        return False


def venv_command(has_outer_pip: bool) -> list[str]:
    """`python -m venv`: without pip of its own when this Python's pip can install uv into
    it (putting pip into the new .venv is the slowest part of making it)."""
    return [sys.executable, "-m", "venv", *(["--without-pip"] if has_outer_pip else []), VENV]


def pip_command(root: PurePath = ROOT, system: str = os.name) -> list[str]:
    """pip installing into .venv: its own pip if it has one, else this Python's."""
    python = str(program("python", root, system))
    if Path(program("pip", root, system)).exists():
        return [python, "-m", "pip", "install"]
    return [sys.executable, "-m", "pip", "--python", python, "install"]


def create_venv(verbose: bool, root: Path = ROOT) -> None:
    if Path(program("python", root)).exists():
        return
    check_python()
    say(f"Skapar miljön {VENV} med Python {sys.version.split()[0]} …")
    step(venv_command(outer_pip()), verbose, f"Kunde inte skapa {VENV} med {sys.executable}.", root)


def bootstrap_uv(verbose: bool, root: Path = ROOT) -> None:
    """uv at the version pyproject.toml requires, installed in .venv with pip."""
    version = required_uv((root / "pyproject.toml").read_text(encoding="utf-8"))
    uv = Path(program("uv", root))
    if uv.exists():
        found = subprocess.run([str(uv), "--version"], capture_output=True, text=True).stdout.split()
        if found[1:2] == [version]:
            return
    say(f"Installerar uv {version} i {VENV} …")
    quiet = [] if verbose else ["--quiet"]
    command = [*pip_command(root), "--disable-pip-version-check", *quiet, f"uv=={version}"]
    step(command, verbose, f"Kunde inte installera uv {version}.", root)


def install(level: int, verbose: bool, root: Path = ROOT) -> None:
    """.venv installed at `level` or above from today's uv.lock, one line per step."""
    if level == NOTHING or installed_level(root) >= level:
        return
    create_venv(verbose, root)
    bootstrap_uv(verbose, root)
    if level == INSTALLER:
        return
    level = max(level, previous_level(root))  # never take away what an earlier task installed
    say(f"Installerar {LEVEL_TEXT[level]} exakt enligt uv.lock …")
    failure = "Installationen misslyckades; kör igen med -v för detaljer."
    step(sync_command(level, verbose, root), verbose, failure, root)
    stamp = {"level": level, "lock": lock_digest(root)}
    (root / VENV / STAMP).write_text(json.dumps(stamp) + "\n", encoding="utf-8")


# ------------------------------------------------------------------ the command line


def parse(argv: list[str]) -> tuple[str, dict]:
    """The task and its options: -v, --data, --period, --jobs; everything else (and all
    after --) goes to the task's command."""
    leading = [arg for arg in argv[:1] if arg in ("-v", "--verbose")]  # `make V=1` puts -v first
    task, rest = (argv[len(leading)], argv[len(leading) + 1 :]) if argv[len(leading) :] else ("help", [])
    rest = leading + rest
    if task in ("-h", "--help"):
        task = "help"
    if task not in TASKS:
        raise TaskError(f"Okänd uppgift: {task}. Välj en av: {', '.join(TASKS)}.", 2)
    options: dict = {"verbose": False, "extra": []}
    if task == "tool":  # the program and its arguments as they are (pre-commit adds file names)
        if not argv[len(leading) + 1 :]:
            raise TaskError("tool behöver ett program, till exempel: python tasks.py tool ruff check .", 2)
        return task, {**options, "verbose": bool(leading), "extra": argv[len(leading) + 1 :]}
    i = 0
    while i < len(rest):
        arg = rest[i]
        name, _, value = arg.partition("=")
        if arg == "--":
            options["extra"] += rest[i + 1 :]
            break
        if arg in ("-v", "--verbose"):
            options["verbose"] = True
        elif name in ("--data", "--period", "--jobs"):
            if not value:
                if i + 1 >= len(rest):
                    raise TaskError(f"{name} behöver ett värde.", 2)
                i, value = i + 1, rest[i + 1]
            options[name[2:]] = value
        else:
            options["extra"].append(arg)
        i += 1
    return task, options


def shown(command: list[str]) -> str:
    text = [os.path.relpath(command[0], ROOT) if os.path.isabs(command[0]) else command[0], *command[1:]]
    return subprocess.list2cmdline(text) if os.name == "nt" else shlex.join(text)


def task_env(environ: dict) -> dict:
    """The environment of a task's commands: Python keeps the bytecode it compiles (in .venv
    and the package), also where PYTHONDONTWRITEBYTECODE is set. Nothing is compiled ahead
    (compiling every installed file took a third of the first run), so without this every
    run, and every notebook kernel, would compile its modules anew."""
    return {name: value for name, value in environ.items() if name != "PYTHONDONTWRITEBYTECODE"}


def hook_env(python: str) -> dict[str, str]:
    """pip settings for `pre-commit install --install-hooks`. The hooks are `language: python`
    (so that `python` runs tasks.py on every system), and pre-commit makes their environment
    with `pip install` of a placeholder package, whose build needs setuptools: pip takes it
    from the wheels that virtualenv (pre-commit's) carries, and asks no index."""
    code = "from virtualenv.seed.wheels.embed import BUNDLE_FOLDER; print(BUNDLE_FOLDER)"
    done = subprocess.run([python, "-c", code], capture_output=True, text=True)
    if done.returncode != 0:
        raise TaskError(f"Hittar inte virtualenvs hjul med {python}:\n{done.stderr.strip()}")
    return {"PIP_NO_INDEX": "1", "PIP_FIND_LINKS": done.stdout.strip()}


def write_jupyter_config(prefix: Path, root: Path = ROOT) -> Path | None:
    """The post-save hook's configuration in the environment at prefix, for every Jupyter
    server started from it: the file when it was written now; nothing when it was there
    already or the environment does not exist yet."""
    python = program("python", root) if prefix == root / VENV else conda_program("python", prefix)
    if not Path(python).exists():
        return None
    target = prefix.joinpath(*JUPYTER_CONFIG_DIR, PurePosixPath(JUPYTER_CONFIG).name)
    source = (root / JUPYTER_CONFIG).read_bytes()
    if target.exists() and target.read_bytes() == source:
        return None
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(source)
    return target


def missing_program(command: list[str]) -> TaskError | None:
    """An error that names the environment's program the command needs, when it is missing."""
    path = Path(command[0])
    if not path.is_absolute() or path.exists():
        return None
    return TaskError(
        f"{path.name} finns inte i {path.parent}. Utvecklarverktygen installeras i {VENV} med "
        "`python tasks.py hooks` (eller `make hooks`). Med conda: aktivera miljön "
        "(`conda activate bro-analysis`) innan du kör eller checkar in, eller installera den med "
        "`conda env update -f environment.yml`."
    )


def clean() -> None:
    for name in ("outputs", ".pytest_cache", ".mypy_cache", ".ruff_cache"):
        shutil.rmtree(ROOT / name, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    try:
        task, options = parse(sys.argv[1:] if argv is None else argv)
        if task == "help":
            print(HELP, end="")
            return 0
        if task == "clean":
            clean()
            return 0
        conda = conda_env()
        if conda is None:
            install(TASKS[task], options["verbose"])
        elif task != "tool":
            say(f"Använder conda-miljön {conda} (ingen {VENV} i mappen).")
        written = write_jupyter_config(ROOT / VENV if conda is None else conda) if task in NOTEBOOK_TASKS else None
        if written:
            say(f"Jupyter i miljön kör git-kroken efter varje sparning ({written}).")
        if task == "notebook-filter" and conda is None and not Path(program("python")).exists():
            say(
                f"Obs: {VENV} finns inte ännu, så filtret fungerar först när `python tasks.py lab` eller "
                "`hooks` har installerat den (med conda: aktivera miljön från environment.yml och kör igen)."
            )
        env = task_env(dict(os.environ))
        if task == "hooks":
            python = program("python") if conda is None else conda_program("python", conda)
            env.update(hook_env(str(python)))
        for command in commands(task, options, conda=conda):
            error = missing_program(command)
            if error:
                raise error
            if task != "tool":  # a hook's output is the tool's own
                say(shown(command))
            code = subprocess.run(command, cwd=ROOT, env=env).returncode
            if code != 0:
                return code
        return 0
    except TaskError as exc:
        print(exc, file=sys.stderr)
        return exc.code
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
