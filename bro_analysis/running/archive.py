"""The published archive: what the committee saw, kept read-only, and the index of all reports.

Every run that writes a period's combined report also writes `<out>/<period>/korning.json`
(the run manifest: each data file's SHA-256, the plan's and the settings', the package
version and the time). `bro-analysis publicera` copies the report, okr.json/okr.csv, the
kommunblad, the manifest and the data the report was made from to
`<out>/arkiv/<period>/<YYYY-MM-DD>/`, read-only and never overwritten; later reports
compare with it. `write_index` lists every run and publication in `<out>/index.html`
and every published key result in `<out>/historik.csv`.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import hashlib
import io
import json
import os
import shutil
import tempfile
from dataclasses import dataclass
from html import escape
from pathlib import Path

from bro_analysis import __version__
from bro_analysis.analysis.changes import shown
from bro_analysis.core.config import MEMBERS_DIR, REPORT_NAME, find_workdir
from bro_analysis.core.files import finish_pending, write_atomic
from bro_analysis.core.periods import Period, PeriodError, parse_period, period_label
from bro_analysis.input.assessments import assessment_files

ARCHIVE_DIR = "arkiv"  # <out>/arkiv/<period>/<YYYY-MM-DD>/
MANIFEST = "manifest.json"  # in each published folder
RUN_MANIFEST = "korning.json"  # in <out>/<period>/, written by every run that writes the combined report
INDEX = "index.html"
HISTORY = "historik.csv"
SOURCES_DIR = "underlag"  # in a published folder: the data the report was made from
HISTORY_FIELDS = ("period", "publicerad", "id", "text", "utfall", "enhet", "status", "förbehåll", "mätår")
FILE_MODE, FOLDER_MODE = 0o444, 0o555


class ArchiveError(ValueError):
    """A publication that cannot be made (not run, data changed, a draft, already published)."""


@dataclass(frozen=True)
class Published:
    """One published report: its period, the date it was published (the folder's name),
    the folder, its okr.json records and its manifest."""

    period: str
    date: str
    folder: Path
    records: list[dict]
    manifest: dict


def _sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def data_files(data_dir: Path) -> dict[str, Path]:
    """The files a run reads from the data folder, by name relative to it ('leads.csv',
    'bedomningar/2026-08.md'): the same files the cache watches (cache.input_digest)."""
    data_dir = Path(data_dir)
    files = [p for p in data_dir.iterdir() if p.is_file()] + assessment_files(data_dir)
    return {p.relative_to(data_dir).as_posix(): p for p in sorted(files)}


def _entries(files: dict[str, Path]) -> list[dict]:
    return [{"fil": name, "sha256": _sha256(p), "byte": p.stat().st_size} for name, p in files.items()]


def write_run_manifest(period_dir: Path, data_dir: Path, made: dt.datetime) -> Path:
    """`<period_dir>/korning.json`: which data, plan and settings the period's report was made
    from (each file's SHA-256 and size), the package version and the time."""
    manifest = {
        "period": Path(period_dir).name,
        "data": str(data_dir),
        "filer": _entries(data_files(data_dir)),
        "okr.toml": _sha256(find_workdir().plan),
        "settings.toml": _sha256(find_workdir().settings),
        "version": __version__,
        "tid": made.isoformat(timespec="seconds"),
    }
    return write_atomic(Path(period_dir) / RUN_MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=2) + "\n")


def _read_json(path: Path):
    return json.loads(Path(path).read_text(encoding="utf-8"))


def _period(name: str) -> Period | None:
    try:
        return parse_period(name)
    except PeriodError:
        return None


def _date(name: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(name)
    except ValueError:
        return None


def published(out_root: Path) -> list[Published]:
    """Every publication in `<out_root>/arkiv/`, sorted by period (its end) and date; a folder
    that is not a publication or cannot be read is skipped."""
    found = []
    for period_dir in sorted((Path(out_root) / ARCHIVE_DIR).glob("*")):
        period = _period(period_dir.name)
        if period is None or period.key != period_dir.name or not period_dir.is_dir():
            continue
        for folder in sorted(period_dir.glob("*")):
            if not folder.is_dir() or _date(folder.name) is None:
                continue
            try:
                records, manifest = _read_json(folder / "okr.json"), _read_json(folder / MANIFEST)
            except (OSError, ValueError):
                continue
            if isinstance(records, list) and all(isinstance(r, dict) for r in records) and isinstance(manifest, dict):
                found.append(Published(period.key, folder.name, folder, records, manifest))
    return sorted(found, key=lambda p: (parse_period(p.period).end, p.date))


def latest_publications(out_root: Path) -> dict[str, Published]:
    """Per period its latest publication."""
    return {p.period: p for p in published(out_root)}  # sorted: the last one of a period wins


def last_published_before(out_root: Path, period_key: str) -> Published | None:
    """The latest publication of the latest published period that ends before `period_key`
    ends (2025 < 2026-04 < 2026-08 < 2026); None when there is none."""
    end = parse_period(period_key).end
    earlier = [p for p in published(out_root) if parse_period(p.period).end < end]
    return earlier[-1] if earlier else None


def run_periods_in(out_root: Path) -> list[str]:
    """The periods with a combined report in the output folder (`<out>/<period>/okr.json`), in order."""
    periods = [
        p
        for d in Path(out_root).glob("*")
        if d.is_dir() and (p := _period(d.name)) and p.key == d.name and (d / "okr.json").is_file()
    ]
    return [p.key for p in sorted(periods, key=lambda p: p.end)]


def _data_changes(manifest: dict, data_dir: Path) -> list[str]:
    """What differs between the data the run used and `data_dir` (plus plan and settings) now."""
    then = {e["fil"]: e["sha256"] for e in manifest.get("filer", [])}
    now = data_files(data_dir)
    changes = [f"{name} har ändrats" for name in then if name in now and _sha256(now[name]) != then[name]]
    changes += [f"{name} har tagits bort" for name in then if name not in now]
    changes += [f"{name} har tillkommit" for name in now if name not in then]
    for name, path in (("okr.toml", find_workdir().plan), ("settings.toml", find_workdir().settings)):
        if manifest.get(name) != _sha256(path):
            changes.append(f"{path} har ändrats")
    return changes


def _report_files(period_dir: Path, period_key: str) -> list[Path]:
    """What a publication keeps of a period's outputs: the report (HTML, PDF if made),
    okr.json, okr.csv and the kommunblad (HTML, PDF; not their notebooks)."""
    report = period_dir / REPORT_NAME.format(period=period_key)
    files = [report, report.with_suffix(".pdf"), period_dir / "okr.json", period_dir / "okr.csv"]
    members = period_dir / MEMBERS_DIR
    files += sorted(p for p in members.glob("*") if p.suffix in (".html", ".pdf") and p.is_file())
    return [f for f in files if f.is_file()]


def _remove(folder: Path) -> None:
    """Remove an unfinished publication, read-only files and folders included."""
    for root, dirs, files in os.walk(folder):
        for name in dirs:
            os.chmod(Path(root) / name, 0o755)
        for name in files:
            os.chmod(Path(root) / name, 0o644)
    shutil.rmtree(folder, ignore_errors=True)


def _lock(folder: Path) -> None:
    """Every file under `folder` read-only (0444) and every folder below it 0555."""
    for root, dirs, files in os.walk(folder, topdown=False):
        for name in files:
            os.chmod(Path(root) / name, FILE_MODE)
        for name in dirs:
            os.chmod(Path(root) / name, FOLDER_MODE)


def _check_publishable(period_dir: Path, key: str, data_dir: Path, draft_ok: bool) -> tuple[dict, list[dict]]:
    """The run manifest and records of a period that may be published, or an ArchiveError."""
    run, okr = period_dir / RUN_MANIFEST, period_dir / "okr.json"
    if not okr.is_file() or not run.is_file():
        missing = " och ".join(p.name for p in (okr, run) if not p.is_file())
        raise ArchiveError(
            f"{period_dir}: perioden {key} är inte körd ({missing} saknas); "
            f"kör den först (bro-analysis kör --period {key}) och publicera sedan."
        )
    try:
        manifest, records = _read_json(run), _read_json(okr)
    except (OSError, ValueError) as exc:
        raise ArchiveError(f"{period_dir}: körningens filer kan inte läsas ({exc}); kör om perioden först.") from None
    changes = _data_changes(manifest, data_dir)
    if changes:
        raise ArchiveError(
            f"Datan i {data_dir} är inte densamma som när {key} kördes ({'; '.join(changes)}); "
            f"kör om perioden först: bro-analysis kör --period {key} --data {data_dir}"
        )
    if not draft_ok and any(r.get("bedömning_fastställd") is False for r in records):
        raise ArchiveError(
            f"{period_dir / okr.name}: bedömningen är inte fastställd; fastställ den i bedomningar/{key}.md "
            "eller publicera med --utkast"
        )
    return manifest, records


def publish(out_root: Path, period_key: str, data_dir: Path, today: dt.date, draft_ok: bool = False) -> Path:
    """Copy the period's report as published today to `<out>/arkiv/<period>/<today>/`
    (read-only, never overwritten) and return that folder; an ArchiveError when it exists,
    the period has not been run, the data changed since the run or the report is a draft
    (unless `draft_ok`)."""
    out_root, data_dir = Path(out_root), Path(data_dir)
    key = parse_period(period_key).key
    period_dir = out_root / key
    if period_dir.is_dir():
        finish_pending(period_dir)  # a report set cut short is completed first
    target = out_root / ARCHIVE_DIR / key / today.isoformat()
    if target.exists():
        raise ArchiveError(f"{target} finns redan; ett publicerat arkiv skrivs aldrig över.")
    manifest, _records = _check_publishable(period_dir, key, data_dir, draft_ok)
    target.parent.mkdir(parents=True, exist_ok=True)
    for stale in target.parent.glob(".*"):  # what a publication cut short (killed) left behind
        if stale.is_dir():
            _remove(stale)
    tmp = Path(tempfile.mkdtemp(prefix=f".{today.isoformat()}.", dir=target.parent))
    try:
        for path in _report_files(period_dir, key):
            dest = tmp / path.relative_to(period_dir)
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, dest)
        sources = {**data_files(data_dir), "okr.toml": find_workdir().plan, "settings.toml": find_workdir().settings}
        for name, path in sources.items():
            dest = tmp / SOURCES_DIR / name
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, dest)
        copied = {e["fil"]: e["sha256"] for e in manifest.get("filer", [])}
        changed = [n for n, sha in copied.items() if _sha256(tmp / SOURCES_DIR / n) != sha]
        if changed:  # changed while being copied
            raise ArchiveError(f"{', '.join(changed)} i {data_dir} ändrades under publiceringen; försök igen.")
        stamp = {"publicerad": dt.datetime.now().astimezone().isoformat(timespec="seconds")}
        stamp["publicerad_av_version"] = __version__
        (tmp / MANIFEST).write_text(json.dumps({**manifest, **stamp}, ensure_ascii=False, indent=2) + "\n", "utf-8")
        _lock(tmp)
        if target.exists():
            raise ArchiveError(f"{target} finns redan; ett publicerat arkiv skrivs aldrig över.")
        os.rename(tmp, target)
    except BaseException:
        _remove(tmp)
        raise
    os.chmod(target, FOLDER_MODE)
    return target


