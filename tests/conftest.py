"""Shared fixtures: the plan, and writers for small CSV and Excel input files."""
from __future__ import annotations

from pathlib import Path

import pytest

from bro_analysis.config import load_plan


@pytest.fixture
def plan():
    """The plan in data/okr.toml (12 members, målområden)."""
    return load_plan()


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
