"""The plan is data: a changed target in okr.toml changes every mention of it in the
committee report, a removed key result leaves the report, and an unknown mått is a
clear error (exit 2) from both `validate` and `run`.

The e2e test runs a copy of the project (package, notebooks, data) whose okr.toml is
edited, so the real data/okr.toml is never touched."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bro_analysis.analysis import registry
from bro_analysis.core.config import DATA_DIR, PROJECT_ROOT, ConfigError, load_plan, target_words
from bro_analysis.running import cli

OKR_TEXT = (DATA_DIR / "okr.toml").read_text(encoding="utf-8")


def _edited(text: str, kr_id: str, old: str, new: str) -> str:
    """okr.toml with one line of one key result's entry replaced."""
    start = text.index(f'id = "{kr_id}"')
    end = text.find("[[nyckelresultat]]", start)
    end = len(text) if end < 0 else end
    entry = text[start:end]
    assert old in entry, (kr_id, old)
    return text[:start] + entry.replace(old, new, 1) + text[end:]


def _without(text: str, kr_id: str) -> str:
    """okr.toml without one key result's entry."""
    start = text.rindex("[[nyckelresultat]]", 0, text.index(f'id = "{kr_id}"'))
    end = text.find("[[nyckelresultat]]", start + 1)
    return text[:start] + (text[end:] if end >= 0 else "")


def _project_copy(root: Path, okr_text: str) -> Path:
    """The package, notebooks and data in `root`, with okr.toml replaced."""
    shutil.copytree(PROJECT_ROOT / "bro_analysis", root / "bro_analysis", ignore=shutil.ignore_patterns("__pycache__"))
    (root / "notebooks").mkdir()
    for nb in (PROJECT_ROOT / "notebooks").glob("*.ipynb"):
        shutil.copy(nb, root / "notebooks" / nb.name)
    shutil.copytree(DATA_DIR, root / "data")
    (root / "data" / "okr.toml").write_text(okr_text, encoding="utf-8")
    return root


def _run_copy(root: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(root)}  # the copy's package, in the CLI and in its kernels
    return subprocess.run(
        [sys.executable, "-m", "bro_analysis", *args], cwd=root, env=env, capture_output=True, text=True, timeout=900
    )


def _visible_text(html: str) -> str:
    html = re.sub(r"<(style|script)\b.*?</\1>", " ", html, flags=re.S)
    html = re.sub(r'src="data:[^"]+"', "", html)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).replace("\u00a0", " ")


@pytest.mark.e2e
def test_retargeting_and_removing_key_results_needs_no_code_change(tmp_path):
    okr = _without(_edited(OKR_TEXT, "S1", '"mål" = 80', '"mål" = 75'), "M1")
    root = _project_copy(tmp_path / "project", okr)
    judged = root / "data" / "example" / "bedomningar" / "2025.md"
    refused = _run_copy(root, "validate")  # BRO's assessment of 2025 still judges M1
    assert refused.returncode == 2 and "'M1' – okänt nyckelresultat" in refused.stderr
    assert "ta bort avsnittet ur filen" in refused.stderr
    text = judged.read_text(encoding="utf-8")
    judged.write_text(re.sub(r"^## M1\b.*?(?=^## )", "", text, flags=re.S | re.M), encoding="utf-8")
    done = _run_copy(root, "run", "--period", "2025", "--out", str(root / "outputs"), "--jobs", "2")
    assert done.returncode == 0, done.stderr[-3000:]
    out = root / "outputs" / "2025"
    records = {r["id"]: r for r in json.loads((out / "okr.json").read_text(encoding="utf-8"))}
    assert "M1" not in records and len(records) == 11
    assert records["S1"]["mål"] == 75 and records["S1"]["status"] == "uppnått"  # 77,4 meets 75
    text = _visible_text((out / "BRO_uppfoljning_2025.html").read_text(encoding="utf-8"))
    assert "minst 75" in text and "målet 75" in text
    # No sentence, heading or table states the old target of the county mean.
    assert not re.search(r"(minst|målet|mål|nå minst|Planens mål) 80\b", text), re.findall(r".{60}\b80\b.{20}", text)
    assert "M1" not in text and "Delta i minst 4 nationella" not in text


def test_unknown_metric_is_an_error_naming_file_and_entry(tmp_path):
    okr = tmp_path / "okr.toml"
    okr.write_text(_edited(OKR_TEXT, "S3", '"mått" = "samverkansprojekt"', '"mått" = "samverkansprojekten"'))
    with pytest.raises(ConfigError) as err:
        registry.check_plan(load_plan(okr))
    message = str(err.value)
    assert str(okr) in message and "nyckelresultat nr 3 (S3)" in message and "samverkansprojekten" in message
    assert "samverkansprojekt," in message  # the known ones are listed


@pytest.mark.parametrize("command", [["validate"], ["run", "--period", "2025"]])
def test_unknown_metric_exits_2_before_any_notebook_runs(tmp_path, monkeypatch, capsys, command):
    okr = tmp_path / "okr.toml"
    okr.write_text(_edited(OKR_TEXT, "M2", '"mått" = "konverteringsgrad"', '"mått" = "konvertering"'))
    shutil.copy(DATA_DIR / "settings.toml", tmp_path / "settings.toml")
    monkeypatch.setenv("BRO_ARBETSMAPP", str(tmp_path))
    monkeypatch.setenv("BRO_DATA", str(DATA_DIR / "example"))
    out = tmp_path / "out"
    code = cli.main([*command, "--out", str(out)] if command[0] == "run" else command)
    assert code == 2
    err = capsys.readouterr().err
    assert "okänt mått 'konvertering'" in err and "(M2)" in err
    assert not out.exists()


def test_a_removed_key_result_is_not_an_error():
    plan = load_plan()
    assert plan.by_metric("finns_inte") is None
    with pytest.raises(ConfigError, match="inget nyckelresultat med id 'X9'"):
        plan.key_result("X9")


def test_target_placeholder_in_the_text(tmp_path):
    assert [target_words("minst", 80.0), target_words("minst", 2.5), target_words("ökning", 0.2)] == [
        "80",
        "2,5",
        "20 %",
    ]
    plan = load_plan()
    assert plan.key_result("S1").text == "NKI för myndighetsservice minst 80 i genomsnitt för länets kommuner"
    okr = tmp_path / "okr.toml"
    okr.write_text(_edited(OKR_TEXT, "S4", 'enhet = "kommuner"', 'enhet = "kommuner"\ntext = "Alla {mål}"'))
    with pytest.raises(ConfigError):  # a repeated key is bad TOML
        load_plan(okr)
    okr.write_text(
        _edited(OKR_TEXT, "S4", 'text = "Alla medlemskommuner använder', 'text = "{mål} medlemskommuner använder')
    )
    with pytest.raises(ConfigError, match=r"nyckelresultat nr 4: texten använder \{mål\}"):
        load_plan(okr)
