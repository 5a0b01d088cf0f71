"""The package works where it is installed: `bro-analysis init MAPP` makes a working folder,
the commands find plan, settings and data in the documented order (command line,
environment variable, the folder you stand in or one above, the source checkout), and
say every place they looked when they find nothing.

The end-to-end test builds the wheel from a copy of the sources, installs it into a fresh
venv outside the checkout (no network: the venv sees the installed dependencies of this
one through a .pth file), makes a working folder with `init --exempeldata` and runs it."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from bro_analysis.core import config
from bro_analysis.core.config import PROJECT_ROOT, Workdir, data_folder, find_workdir
from bro_analysis.input.templates import HAND_TABLES
from bro_analysis.running import cli

ENV = (config.ENV_WORKDIR, config.ENV_DATA)


@pytest.fixture(autouse=True)
def _no_workdir_from_outside(monkeypatch):
    for name in ENV:
        monkeypatch.delenv(name, raising=False)


def _folder_with_plan(folder: Path, in_data: bool = False) -> Path:
    target = folder / "data" if in_data else folder
    target.mkdir(parents=True, exist_ok=True)
    for name in ("okr.toml", "settings.toml"):
        shutil.copy(PROJECT_ROOT / "data" / name, target / name)
    return folder


# --- the search order ------------------------------------------------------------------


def test_the_folder_you_stand_in_or_one_above_is_found(tmp_path):
    work = _folder_with_plan(tmp_path / "arbete")
    (work / "data" / "underkatalog").mkdir(parents=True)
    found = find_workdir(cwd=work / "data" / "underkatalog")
    assert found == Workdir(work.resolve(), "arbetsmappen")
    assert found.plan == work.resolve() / "okr.toml" and found.settings == work.resolve() / "settings.toml"
    assert found.data == work.resolve() / "data" and found.outputs == work.resolve() / "outputs"


def test_a_source_checkout_keeps_plan_in_data_and_runs_the_example_data(tmp_path):
    copy = _folder_with_plan(tmp_path / "kopia", in_data=True)
    found = find_workdir(cwd=copy)
    assert found.plan == copy.resolve() / "data" / "okr.toml"
    assert found.data == copy.resolve() / "data" / "example"


def test_option_before_environment_before_folder(tmp_path, monkeypatch):
    here, env, option = (_folder_with_plan(tmp_path / n) for n in ("här", "miljö", "flagga"))
    monkeypatch.chdir(here)
    assert find_workdir().root == here.resolve()
    monkeypatch.setenv(config.ENV_WORKDIR, str(env))
    assert find_workdir().root == env.resolve()
    assert find_workdir(option).root == option.resolve()


def test_the_source_checkout_is_the_last_place(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert find_workdir() == Workdir(PROJECT_ROOT, "källkoden")


def test_data_folder_option_then_environment_then_working_folder(tmp_path, monkeypatch):
    work = _folder_with_plan(tmp_path / "arbete")
    monkeypatch.chdir(work)
    assert data_folder() == work.resolve() / "data"
    monkeypatch.setenv(config.ENV_DATA, str(tmp_path / "annan"))
    assert data_folder() == tmp_path / "annan"
    assert data_folder(tmp_path / "flagga") == tmp_path / "flagga"


def test_nothing_found_names_every_place_looked(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(config, "PROJECT_ROOT", tmp_path / "installerat")  # as from a wheel: no checkout
    deep = tmp_path / "a" / "b"
    deep.mkdir(parents=True)
    monkeypatch.chdir(deep)
    assert cli.main(["validate"]) == 2
    err = capsys.readouterr().err
    assert "Hittar ingen arbetsmapp" in err
    assert "--arbetsmapp: inte angiven" in err
    assert f"{config.ENV_WORKDIR}: inte satt" in err
    for folder in (deep, deep.parent, tmp_path):  # the folder and every one above it
        assert str(folder.resolve()) in err
    assert str(tmp_path / "installerat" / "data" / "okr.toml") in err
    assert "bro-analysis init" in err


@pytest.mark.parametrize("how", ["option", "environment"])
def test_a_named_folder_without_plan_is_an_error_naming_it(tmp_path, monkeypatch, capsys, how):
    empty = tmp_path / "tom"
    empty.mkdir()
    if how == "environment":
        monkeypatch.setenv(config.ENV_WORKDIR, str(empty))
    assert cli.main(["validate", *(["--arbetsmapp", str(empty)] if how == "option" else [])]) == 2
    err = capsys.readouterr().err
    assert str(empty.resolve()) in err and "ingen okr.toml" in err
    assert ("--arbetsmapp" if how == "option" else config.ENV_WORKDIR) in err
    assert config.ENV_WORKDIR not in os.environ or how == "environment"  # the option is not left behind


# --- mallar ---------------------------------------------------------------------------


def test_templates_command_writes_each_register_once_and_replaces_only_when_asked(tmp_path, capsys):
    out = tmp_path / "mallar"
    assert cli.main(["mallar", "--ut", str(out)]) == 0
    assert sorted(p.name for p in out.iterdir()) == sorted(f"{name}.xlsx" for name in HAND_TABLES)
    before = (out / "leads.xlsx").stat().st_mtime_ns
    capsys.readouterr()
    assert cli.main(["mallar", "--ut", str(out)]) == 2
    err = capsys.readouterr().err
    assert "leads.xlsx" in err and "--skriv-över" in err
    assert (out / "leads.xlsx").stat().st_mtime_ns == before
    assert cli.main(["mallar", "--ut", str(out), "--skriv-över"]) == 0
    assert "Skrev över" in capsys.readouterr().out


# --- init ------------------------------------------------------------------------------


def test_init_makes_a_working_folder(tmp_path, capsys):
    folder = tmp_path / "arbete"
    assert cli.main(["init", str(folder)]) == 0
    assert "Skapade arbetsmappen" in capsys.readouterr().out
    for name in ("okr.toml", "settings.toml"):
        assert (folder / name).read_bytes() == (PROJECT_ROOT / "data" / name).read_bytes()
    notebooks = sorted(p.name for p in (PROJECT_ROOT / "notebooks").glob("*.ipynb"))
    assert sorted(p.name for p in (folder / "notebooks").iterdir()) == notebooks
    assert [p.name for p in (folder / "data").iterdir()] == ["README.md"]
    assert (folder / "data" / "README.md").read_bytes() == (PROJECT_ROOT / "data" / "README.md").read_bytes()
    assert not (folder / "exempeldata").exists()
    templates = sorted(p.name for p in (folder / "mallar").iterdir())
    assert templates == sorted(f"{name}.xlsx" for name in HAND_TABLES)
    found = find_workdir(cwd=folder)
    assert found.root == folder.resolve() and found.notebooks == folder.resolve() / "notebooks"


def test_init_with_example_data(tmp_path):
    folder = tmp_path / "arbete"
    assert cli.main(["init", str(folder), "--exempeldata"]) == 0
    example = PROJECT_ROOT / "data" / "example"
    files = sorted(p.relative_to(example) for p in example.rglob("*") if p.is_file())
    assert (
        sorted(p.relative_to(folder / "exempeldata") for p in (folder / "exempeldata").rglob("*") if p.is_file())
        == files
    )


@pytest.mark.parametrize("kind", ["non-empty folder", "file"])
def test_init_never_writes_into_something_that_exists(tmp_path, capsys, kind):
    folder = tmp_path / "arbete"
    if kind == "file":
        folder.write_text("x")
    else:
        folder.mkdir()
        (folder / "min.csv").write_text("x")
    before = sorted(tmp_path.rglob("*"))
    assert cli.main(["init", str(folder)]) == 2
    err = capsys.readouterr().err
    assert str(folder) in err and "skriver aldrig över" in err
    assert sorted(tmp_path.rglob("*")) == before


def test_an_empty_folder_may_be_made_a_working_folder(tmp_path):
    folder = tmp_path / "arbete"
    folder.mkdir()
    assert cli.main(["init", str(folder)]) == 0
    assert (folder / "okr.toml").is_file()


# --- the wheel ---------------------------------------------------------------------------


def _bin(venv: Path, name: str) -> Path:
    return venv / ("Scripts" if os.name == "nt" else "bin") / (f"{name}.exe" if os.name == "nt" else name)


def _run(args: list, cwd: Path, env: dict, timeout: int = 600) -> subprocess.CompletedProcess:
    return subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)


def _fresh_install(tmp_path: Path) -> tuple[Path, dict]:
    """The wheel built from a copy of the sources (the checkout is left as it is), installed
    into a fresh venv; returns the venv and an environment that runs it."""
    uv = shutil.which("uv", path=str(Path(sys.executable).parent)) or shutil.which("uv")
    assert uv, "uv behövs för att bygga hjulet (make test installerar det i .venv)"
    src = tmp_path / "källkod"
    for name in ("pyproject.toml", "setup.py", "README.md", "LICENSE"):
        src.mkdir(exist_ok=True)
        shutil.copy(PROJECT_ROOT / name, src / name)
    for name in ("bro_analysis", "notebooks", "data"):
        shutil.copytree(PROJECT_ROOT / name, src / name, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    env = {k: v for k, v in os.environ.items() if k not in (*ENV, "PYTHONPATH", "VIRTUAL_ENV")}
    built = _run([uv, "build", "--wheel", "--offline", "-o", tmp_path / "dist"], src, env)
    assert built.returncode == 0, built.stderr[-3000:]
    (wheel,) = (tmp_path / "dist").glob("*.whl")
    shipped = set(zipfile.ZipFile(wheel).namelist())
    packages = {p.relative_to(src).as_posix() for p in (src / "bro_analysis").rglob("__init__.py")}
    assert packages - shipped == set(), "paket som saknas i hjulet"  # found, not listed: a new area too
    venv = tmp_path / "venv"
    made = _run([sys.executable, "-m", "venv", "--without-pip", venv], tmp_path, env)
    assert made.returncode == 0, made.stderr
    python = _bin(venv, "python")
    installed = _run([uv, "pip", "install", "--offline", "--no-deps", "--python", python, wheel], tmp_path, env)
    assert installed.returncode == 0, installed.stderr[-3000:]
    site = _run([python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"], tmp_path, env)
    # The dependencies (pandas, papermill, …) from this environment, after the venv's own packages.
    Path(site.stdout.strip(), "beroenden.pth").write_text(sysconfig.get_path("purelib") + "\n", encoding="utf-8")
    # and their data files (nbconvert's templates, the python3 kernel), as an install with them would have.
    env["JUPYTER_PATH"] = str(Path(sys.prefix, "share", "jupyter"))
    env["PATH"] = os.pathsep.join([str(python.parent), env.get("PATH", "")])
    return venv, env


@pytest.mark.e2e
def test_the_installed_wheel_makes_a_working_folder_and_runs_it(tmp_path):
    venv, env = _fresh_install(tmp_path)
    where = _run([_bin(venv, "python"), "-c", "import bro_analysis; print(bro_analysis.__file__)"], tmp_path, env)
    assert Path(where.stdout.strip()).is_relative_to(venv), where.stdout + where.stderr  # not the checkout
    # every Jupyter server of the venv loads the extension whose save hook keeps git status clean
    jupyter = venv / "etc" / "jupyter" / "jupyter_server_config.d" / "bro_analysis.json"
    assert json.loads(jupyter.read_text(encoding="utf-8"))["ServerApp"]["jpserver_extensions"] == {
        "bro_analysis.running.lab": True
    }

    elsewhere = tmp_path / "någonstans"
    elsewhere.mkdir()
    lost = _run([_bin(venv, "bro-analysis"), "run"], elsewhere, env)
    assert lost.returncode == 2 and "Hittar ingen arbetsmapp" in lost.stderr, lost.stderr
    assert str(elsewhere) in lost.stderr and "--arbetsmapp" in lost.stderr

    made = _run([_bin(venv, "bro-analysis"), "init", "arbete", "--exempeldata"], elsewhere, env)
    assert made.returncode == 0, made.stderr
    work = elsewhere / "arbete"
    assert (work / "okr.toml").is_file() and (work / "exempeldata" / "EXEMPELDATA.txt").is_file()
    # The folder's own plan is the one a run reads (its hash is in the run's manifest), and
    # its own notebooks are the ones run: only the overview, to keep the test short.
    with (work / "okr.toml").open("a", encoding="utf-8") as plan:
        plan.write("\n# arbetsmappens egen plan\n")
    for notebook in (work / "notebooks").glob("*.ipynb"):
        if notebook.name != "00_oversikt.ipynb":
            notebook.unlink()
    ran = _run(
        [_bin(venv, "bro-analysis"), "run", "--data", "exempeldata", "--period", "2025", "--jobb", "1"], work, env
    )
    assert ran.returncode == 0, ran.stderr[-3000:]
    report = work / "outputs" / "2025" / "BRO_uppfoljning_2025.html"
    assert report.is_file()
    assert "[2/2] 2025 · BRO_uppfoljning_2025" in ran.stderr and "2 av 2 delar klara" in ran.stdout
    manifest = json.loads((work / "outputs" / "2025" / "korning.json").read_text(encoding="utf-8"))
    assert manifest["okr.toml"] == hashlib.sha256((work / "okr.toml").read_bytes()).hexdigest()
    records = json.loads((work / "outputs" / "2025" / "okr.json").read_text(encoding="utf-8"))
    assert [r["id"] for r in records] == [kr.id for kr in config.load_plan(work / "okr.toml").key_results]


def test_the_progress_count_ends_at_the_final_count(tmp_path, monkeypatch):
    """[n/N] counts the combined report too, so it ends where 'X av X delar klara' does."""
    import io

    from bro_analysis.core.periods import Period
    from bro_analysis.running import runner

    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    for name in ("00_oversikt.ipynb", "10_nki.ipynb", "40_kommunblad.ipynb"):
        shutil.copy(PROJECT_ROOT / "notebooks" / name, notebooks / name)

    def ran(notebook, period, data_dir, out_dir, *args, member=None, **kwargs):
        return runner.NotebookResult(notebook.stem, period.key, True, 0.0, html=out_dir / f"{notebook.stem}.html")

    def combined(period, *args, **kwargs):
        return runner.NotebookResult("BRO_uppfoljning", period.key, True, 0.0)

    monkeypatch.setattr(runner, "run_notebook", lambda nb, p, d, o, k, t, s, m: ran(nb, p, d, o, member=m))
    monkeypatch.setattr(runner, "_combine", combined)
    progress = io.StringIO()
    results = runner.run_periods(
        [Period(2025), Period(2024)],
        PROJECT_ROOT / "data" / "example",
        tmp_path / "out",
        notebooks=sorted(notebooks.glob("*.ipynb")),
        progress=progress,
        reuse_kernels=False,
        members=["1880", "1881"],
    )
    counts = [line.split("]")[0] for line in progress.getvalue().splitlines() if line.startswith("[")]
    total = 2 * (2 + 2) + 2  # per period: two notebooks, two kommunblad, the combined report
    assert len(results) == total
    assert counts == [f"[{n}/{total}" for n in range(1, total + 1)]