# ---------------------------------------------------------------- the index of all reports


def history_rows(publications: list[Published]) -> list[dict]:
    """One row per published report and key result, with the values as published."""
    return [
        {
            "period": p.period,
            "publicerad": p.date,
            **{f: r.get(f) for f in HISTORY_FIELDS[2:]},
        }
        for p in publications
        for r in p.records
    ]


def history_csv(rows: list[dict]) -> bytes:
    """historik.csv as Swedish Excel reads it: semicolons, decimal comma, UTF-8 with BOM."""
    from bro_analysis.running.combine import _csv_value

    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(HISTORY_FIELDS), delimiter=";", lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: _csv_value(row[k]) for k in HISTORY_FIELDS})
    return buffer.getvalue().encode("utf-8-sig")


def _table(caption: str, head: list[str], rows: list[list[str]]) -> str:
    """An accessible table of already escaped cells; the first cell of a row is its header."""
    th = "".join(f'<th scope="col">{h}</th>' for h in head)
    body = "".join(f'<tr><th scope="row">{r[0]}</th>{"".join(f"<td>{c}</td>" for c in r[1:])}</tr>' for r in rows)
    return f"<table><caption>{escape(caption)}</caption><thead><tr>{th}</tr></thead><tbody>{body}</tbody></table>"


