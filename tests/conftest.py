"""Shared fixtures: the plan, writers for small CSV and Excel input files, and one
real run of the example data that every end-to-end test reads."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from filelock import FileLock


def pytest_collection_modifyitems(items):
    """A test that reads the real run (example_run, directly or through another fixture)
    runs kernels, so it is e2e: `make test-fast` (-m "not e2e") never waits for the run."""
    for item in items:
        if "example_run" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def example_run(tmp_path_factory) -> Path:
    """outputs/ of one real `bro-analysis run --period 2025 2026-08 --force` on the
    example data, made once per test session and shared by every xdist worker
    (the first to take the lock makes it, the others wait for that). Read only:
    a test that writes copies it first (bad_inputs.support.copy_outputs)."""
    from bad_inputs.support import cli
    from report_pages import PERIODS

    base = tmp_path_factory.getbasetemp()
    shared = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    root, done = shared / "example-run", shared / "example-run.done"
    with FileLock(str(shared / "example-run.lock")):
        if not done.exists():
            shutil.rmtree(root, ignore_errors=True)
            result = cli("run", "--period", *PERIODS, "--out", str(root), "--force")
            assert result.returncode == 0, result.stderr
            done.write_text("klar", encoding="utf-8")
    return root


@pytest.fixture
def plan():
    """The tests' own copy of the plan 2026–2027 (tests/fixtures/okr.toml: 12 members,
    målområden, S1–M3), so a test of a key result's numbers does not follow data/okr.toml."""
    from fixture_plan import PLAN

    return PLAN


@pytest.fixture
def write_csv(tmp_path):
    """write_csv(name, rows, sep=';', encoding='utf-8') -> Path; rows are lists of cells or raw lines.

    A cell holding the separator is quoted, as Excel does; raw lines are written as given.
    """

    def cell(value, sep: str) -> str:
        text = str(value)
        return f'"{text}"' if sep in text else text

    def write(name: str, rows, sep: str = ";", encoding: str = "utf-8", folder: Path | None = None) -> Path:
        lines = [r if isinstance(r, str) else sep.join(cell(c, sep) for c in r) for r in rows]
        path = (folder or tmp_path) / name
        path.write_bytes(("\r\n".join(lines) + "\r\n").encode(encoding))
        return path

    return write


@pytest.fixture
def write_xlsx(tmp_path):
    """write_xlsx(name, {sheet: rows}) -> Path; cells keep their Python type (int, float, date...)."""
    from openpyxl import Workbook

    def write(name: str, sheets: dict[str, list[list]], folder: Path | None = None) -> Path:
        book = Workbook()
        book.remove(book.active)
        for title, rows in sheets.items():
            sheet = book.create_sheet(title)
            for row in rows:
                sheet.append(list(row))
        path = (folder or tmp_path) / name
        book.save(path)
        return path

    return write
