"""Writing outputs: one file atomically, and a period's published files as one set."""

from __future__ import annotations

import os

import pytest

from bro_analysis.core import files
from bro_analysis.core.files import JOURNAL, finish_pending, read_together, write_atomic, write_together


def published(folder):
    return [folder / "okr.csv", folder / "okr.json", folder / "BRO_uppfoljning_2025.html"]


def old_set(folder):
    for path in published(folder):
        write_atomic(path, f"gammal {path.name}")


def new_set(folder) -> dict:
    return {path: f"ny {path.name}".encode() for path in published(folder)}


def contents(folder) -> list[str]:
    return [p.read_text(encoding="utf-8") for p in published(folder)]


def test_write_atomic_writes_the_bytes(tmp_path):
    write_atomic(tmp_path / "a" / "x.txt", "å\r\n")
    assert (tmp_path / "a" / "x.txt").read_bytes() == "å\r\n".encode()


def test_write_together_replaces_the_set_and_leaves_nothing_behind(tmp_path):
    old_set(tmp_path)
    write_together(new_set(tmp_path))
    assert contents(tmp_path) == [f"ny {p.name}" for p in published(tmp_path)]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in published(tmp_path))
    assert all(p.stat().st_mode & 0o777 == 0o644 for p in published(tmp_path)) or os.name == "nt"


def test_killed_while_writing_the_new_versions_keeps_the_old_set(tmp_path, monkeypatch):
    old_set(tmp_path)
    real = files._staged
    calls = []

    def dies_on_the_third(path, data):
        calls.append(path)
        if len(calls) == 3:
            raise KeyboardInterrupt  # the process stopped before the set was decided
        return real(path, data)

    monkeypatch.setattr(files, "_staged", dies_on_the_third)
    with pytest.raises(KeyboardInterrupt):
        write_together(new_set(tmp_path))
    assert contents(tmp_path) == [f"gammal {p.name}" for p in published(tmp_path)]
    assert not (tmp_path / JOURNAL).exists()
    assert [p.name for p in tmp_path.glob(".*")] == []  # the hidden new versions removed


def test_killed_between_the_renames_is_finished_by_the_next_reader(tmp_path, monkeypatch):
    """The first file renamed, then the process dies: the folder holds a mix for now,
    but its journal says so, and a reader of the set gets the whole new set."""
    old_set(tmp_path)
    real = os.replace
    done = []

    def dies_after_one(src, dst):
        if str(dst).endswith(JOURNAL):
            return real(src, dst)
        if done:
            raise KeyboardInterrupt
        done.append(dst)
        real(src, dst)

    monkeypatch.setattr(files.os, "replace", dies_after_one)
    with pytest.raises(KeyboardInterrupt):
        write_together(new_set(tmp_path))
    monkeypatch.setattr(files.os, "replace", real)
    assert (tmp_path / JOURNAL).exists()
    assert contents(tmp_path)[0].startswith("ny") and contents(tmp_path)[2].startswith("gammal")
    seen = read_together(published(tmp_path))
    assert [data.decode() for data in seen.values()] == [f"ny {p.name}" for p in published(tmp_path)]
    assert not (tmp_path / JOURNAL).exists()
    assert [p.name for p in tmp_path.glob(".*")] == []


def test_an_interrupted_set_is_finished_before_the_next_is_written(tmp_path, monkeypatch):
    old_set(tmp_path)
    real = os.replace

    def never(src, dst):
        if str(dst).endswith(JOURNAL):
            return real(src, dst)
        raise KeyboardInterrupt

    monkeypatch.setattr(files.os, "replace", never)
    with pytest.raises(KeyboardInterrupt):
        write_together(new_set(tmp_path))
    monkeypatch.setattr(files.os, "replace", real)
    assert contents(tmp_path) == [f"gammal {p.name}" for p in published(tmp_path)]  # nothing renamed yet
    newest = {path: f"nyast {path.name}".encode() for path in published(tmp_path)}
    write_together(newest)
    assert contents(tmp_path) == [f"nyast {p.name}" for p in published(tmp_path)]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in published(tmp_path))


def test_finish_pending_without_journal_changes_nothing(tmp_path):
    old_set(tmp_path)
    finish_pending(tmp_path)
    assert contents(tmp_path) == [f"gammal {p.name}" for p in published(tmp_path)]


def test_files_in_two_folders_are_refused(tmp_path):
    with pytest.raises(ValueError):
        write_together({tmp_path / "a" / "x": b"1", tmp_path / "b" / "y": b"2"})
