"""What a run leaves in the output folder: a notebook that hangs is stopped after the
cell time limit and reported with its cell while the others run on; outputs are readable
by colleagues (0644); a killed run's leftovers are cleared by the next run; and a run
says exactly which earlier outputs it replaced."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from bad_inputs.support import make_notebook

from bro_analysis.core.config import EXAMPLE_DATA_DIR, NOTEBOOKS_DIR
from bro_analysis.core.periods import Period
from bro_analysis.running import cli
from bro_analysis.running.runner import TEMP_DIR, clean_stale, run_periods


@pytest.mark.e2e
def test_a_hanging_cell_is_stopped_and_named_and_the_next_notebook_runs(tmp_path):
    """One pooled kernel: the hanging notebook is interrupted at the limit, and the
    notebook after it on the same kernel still runs."""
    folder = tmp_path / "notebooks"
    folder.mkdir()
    make_notebook(folder / "10_hangs.ipynb", "x = 1", "import signal\nsignal.pause()  # waits for ever")
    make_notebook(folder / "20_fine.ipynb", "x = 1", "print('klar')")
    out = tmp_path / "out"
    results = run_periods(
        [Period(2025)], EXAMPLE_DATA_DIR, out, notebooks=sorted(folder.glob("*.ipynb")), jobs=1, timeout=3
    )
    by_name = {r.notebook: r for r in results}
    hung = by_name["10_hangs"]
    assert not hung.ok and "inte klar efter 3 s" in hung.error and "cell 4: import signal" in hung.error
    assert hung.executed and hung.executed.name == "10_hangs.failed.ipynb"
    assert by_name["20_fine"].ok


@pytest.mark.e2e
def test_outputs_are_readable_by_colleagues_and_no_temporary_file_is_left(tmp_path):
    out = tmp_path / "out"
    (out / TEMP_DIR / "gammal").mkdir(parents=True)  # what a killed run left behind
    (out / "2025").mkdir()
    (out / "2025" / ".00_oversikt.html.abc123.tmp").write_text("halv")
    replaced: list[Path] = []
    results = run_periods(
        [Period(2025)], EXAMPLE_DATA_DIR, out, notebooks=[NOTEBOOKS_DIR / "00_oversikt.ipynb"], replaced=replaced
    )
    assert all(r.ok for r in results)
    written = [p for p in out.rglob("*") if p.is_file() and ".cache" not in p.parts]
    assert written and all(stat.S_IMODE(p.stat().st_mode) == 0o644 for p in written), [
        (p.name, oct(p.stat().st_mode)) for p in written
    ]
    assert not (out / TEMP_DIR).exists() and not list(out.rglob("*.tmp"))
    assert {p.name for p in replaced} >= {"00_oversikt.html", "00_oversikt.ipynb", "okr.json"}


def test_clean_stale_removes_only_leftovers(tmp_path):
    (tmp_path / TEMP_DIR / "x").mkdir(parents=True)
    keep = tmp_path / "2025" / "okr.json"
    keep.parent.mkdir()
    keep.write_text("[]")
    (tmp_path / "2025" / ".okr.json.q1w2.tmp").write_text("{")
    clean_stale(tmp_path)
    assert [p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*")] == ["2025", "2025/okr.json"]


def test_the_replaced_outputs_are_named_exactly(tmp_path):
    out = tmp_path / "out"
    names = [out / "2025" / "10_nki.html", out / "2025" / "notebooks" / "10_nki.ipynb"]
    text = cli.replaced_text(names, out)
    assert text == (
        "Ersatta under körningen: 2025/10_nki.html, 2025/notebooks/10_nki.ipynb. "
        "Alla andra tidigare resultat är orörda."
    )
    assert cli.replaced_text([], out) == "Inga tidigare resultat har ersatts."