def _link(href: str, text: str) -> str:
    return f'<a href="{escape(href)}">{escape(text)}</a>'


def _runs_html(out_root: Path, runs: list[str], publications: list[Published]) -> str:
    rows = []
    for key in runs:
        try:
            made = str(_read_json(out_root / key / RUN_MANIFEST).get("tid", ""))[:10] or "–"
        except (OSError, ValueError):
            made = "–"
        dates = [p.date for p in publications if p.period == key]
        href = f"{key}/{REPORT_NAME.format(period=key)}"
        rows.append([_link(href, period_label(key)), escape(made), escape(", ".join(dates) or "inte publicerad")])
    if not rows:
        return "<h2>Körda perioder</h2><p>Ingen period är körd ännu i den här mappen.</p>"
    caption = "Varje körd period med länk till dess senaste rapport, när den kördes och när den publicerades"
    return "<h2>Körda perioder</h2>" + _table(caption, ["Period", "Körd", "Publicerad"], rows)


def _publications_html(publications: list[Published]) -> str:
    if not publications:
        return "<h2>Publicerade rapporter</h2><p>Ingen rapport är publicerad ännu.</p>"
    rows = []
    for p in publications:
        href = f"{ARCHIVE_DIR}/{p.period}/{p.date}/{REPORT_NAME.format(period=p.period)}"
        draft = any(r.get("bedömning_fastställd") is False for r in p.records)
        rows.append(
            [
                _link(href, period_label(p.period)),
                escape(p.date),
                "utkast" if draft else "fastställd",
                str(len(p.records)),
            ]
        )
    caption = "Varje publicerad rapport, som nämnden såg den (skrivskyddad kopia i arkiv/)"
    return "<h2>Publicerade rapporter</h2>" + _table(
        caption, ["Period", "Publicerad", "Bedömning", "Nyckelresultat"], rows
    )


