"""Writing outputs safely: a file appears whole or not at all, readable by colleagues;
a set of files (a period's report, okr.csv and okr.json) is replaced as one."""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

# The list of renames a set of files is waiting for, in the set's folder (see write_together).
JOURNAL = ".publicering.json"


@contextlib.contextmanager
def replacing(path: Path | str) -> Iterator[Path]:
    """A temporary path beside `path` to write to; renamed into place (mode 0644) when
    the block ends without an error, removed when it does not."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        os.chmod(tmp, 0o644)  # mkstemp makes it private; outputs are meant to be shared
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def write_atomic(path: Path | str, data: bytes | str, encoding: str = "utf-8") -> Path:
    """Write bytes (or text, encoded as-is: no newline translation) atomically."""
    with replacing(path) as tmp:
        tmp.write_bytes(data.encode(encoding) if isinstance(data, str) else data)
    return Path(path)


def _staged(path: Path, data: bytes) -> Path:
    """`data` written and flushed to disk in a hidden file beside `path` (mode 0644)."""
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".ny", dir=path.parent)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.chmod(name, 0o644)
    return Path(name)


def write_together(files: dict[Path, bytes]) -> list[Path]:
    """Replace the files of one folder as one set, so that the set is never a mix of an
    old and a new version, also when the process is killed part way.

    1. Every new version is written whole beside its file (hidden, '.name.xxxx.ny').
    2. The folder's journal (JOURNAL) records which hidden file replaces which; it is
       itself written atomically, and from that moment the new set is decided.
    3. The renames are done (each os.replace is atomic, on Windows too), the journal removed.

    Killed before step 2: the old set stands and the hidden files are removed by the next
    call. Killed during step 3: the journal is left, and `finish_pending` (which this
    function, and `read_together`, call first) completes the renames. A reader opening
    one file by its name (a browser opening the report) always gets a whole file; a reader
    of the set through `read_together` never gets a mix. The renames are done back to back,
    the report (the last key) last."""
    paths = [Path(p) for p in files]
    folders = {p.parent for p in paths}
    if len(folders) != 1:
        raise ValueError("write_together: all files must be in one folder")
    (folder,) = folders
    folder.mkdir(parents=True, exist_ok=True)
    finish_pending(folder)
    staged: list[tuple[Path, Path]] = []
    try:
        for path in paths:
            staged.append((_staged(path, files[path]), path))
        write_atomic(folder / JOURNAL, json.dumps([[tmp.name, path.name] for tmp, path in staged]))
    except BaseException:
        for tmp, _ in staged:
            tmp.unlink(missing_ok=True)
        raise
    finish_pending(folder)
    return paths


def finish_pending(folder: Path | str) -> None:
    """Complete a set's replacement that was cut short (the journal is still there), and
    remove hidden new versions that no journal names (a write cut short before it was decided)."""
    folder = Path(folder)
    journal = folder / JOURNAL
    if journal.exists():
        for tmp_name, name in json.loads(journal.read_text(encoding="utf-8")):
            with contextlib.suppress(FileNotFoundError):  # done already (by a reader at the same time)
                os.replace(folder / tmp_name, folder / name)
        journal.unlink(missing_ok=True)
    for stray in folder.glob(".*.ny"):
        stray.unlink(missing_ok=True)


def read_together(paths: list[Path]) -> dict[Path, bytes]:
    """The bytes of a set of files written by `write_together`, never a mix of two versions."""
    for folder in {Path(p).parent for p in paths}:
        if folder.is_dir():
            finish_pending(folder)
    return {Path(p): Path(p).read_bytes() for p in paths}


def write_new(path: Path | str, text: str) -> Path:
    """Write a new text file, whole or not at all; a FileExistsError when `path` exists
    (a file a person edits is never replaced)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        os.chmod(name, 0o644)
        try:
            os.link(name, path)  # atomic, and fails when the file exists
        except OSError as exc:
            if isinstance(exc, FileExistsError):
                raise
            with path.open("x", encoding="utf-8", newline="\n") as handle:  # a file system without links
                handle.write(text)
    finally:
        os.unlink(name)
    return path
