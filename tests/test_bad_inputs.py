"""Bad inputs through the real command line (issue 8).

Every case of tests/bad_inputs/cases.py is run through `bro-analysis validate`
and, when it is an error, through `bro-analysis run` into a folder that already
holds an earlier report for the period. The corpus calls the CLI's entry point,
`cli.main`, in this process (a new interpreter per case would be most of the
suite's time); the tests after it run the command in a subprocess, as typed.
Checked for each: the exit code, a message naming file, row, column and value,
no Python traceback, no notebook started, and the earlier outputs untouched
(same bytes, same modification times).
"""

from __future__ import annotations

import math

import pytest
from bad_inputs.cases import CASES, NKI, OWN_CASES, ROUND_THREE, Case, set_cell
from bad_inputs.support import cli, cli_in_process, copy_example, copy_outputs, snapshot

from bro_analysis.core.config import EXAMPLE_DATA_DIR


def key_results(folder, period: str = "2025") -> dict:
    """Every key result's value, previous value and status for the period, from a data folder."""
    from bro_analysis.analysis import registry
    from bro_analysis.analysis.context import open_context

    def plain(x):
        if x is None or isinstance(x, str):
            return x
        return "nan" if math.isnan(float(x)) else round(float(x), 9)

    ctx = open_context(period, folder)
    return {o.id: (plain(o.value), plain(o.previous), o.status) for o in registry.outcomes(ctx)}


@pytest.fixture(scope="module")
def clean_results():
    return key_results(EXAMPLE_DATA_DIR)


@pytest.fixture(scope="module")
def previous(tmp_path_factory):
    """An earlier outputs/ folder: the committee report, the summaries, a notebook's
    HTML, executed notebook and cache record for 2025 and 2026-08. Bad input stops a
    run before any notebook, so what matters is that none of these bytes change
    (a real run's outputs are protected the same way in test_reliability)."""
    out = tmp_path_factory.mktemp("earlier")
    for period in ("2025", "2026-08"):
        files = {
            f"BRO_uppfoljning_{period}.html": '<!DOCTYPE html><html lang="sv"><title>Tidigare</title></html>\n',
            "okr.csv": "id;status\r\nS1;ej uppnått\r\n",
            "okr.json": '[{"id": "S1", "status": "ej uppnått"}]\n',
            "10_nki.html": '<!DOCTYPE html><html lang="sv"><title>NKI</title></html>\n',
            "notebooks/10_nki.ipynb": '{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}\n',
            ".cache/10_nki.json": '{"key": "tidigare"}',
        }
        for name, text in files.items():
            path = out / period / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
    return out


def test_corpus_is_broad():
    """At least 40 cases, every input table among them, errors and fine variants both."""
    assert len(CASES) >= 40
    assert sum(c.validate != 0 for c in CASES) >= 30 and sum(c.validate == 0 and c.run is None for c in CASES) >= 8
    text = " ".join(c.id for c in CASES) + " ".join(" ".join(c.expect) for c in CASES)
    for name in ("nki.csv", "nki_riket.csv", "investeringar", "leads.csv", "arenor", "aktiviteter.csv", "kommuner"):
        assert name in text, name


def test_round_three_cases_state_their_conclusion():
    """Every kind of issue 28 and at least 30 further cases, each saying what a careful person
    concludes: an error naming the value, or accepted with the clean data's key results."""
    assert len(OWN_CASES) >= 30
    for case in ROUND_THREE + OWN_CASES:
        assert case.conclusion, case.id
        warned = case.validate == 0 and "Varning" in case.expect  # a declared fallback, said in a warning
        assert (case.validate == 2 and case.expect) or case.same_results or warned, case.id
    assert len({c.id for c in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_bad_input(case: Case, tmp_path, previous, clean_results):
    data = copy_example(tmp_path / "data")
    case.mutate(data)
    out = copy_outputs(previous, tmp_path / "out")
    before = snapshot(out)
    validated = cli_in_process("validate", "--data", str(data))
    code, stdout, stderr = validated.returncode, validated.stdout, validated.stderr
    assert code == case.validate, stderr
    assert "Traceback" not in stderr
    if case.validate != 0 or case.run is None:
        for piece in case.expect:
            assert piece in stdout + stderr, (piece, stderr)
    for file, rows in case.rows.items():
        assert f"OK  {file}: {rows} rader" in stdout, stdout
    if case.same_results:
        assert key_results(data, case.period) == clean_results

    if case.run is not None:
        ran = cli_in_process("run", "--period", case.period, "--data", str(data), "--out", str(out))
        code, stdout, stderr = ran.returncode, ran.stdout, ran.stderr
        assert code == case.run, stderr
        assert "Traceback" not in stderr
        for piece in case.expect:
            assert piece in stderr, (piece, stderr)
        assert "körs" not in stderr  # stopped before any notebook started
        assert snapshot(out) == before  # the earlier report is untouched


def test_debug_shows_the_traceback(tmp_path):
    data = copy_example(tmp_path / "data")
    set_cell(NKI, 2, "värde", "105")(data)
    result = cli("--debug", "validate", "--data", str(data))
    assert result.returncode == 2
    assert "Traceback" in result.stderr and "DataError" in result.stderr
    assert "nki.csv, rad 2, kolumn 'värde': värdet '105'" in result.stderr
    also_after = cli("validate", "--data", str(data), "--debug")
    assert also_after.returncode == 2 and "Traceback" in also_after.stderr


def test_every_problem_of_a_folder_is_listed_at_once(tmp_path):
    """Two files wrong: one run names both, so the analyst fixes everything in one go."""
    data = copy_example(tmp_path / "data")
    set_cell(NKI, 2, "värde", "105")(data)
    set_cell("leads.csv", 3, "datum", "1/3/2025")(data)
    result = cli("validate", "--data", str(data))
    assert result.returncode == 2
    assert "2 fel i indata" in result.stderr
    assert "nki.csv, rad 2" in result.stderr and "leads.csv, rad 3" in result.stderr


def test_missing_data_folder(tmp_path):
    result = cli("run", "--data", str(tmp_path / "finns-inte"), "--out", str(tmp_path / "out"))
    assert result.returncode == 2
    assert "finns-inte" in result.stderr and "datamappen finns inte" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()