def _chart(kr: str, text: str, points: list[tuple[str, str, float, str]], unit: str, example: bool) -> str:
    """A small line chart of a key result's value in each published report (HTML figure)."""
    from matplotlib import ticker

    from bro_analysis.presentation import figures
    from bro_analysis.presentation.blocks import figure
    from bro_analysis.presentation.formatting import axis_formatter
    from bro_analysis.presentation.source import Source

    with figures.style():
        fig, ax = figures.new((6, 2.8))
        xs = list(range(len(points)))
        ax.plot(xs, [v for _, _, v, _ in points], marker="o", color="black", linewidth=1.5)
        for x, (_, _, v, shown) in zip(xs, points):
            ax.annotate(shown, (x, v), xytext=(0, 5), textcoords="offset points", ha="center", fontsize=8)
        ax.set_xticks(xs, [f"{period}\n{day}" for period, day, _, _ in points], fontsize=8)
        ax.yaxis.set_major_formatter(axis_formatter(1))
        ax.yaxis.set_major_locator(ticker.MaxNLocator(4))
        ax.set_ylabel(unit or "Utfall")
        ax.margins(x=0.1, y=0.25)
        fig.tight_layout()
    values = "; ".join(f"{period} (publicerad {day}): {shown}" for period, day, _, shown in points)
    alt = f"Linjediagram: {kr} {text}, utfall i varje publicerad rapport. {values}."
    caption = f"{kr}: utfallet i varje publicerad rapport. Delår och helår är inte direkt jämförbara."
    source = Source("BRO:s publicerade uppföljningsrapporter (okr.json i arkiv/)", example)
    return figure(fig, alt, caption, source, small=True).data


