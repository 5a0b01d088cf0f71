"""The published archive (`bro-analysis publicera`) and the index of all reports: a
publication is a read-only copy never overwritten, made only from a finished, unchanged,
approved run; the index and historik.csv list exactly what was published."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import os
import re
import stat
from pathlib import Path

import pytest
from bad_inputs.support import cli, cli_in_process, copy_example, copy_outputs

from bro_analysis.core.config import EXAMPLE_DATA_DIR, OKR_FILE
from bro_analysis.running.archive import (
    ARCHIVE_DIR,
    HISTORY,
    INDEX,
    MANIFEST,
    RUN_MANIFEST,
    ArchiveError,
    last_published_before,
    latest_publications,
    publish,
    published,
    write_index,
    write_run_manifest,
)

DAY = dt.date(2026, 2, 12)


def record(kr: str, value, period: str, status: str = "på väg", approved: bool = True, example: bool = False) -> dict:
    return {
        "id": kr,
        "text": f"Nyckelresultat {kr}",
        "utfall": value,
        "enhet": "MSEK",
        "status": status,
        "förbehåll": "",
        "mätår": 2025,
        "period": period,
        "bedömning_fastställd": approved,
        "exempeldata": example,
    }


def make_run(out: Path, data: Path, period: str, records: list[dict]) -> Path:
    """A period folder as a run leaves it: the report, okr.json/okr.csv, a kommunblad with
    its notebook, and the run manifest of `data`."""
    folder = out / period
    (folder / "kommuner" / "notebooks").mkdir(parents=True, exist_ok=True)
    (folder / f"BRO_uppfoljning_{period}.html").write_text(f"<html>rapport {period}</html>", encoding="utf-8")
    (folder / "okr.json").write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    (folder / "okr.csv").write_text("id;utfall\n", encoding="utf-8")
    (folder / "kommuner" / "1880_Orebro.html").write_text("<html>kommunblad</html>", encoding="utf-8")
    (folder / "kommuner" / "notebooks" / "1880_Orebro.ipynb").write_text("{}", encoding="utf-8")
    (folder / "00_oversikt.html").write_text("<html>analytikernas</html>", encoding="utf-8")
    write_run_manifest(folder, data, dt.datetime(2026, 2, 1, 9, 30))
    return folder


@pytest.fixture
def data(tmp_path) -> Path:
    return copy_example(tmp_path / "data")


@pytest.fixture
def out(tmp_path, data) -> Path:
    out = tmp_path / "out"
    make_run(out, data, "2025", [record("I1", 1272.0, "2025"), record("S1", 77.4, "2025", "uppnått")])
    return out


def test_the_run_manifest_names_every_data_file_with_its_hash_and_size(out, data):
    manifest = json.loads((out / "2025" / RUN_MANIFEST).read_text(encoding="utf-8"))
    files = {e["fil"]: e for e in manifest["filer"]}
    expected = {p.name for p in data.iterdir() if p.is_file()} | {"bedomningar/2025.md", "bedomningar/2026-08.md"}
    assert set(files) == expected
    leads = (data / "leads.csv").read_bytes()
    assert files["leads.csv"] == {"fil": "leads.csv", "sha256": hashlib.sha256(leads).hexdigest(), "byte": len(leads)}
    assert manifest["okr.toml"] == hashlib.sha256(OKR_FILE.read_bytes()).hexdigest()
    assert manifest["period"] == "2025" and manifest["tid"] == "2026-02-01T09:30:00"
    assert manifest["data"] == str(data) and manifest["version"]


def test_a_publication_is_a_read_only_copy_of_the_report_and_its_data(out, data):
    folder = publish(out, "2025", data, DAY)
    assert folder == out / ARCHIVE_DIR / "2025" / "2026-02-12"
    files = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}
    report = {"BRO_uppfoljning_2025.html", "okr.json", "okr.csv", "kommuner/1880_Orebro.html", MANIFEST}
    assert report <= files
    assert not any("notebooks" in f or f == "00_oversikt.html" for f in files)
    sources = {f.removeprefix("underlag/") for f in files if f.startswith("underlag/")}
    assert sources == {e["fil"] for e in json.loads((out / "2025" / RUN_MANIFEST).read_text())["filer"]} | {
        "okr.toml",
        "settings.toml",
    }
    assert (folder / "underlag" / "leads.csv").read_bytes() == (data / "leads.csv").read_bytes()
    assert (folder / "okr.json").read_bytes() == (out / "2025" / "okr.json").read_bytes()
    for path in folder.rglob("*"):
        mode = stat.S_IMODE(path.stat().st_mode)
        assert mode == (0o555 if path.is_dir() else 0o444), path
    assert stat.S_IMODE(folder.stat().st_mode) == 0o555
    manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    run = json.loads((out / "2025" / RUN_MANIFEST).read_text(encoding="utf-8"))
    assert {k: manifest[k] for k in run} == run
    assert manifest["publicerad"] and manifest["publicerad_av_version"] == run["version"]
    assert [p.name for p in folder.parent.iterdir()] == ["2026-02-12"]  # no temporary folder left


def test_a_publication_is_never_overwritten(out, data):
    folder = publish(out, "2025", data, DAY)
    before = {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    (out / "2025" / "okr.json").write_text(json.dumps([record("I1", 1.0, "2025")]), encoding="utf-8")
    with pytest.raises(ArchiveError, match=re.escape(f"{folder} finns redan; ett publicerat arkiv skrivs aldrig över")):
        publish(out, "2025", data, DAY)
    assert {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()} == before
    assert publish(out, "2025", data, DAY + dt.timedelta(days=1)).name == "2026-02-13"


def test_publicera_twice_on_one_day_exits_2_naming_the_folder(out, data):
    first = cli_in_process("publicera", "--period", "2025", "--out", str(out), "--data", str(data))
    assert first.returncode == 0, first.stderr
    folder = out / ARCHIVE_DIR / "2025" / dt.date.today().isoformat()
    assert str(folder) in first.stdout and (out / INDEX).is_file() and (out / HISTORY).is_file()
    again = cli_in_process("publicera", "--period", "2025", "--out", str(out), "--data", str(data))
    assert again.returncode == 2
    assert f"{folder} finns redan" in again.stderr and "skrivs aldrig över" in again.stderr


def test_a_period_not_run_is_refused(out, data):
    with pytest.raises(ArchiveError, match="perioden 2026-08 är inte körd") as caught:
        publish(out, "2026-08", data, DAY)
    assert str(out / "2026-08") in str(caught.value)
    (out / "2025" / RUN_MANIFEST).unlink()  # a report without its run manifest
    with pytest.raises(ArchiveError, match="korning.json saknas"):
        publish(out, "2025", data, DAY)
    assert not (out / ARCHIVE_DIR / "2025" / DAY.isoformat()).exists()


@pytest.mark.parametrize(
    "change, said",
    [
        (lambda d: (d / "leads.csv").write_bytes((d / "leads.csv").read_bytes() + b"\n"), "leads.csv har ändrats"),
        (lambda d: (d / "extra.csv").write_text("a;b\n"), "extra.csv har tillkommit"),
        (lambda d: (d / "bedomningar" / "2025.md").unlink(), "bedomningar/2025.md har tagits bort"),
    ],
)
def test_data_changed_since_the_run_is_refused(out, data, change, said):
    change(data)
    with pytest.raises(ArchiveError, match="kör om perioden först") as caught:
        publish(out, "2025", data, DAY)
    assert said in str(caught.value)
    assert published(out) == [] and not list((out / ARCHIVE_DIR).rglob("*.html"))


def test_a_draft_is_published_only_with_utkast(tmp_path, data):
    out = tmp_path / "out"
    make_run(out, data, "2026-08", [record("I1", 957.8, "2026-08", approved=False)])
    with pytest.raises(ArchiveError, match=r"inte fastställd; fastställ den i bedomningar/2026-08\.md .*--utkast"):
        publish(out, "2026-08", data, DAY)
    refused = cli_in_process("publicera", "--period", "2026-08", "--out", str(out), "--data", str(data))
    assert refused.returncode == 2 and "--utkast" in refused.stderr
    assert publish(out, "2026-08", data, DAY, draft_ok=True).is_dir()
    index, _ = write_index(out)
    assert "<td>utkast</td>" in index.read_text(encoding="utf-8")


def _publish_all(out: Path, data: Path) -> None:
    """2025 published twice, 2026-04, 2026-08 and the full year 2026 once each."""
    for period, value, day in [
        ("2025", 1272.0, "2026-02-12"),
        ("2026-04", 300.0, "2026-05-20"),
        ("2026-08", 957.8, "2026-09-24"),
        ("2026", 1400.5, "2027-02-10"),
    ]:
        make_run(out, data, period, [record("I1", value, period), record("S1", None, period, "kan inte bedömas")])
        publish(out, period, data, dt.date.fromisoformat(day))
    (out / "2025" / "okr.json").write_text(json.dumps([record("I1", 1205.4, "2025"), record("S1", 77.4, "2025")]))
    write_run_manifest(out / "2025", data, dt.datetime(2026, 3, 1))
    publish(out, "2025", data, dt.date(2026, 3, 2))


def test_last_published_before_compares_periods_by_their_end(tmp_path, data):
    out = tmp_path / "out"
    assert last_published_before(out, "2026-08") is None
    _publish_all(out, data)
    assert [(p.period, p.date) for p in published(out)] == [
        ("2025", "2026-02-12"),
        ("2025", "2026-03-02"),
        ("2026-04", "2026-05-20"),
        ("2026-08", "2026-09-24"),
        ("2026", "2027-02-10"),
    ]
    before = {key: last_published_before(out, key) for key in ("2025", "2026-04", "2026-08", "2026", "2027-01")}
    assert before["2025"] is None
    assert (before["2026-04"].period, before["2026-04"].date) == ("2025", "2026-03-02")  # its latest publication
    assert before["2026-04"].records[0]["utfall"] == 1205.4
    assert before["2026-08"].period == "2026-04"
    assert before["2026"].period == "2026-08"
    assert before["2027-01"].period == "2026"
    assert {k: p.date for k, p in latest_publications(out).items()} == {
        "2025": "2026-03-02",
        "2026-04": "2026-05-20",
        "2026-08": "2026-09-24",
        "2026": "2027-02-10",
    }


def test_unreadable_archive_folders_are_skipped(out, data):
    publish(out, "2025", data, DAY)
    broken = out / ARCHIVE_DIR / "2025" / "2026-01-01"
    broken.mkdir()
    (broken / "okr.json").write_text("{inte json", encoding="utf-8")
    (out / ARCHIVE_DIR / "anteckningar").mkdir()
    (out / ARCHIVE_DIR / "2025" / ".2026-02-13.abc" / "underlag").mkdir(parents=True)  # a publication cut short
    os.chmod(out / ARCHIVE_DIR / "2025" / ".2026-02-13.abc" / "underlag", 0o555)
    assert [(p.period, p.date) for p in published(out)] == [("2025", "2026-02-12")]
    publish(out, "2025", data, DAY + dt.timedelta(days=1))
    assert not (out / ARCHIVE_DIR / "2025" / ".2026-02-13.abc").exists()  # cleared by the next publication


def test_history_has_a_row_per_published_report_and_key_result(tmp_path, data):
    out = tmp_path / "out"
    _publish_all(out, data)
    write_index(out)
    raw = (out / HISTORY).read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert list(rows[0]) == ["period", "publicerad", "id", "text", "utfall", "enhet", "status", "förbehåll", "mätår"]
    assert len(rows) == 5 * 2  # five publications × two key results
    i1 = [(r["period"], r["publicerad"], r["utfall"]) for r in rows if r["id"] == "I1"]
    assert i1 == [
        ("2025", "2026-02-12", "1272,0"),
        ("2025", "2026-03-02", "1205,4"),
        ("2026-04", "2026-05-20", "300,0"),
        ("2026-08", "2026-09-24", "957,8"),
        ("2026", "2027-02-10", "1400,5"),
    ]
    s1 = next(r for r in rows if r["id"] == "S1" and r["period"] == "2026-08")
    assert (s1["utfall"], s1["status"], s1["mätår"], s1["text"]) == (
        "",
        "kan inte bedömas",
        "2025",
        "Nyckelresultat S1",
    )


def _links(html: str) -> list[str]:
    return re.findall(r'<a href="([^"]+)"', html)


def test_the_index_lists_exactly_the_runs_and_the_published_reports(tmp_path, data):
    out = tmp_path / "out"
    _publish_all(out, data)
    make_run(out, data, "2026-10", [record("I1", 1000.0, "2026-10")])  # run, never published
    (out / "kladd").mkdir()  # not a period
    write_index(out)
    html = (out / INDEX).read_text(encoding="utf-8")
    assert '<html lang="sv">' in html and "<h1>Alla rapporter – Business Region Örebro</h1>" in html
    links = _links(html)
    archived = sorted(h for h in links if h.startswith(f"{ARCHIVE_DIR}/"))
    assert archived == sorted(
        f"arkiv/{p}/{d}/BRO_uppfoljning_{p}.html"
        for p, d in [
            ("2025", "2026-02-12"),
            ("2025", "2026-03-02"),
            ("2026-04", "2026-05-20"),
            ("2026-08", "2026-09-24"),
            ("2026", "2027-02-10"),
        ]
    )
    runs = [h for h in links if not h.startswith(f"{ARCHIVE_DIR}/")]
    assert runs == [f"{p}/BRO_uppfoljning_{p}.html" for p in ("2025", "2026-04", "2026-08", "2026-10", "2026")]
    assert all((out / h).is_file() for h in links)
    assert "Ingen rapport är publicerad ännu" not in html and "Exempeldata –" not in html
    # I1 has five numeric values: a chart whose alt text states them; S1 has one: a table only.
    figures = re.findall(r'<figure[^>]*><img alt="([^"]+)"', html)
    assert len(figures) == 1 and "I1" in figures[0]
    assert "2025 (publicerad 2026-03-02): 1 205,4 MSEK" in re.sub(r"\s", " ", figures[0])
    assert html.count("<h3>") == 2


def test_without_a_publication_the_index_lists_the_runs_and_says_so(out):
    (out / "2025" / "okr.json").write_text(json.dumps([record("I1", 1.0, "2025", example=True)]), encoding="utf-8")
    index, history = write_index(out)
    html = index.read_text(encoding="utf-8")
    assert "Ingen rapport är publicerad ännu." in html
    assert _links(html) == ["2025/BRO_uppfoljning_2025.html"]
    assert 'class="example-banner"' in html
    assert (
        history.read_bytes().decode("utf-8-sig").strip()
        == "period;publicerad;id;text;utfall;enhet;status;förbehåll;mätår"
    )


@pytest.mark.e2e
def test_publishing_2025_then_2026_08_of_the_example_run(example_run, tmp_path):
    """Done when: publishing 2025 and then 2026-08 gives an index with both and a history
    row per key result and report (the example run's data copied; its run manifests kept)."""
    out = copy_outputs(example_run, tmp_path / "out")
    data = copy_example(tmp_path / "data")
    for period in ("2025", "2026-08"):
        assert (out / period / RUN_MANIFEST).is_file()
        result = cli("publicera", "--period", period, "--out", str(out), "--data", str(data))
        assert result.returncode == 0, result.stderr
    today = dt.date.today().isoformat()
    html = (out / INDEX).read_text(encoding="utf-8")
    for period in ("2025", "2026-08"):
        assert f'href="arkiv/{period}/{today}/BRO_uppfoljning_{period}.html"' in html
        assert (out / ARCHIVE_DIR / period / today / "underlag" / f"bedomningar/{period}.md").is_file()
    assert 'class="example-banner"' in html
    records = {p: json.loads((out / p / "okr.json").read_text(encoding="utf-8")) for p in ("2025", "2026-08")}
    rows = list(csv.DictReader(io.StringIO((out / HISTORY).read_text(encoding="utf-8-sig")), delimiter=";"))
    assert [(r["period"], r["id"]) for r in rows] == [(p, r["id"]) for p in records for r in records[p]]
    again = cli("publicera", "--period", "2025", "--out", str(out), "--data", str(data))
    assert again.returncode == 2 and str(out / ARCHIVE_DIR / "2025" / today) in again.stderr


@pytest.mark.e2e
def test_a_cached_run_writes_its_missing_run_manifest_and_the_index(example_run, tmp_path):
    out = copy_outputs(example_run, tmp_path / "out")
    assert (out / INDEX).is_file()  # the example run wrote it
    (out / "2025" / RUN_MANIFEST).unlink()
    result = cli("run", "--period", "2025", "--out", str(out))
    assert result.returncode == 0, result.stderr
    manifest = json.loads((out / "2025" / RUN_MANIFEST).read_text(encoding="utf-8"))
    assert manifest["data"] == str(EXAMPLE_DATA_DIR.resolve())
    assert "från cache" in result.stderr and str(out / INDEX) in result.stdout


@pytest.mark.e2e
def test_the_index_is_accessible_and_valid(tmp_path, data):
    """The same checks as the committee report's (test_accessibility): axe-core finds no
    serious or critical violation, the Nu checker no markup error, one h1 and no skipped
    heading level, every table captioned, every figure's alt text states its values and
    every number is written the Swedish way."""
    from report_pages import non_swedish_numbers, require_chromium, visible_text
    from test_accessibility import BLOCKING, _headings, _nu_messages, axe_script

    from bro_analysis.running.browser import browser, open_offline

    out = tmp_path / "out"
    _publish_all(out, data)
    index, _ = write_index(out)
    html = index.read_text(encoding="utf-8")
    levels = _headings(html)
    assert levels[0] == 1 and levels.count(1) == 1 and all(b <= a + 1 for a, b in zip(levels, levels[1:]))
    tables = re.findall(r"<table\b.*?</table>", html, re.S)
    assert len(tables) == 2 + 2 and all(re.search(r"<caption>\S", t) for t in tables)
    assert not non_swedish_numbers(visible_text(html))
    errors = [
        m["message"] for m in _nu_messages([index]) if m["type"] == "error" and not m["message"].startswith("CSS:")
    ]
    assert not errors, errors
    require_chromium()
    with browser() as context, open_offline(context, index) as opened:
        opened.page.add_script_tag(content=axe_script())
        result = opened.page.evaluate("axe.run(document, {resultTypes: ['violations']})")
        assert not opened.blocked
    assert not [v["id"] for v in result["violations"] if v["impact"] in BLOCKING]