def _key_result_html(kr: str, publications: list[Published], example: bool) -> str:
    """One key result: its value and status in every published report, and a chart of them."""
    found = [(p, r) for p in publications for r in p.records if r.get("id") == kr]
    text = str(found[-1][1].get("text", ""))
    rows = [
        [escape(period_label(p.period)), escape(p.date), escape(shown(r)), escape(str(r.get("status") or "–"))]
        for p, r in found
    ]
    caption = f"{kr} i varje publicerad rapport: period, publiceringsdag, utfall och status"
    parts = [
        f"<h3>{escape(kr)} {escape(text)}</h3>",
        _table(caption, ["Period", "Publicerad", "Utfall", "Status"], rows),
    ]
    points = [
        (p.period, p.date, float(r["utfall"]), shown(r))
        for p, r in found
        if isinstance(r.get("utfall"), (int, float)) and not isinstance(r.get("utfall"), bool)
    ]
    if len(points) >= 2:
        parts.append(_chart(kr, text, points, str(found[-1][1].get("enhet") or ""), example))
    return "".join(parts)


def index_html(out_root: Path, runs: list[str], publications: list[Published]) -> bytes:
    """index.html: every run and publication with links, then each key result over the published reports."""
    import nbformat

    from bro_analysis.presentation.blocks import EXAMPLE_BANNER
    from bro_analysis.running.export import export_html

    records = [r for p in publications for r in p.records]
    for key in runs:
        with contextlib.suppress(OSError, ValueError):
            records += _read_json(out_root / key / "okr.json")
    example = any(isinstance(r, dict) and r.get("exempeldata") for r in records)
    parts = [
        '<header class="report-title"><h1>Alla rapporter – Business Region Örebro</h1>'
        + (EXAMPLE_BANNER if example else "")
        + "<p>Här finns varje körd period och varje publicerad rapport. En publicerad rapport är en "
        "skrivskyddad kopia av det nämnden fick; den ändras inte när data rättas senare.</p></header>",
        _runs_html(out_root, runs, publications),
        _publications_html(publications),
    ]
    ids = list(dict.fromkeys(str(r["id"]) for p in publications for r in p.records if r.get("id")))
    if ids:
        parts.append(
            "<h2>Varje nyckelresultat i de publicerade rapporterna</h2>"
            + "".join(_key_result_html(kr, publications, example) for kr in ids)
        )
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    for part in parts:
        cell = nbformat.v4.new_code_cell("")
        cell.outputs = [nbformat.v4.new_output("display_data", data={"text/html": part})]
        nb.cells.append(cell)
    return export_html(nb, "Alla rapporter – Business Region Örebro")


def write_index(out_root: Path) -> tuple[Path, Path]:
    """`<out>/index.html` and `<out>/historik.csv`, each written atomically."""
    out_root = Path(out_root)
    publications = published(out_root)
    runs = run_periods_in(out_root)
    history = write_atomic(out_root / HISTORY, history_csv(history_rows(publications)))
    index = write_atomic(out_root / INDEX, index_html(out_root, runs, publications))
    return index, history
