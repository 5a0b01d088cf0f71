"""End to end: the runner on the example data, and the HTML a committee member gets."""

import re
import shutil
import subprocess
import sys

import nbformat
import pytest
from fixture_plan import require_live

from bro_analysis.core.config import EXAMPLE_DATA_DIR, NOTEBOOKS_DIR, load_plan
from bro_analysis.core.periods import Period
from bro_analysis.running.runner import is_per_member, list_notebooks, run_periods

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def run_2025(example_run):
    """The shared run of the example data (conftest.example_run); 2025 is read here."""
    return example_run, None


def test_every_notebook_runs(run_2025):
    out, _ = run_2025
    names = [p.stem for p in list_notebooks(NOTEBOOKS_DIR) if not is_per_member(p)]
    assert sorted(p.stem for p in (out / "2025").glob("*.html")) == sorted([*names, "BRO_uppfoljning_2025"])
    assert sorted(p.name for p in (out / "2025" / "notebooks").glob("*.ipynb")) == sorted(f"{n}.ipynb" for n in names)
    assert len(list((out / "2025" / "kommuner" / "notebooks").glob("*.ipynb"))) == len(load_plan().members)


def _htmls(out):
    files = sorted((out / "2025").glob("*.html"))
    assert files
    return {f.name: f.read_text(encoding="utf-8") for f in files}


def test_html_is_self_contained_and_swedish(run_2025):
    out, _ = run_2025
    for name, html in _htmls(out).items():
        assert '<html lang="sv">' in html, name
        # nothing is loaded from the network; a link a reader may follow (DIGG's complaint page) is fine
        assert not re.search(r'src\s*=\s*["\']?(https?:)?//', html), name
        assert not re.search(r'<link\b[^>]*href\s*=\s*["\']?(https?:)?//', html), name
        assert all(
            h.startswith("https://www.digg.se/") for h in re.findall(r'<a\b[^>]*href="(https?://[^"]+)"', html)
        ), name
        assert "require.js" not in html and "mathjax" not in html.lower(), name
        assert "Exempeldata" in html, name
        assert "2025" in re.search(r"<title>(.*?)</title>", html, re.S).group(1), name


def test_html_shows_no_code_or_prompts(run_2025):
    out, _ = run_2025
    for name, html in _htmls(out).items():
        assert "open_context" not in html and "import " not in html, name
        assert "In&nbsp;[" not in html and "Out[" not in html, name
        assert "data_dir" not in html, name  # the parameters cell is gone
        assert "No description has been provided" not in html, name


def _made_figures(executed) -> bool:
    """The executed notebook shows at least one figure (an image, or HTML holding one)."""
    nb = nbformat.read(executed, as_version=4)
    outputs = [o.get("data", {}) for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    return any("image/png" in d or "<img" in str(d.get("text/html", "")) for d in outputs)


def test_figures_present_with_alt_text(run_2025):
    out, _ = run_2025
    for name, html in _htmls(out).items():
        images = re.findall(r"<img\b[^>]*>", html)
        executed = out / "2025" / "notebooks" / name.replace(".html", ".ipynb")
        if executed.exists():  # a notebook's page shows every figure it made; text and tables only is fine
            assert bool(images) == _made_figures(executed), name
        else:
            assert images, name  # the committee report
        for img in images:
            assert 'src="data:image/png;base64,' in img
            assert re.search(r'alt="[^"]{20,}"', img), img[:200]


def test_executed_notebooks_are_kept(run_2025):
    out, _ = run_2025
    for nb in list_notebooks(NOTEBOOKS_DIR):
        if not is_per_member(nb):
            assert (out / "2025" / "notebooks" / f"{nb.stem}.ipynb").exists()


def test_a_failing_notebook_does_not_stop_the_others(tmp_path):
    nb_dir = tmp_path / "notebooks"
    nb_dir.mkdir()
    shutil.copy(NOTEBOOKS_DIR / "00_oversikt.ipynb", nb_dir / "20_good.ipynb")  # publishes the summary
    bad = nbformat.read(NOTEBOOKS_DIR / "10_nki.ipynb", as_version=4)
    bad.cells.append(nbformat.v4.new_code_cell("raise RuntimeError('avsiktligt fel')"))
    nbformat.write(bad, nb_dir / "10_bad.ipynb")
    out = tmp_path / "out"
    results = run_periods([Period(2025)], EXAMPLE_DATA_DIR, out, notebooks=sorted(nb_dir.glob("*.ipynb")))
    assert [r.ok for r in results] == [False, True, False]  # no combined report when a part failed
    assert not (out / "2025" / "BRO_uppfoljning_2025.html").exists()
    assert "avsiktligt fel" in results[0].error
    assert (out / "2025" / "notebooks" / "10_bad.failed.ipynb").exists()
    assert not (out / "2025" / "10_bad.html").exists()
    assert (out / "2025" / "20_good.html").exists()


def _cli(*args):
    return subprocess.run(
        [sys.executable, "-m", "bro_analysis.running.cli", *args], capture_output=True, text=True, timeout=600
    )


def test_cli_exit_code_for_bad_data_names_the_problem(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(EXAMPLE_DATA_DIR, data)
    nki = data / "nki.csv"
    lines = nki.read_text(encoding="utf-8-sig").splitlines()
    cells = lines[1].split(";")
    header = lines[0].split(";")
    cells[header.index("värde")] = "105"
    lines[1] = ";".join(cells)
    nki.write_text("\n".join(lines) + "\n", encoding="utf-8-sig")
    out = tmp_path / "out"
    result = _cli("run", "--data", str(data), "--out", str(out), "--period", "2025")
    assert result.returncode == 2
    assert "nki.csv, rad 2, kolumn 'värde': värdet '105'" in result.stderr
    assert "Traceback" not in result.stderr
    assert not out.exists()


def test_cli_refuses_future_period(tmp_path):
    result = _cli("run", "--out", str(tmp_path / "out"), "--period", "2031")
    assert result.returncode == 2
    assert "2031" in result.stderr and "Traceback" not in result.stderr


def test_cli_validate_example_data():
    result = _cli("validate")
    assert result.returncode == 0, result.stderr
    assert "nki.csv" in result.stdout


# --- the combined committee report and the summary files ---------------------------


def _combined(out):
    return (out / "2025" / "BRO_uppfoljning_2025.html").read_text(encoding="utf-8")


def _table_rows(html: str, caption_start: str) -> list[list[str]]:
    import html as html_lib

    start = html.index(f"<caption>{caption_start}")
    table = html[start : html.index("</table>", start)]
    rows = []
    for row in re.findall(r"<tr>(.*?)</tr>", table, re.S)[1:]:
        cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        rows.append([html_lib.unescape(re.sub(r"<[^>]+>", "", re.sub(r"<br\s*/?>", " · ", c))) for c in cells])
    return rows


def test_combined_report_structure(run_2025):
    """Page one (title, every key result), then one section per plan area, the word list
    and one appendix; only the cells tagged for the committee, so no analysts' detail."""
    out, _ = run_2025
    html = _combined(out)
    assert html.count("<h1>") == 1
    assert "Uppföljning av verksamhetsplanen – 2025" in html
    assert "Exempeldata" in html and "<dt>Framtagen</dt>" in html
    body = html[html.index("<body") :]
    assert body.index('class="report-title"') < body.index('class="key-results"') < body.index("<nav")
    assert "nyckelresultat når redan planens mål" in body[: body.index("<nav")]  # 2025: the baseline
    sections = re.findall(r'<a href="#(omrade-\d+)">([^<]+)</a>', html)
    assert [t.replace("&amp;", "&") for _, t in sections] == [
        *load_plan().areas,  # the plan's areas in the plan's order
        "RUS 2030: sammanhanget",  # context outside the plan's areas comes after them
    ]
    for anchor, _ in sections:
        assert f'id="{anchor}"' in html
    assert html.index('id="omrade-1"') < html.index('id="ord"') < html.index('id="bilaga"')
    assert "Länets genomsnitt mot målet" in html and "Servicefaktorer" not in html  # detail stays with analysts
    for name in ("nki.csv", "leads.csv", "investeringar.csv"):
        assert name in html
    assert re.search(r"[0-9a-f]{64}", html)  # SHA-256 of the inputs
    for heading in ("Metod", "Antaganden och förbehåll", "Datakällor", "Tillgänglighetsredogörelse"):
        assert f"<h3>{heading}</h3>" in html
    assert "Ingen tidigare rapport är publicerad" in html  # nothing published in this output folder


def test_summary_files_match_the_overview_table(run_2025):
    import csv
    import json

    out, _ = run_2025
    records = json.loads((out / "2025" / "okr.json").read_text(encoding="utf-8"))
    with open(out / "2025" / "okr.csv", encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh, delimiter=";"))
    assert [r["id"] for r in records] == [r["id"] for r in rows] == [kr.id for kr in load_plan().key_results]
    assert [r["status"] for r in records] == [r["status"] for r in rows]
    table = _table_rows(_combined(out), "Utgångsläget 2025 mot planens mål")  # 2025 is before the plan
    assert [t[0] for t in table] == [r["id"] for r in records]
    for t, r in zip(table, records):
        shown = f"{r['status']} – {r['förbehåll']}" if r["förbehåll"] else r["status"]
        assert t[5].split(":")[0].endswith(shown), (t, r)  # the status, then a short why
        assert r["exempeldata"] is True and r["utgångsläge"] is True
    assert rows[0]["exempeldata"] == "ja"


def test_summary_values_are_rounded_as_shown(run_2025):
    import json

    require_live("M2", "S1", "I1")
    out, _ = run_2025
    shares = {r["id"]: r for r in json.loads((out / "2025" / "okr.json").read_text(encoding="utf-8"))}
    assert shares["M2"]["utfall"] == 13.4 and shares["M2"]["mål"] == 20  # per cent, as shown
    assert shares["S1"]["utfall"] == 77.4 and shares["I1"]["utfall"] == 1272  # rounded as shown


def test_overview_agrees_with_the_area_notebooks(run_2025):
    """Each key result's outcome, as the overview shows it, also stands in its area's notebook."""
    from html import escape

    from bro_analysis.analysis import overview, registry
    from bro_analysis.analysis.context import open_context

    out, _ = run_2025
    pages = {p.stem: p.read_text(encoding="utf-8") for p in (out / "2025").glob("[0-9]*.html")}
    # The notebook of the package that computes a mått; collaboration's page shows tables,
    # not its key results' values, and a new area's copied notebook has none of these names.
    package_page = {"nki": "10_nki", "investments": "20_investeringar", "marketing": "30_marknadsforing"}
    ctx = open_context("2025", EXAMPLE_DATA_DIR)
    for outcome in overview.outcomes(ctx):
        package = registry.METRICS[ctx.plan.key_result(outcome.id).metric].__module__.split(".")[2]
        page = package_page.get(package, "00_oversikt")
        assert escape(outcome.value_text, quote=False) in pages[page], (outcome.id, outcome.value_text, page)
        assert escape(outcome.value_text, quote=False) in pages["00_oversikt"]


@pytest.mark.parametrize("notebook", list_notebooks(NOTEBOOKS_DIR), ids=lambda p: p.stem)
def test_notebook_runs_top_to_bottom_with_its_defaults(notebook):
    """As an analyst opens it in JupyterLab: no parameters given, working folder notebooks/."""
    import papermill as pm

    nb = pm.execute_notebook(
        str(notebook),
        None,
        kernel_name="python3",
        cwd=str(notebook.parent),
        progress_bar=False,
        extra_arguments=["--IPKernelApp.log_level=40"],
    )
    html = "".join(o.get("data", {}).get("text/html", "") for c in nb.cells for o in c.get("outputs", []))
    from bro_analysis.analysis.context import open_context

    default = open_context().period  # the latest complete year in the example data
    assert "Exempeldata" in html and f"period {default.label}" in html


def test_every_summary_row_has_a_status_from_the_vocabulary_and_a_motivering(example_run):
    import json

    from bro_analysis.analysis import okr

    for period in ("2025", "2026-08"):
        records = json.loads((example_run / period / "okr.json").read_text(encoding="utf-8"))
        assert [r["id"] for r in records] == [kr.id for kr in load_plan().key_results]
        for r in records:
            assert r["status"] in okr.STATUSES and r["motivering"].strip(), r


def test_a_part_year_marks_no_reachable_count_as_failed(example_run):
    """January–August 2026: the counted key results can all still be reached in the year."""
    import json

    records = json.loads((example_run / "2026-08" / "okr.json").read_text(encoding="utf-8"))
    counted = [r for r in records if r["enhet"] != "NKI"]
    assert len(counted) == len([kr for kr in load_plan().key_results if kr.unit != "NKI"])
    assert [r["id"] for r in counted if r["status"] == "ej uppnått"] == []


def test_a_part_year_count_is_judged_on_its_seasonal_pace(example_run):
    import json

    require_live("S5")
    by_id = {r["id"]: r for r in json.loads((example_run / "2026-08" / "okr.json").read_text(encoding="utf-8"))}
    assert by_id["S5"]["status"] in ("på väg", "risk") and "säsongstakt mot målet" in by_id["S5"]["motivering"]


def test_cli_refuses_a_year_that_is_not_over(tmp_path):
    """The example data end in October 2026: the full year 2026 is refused, whatever today is."""
    result = _cli("run", "--period", "2026", "--out", str(tmp_path / "out"))
    assert result.returncode == 2, result.stderr
    assert "ange delåret 2026-10" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()


def test_a_period_before_the_registers_runs_and_says_why_instead_of_zero(tmp_path):
    """NKI reaching back to 2017 (as from Kolada), registers from 2019: every notebook runs,
    and the register-based key results are 'kan inte bedömas' with the reason, never 0."""
    import csv
    import io
    import json

    data = shutil.copytree(EXAMPLE_DATA_DIR, tmp_path / "data")
    nki = data / "nki.csv"
    rows = list(csv.reader(io.StringIO(nki.read_text(encoding="utf-8-sig"), newline=""), delimiter=";"))
    year = rows[0].index("mätår")
    older = [[*r[:year], "2017", *r[year + 1 :]] for r in rows[1:] if r[year] == "2019"]
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";", lineterminator="\n").writerows(rows + older)
    nki.write_text(buffer.getvalue(), encoding="utf-8-sig")
    result = _cli("run", "--period", "2017", "--data", str(data), "--out", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    records = {r["id"]: r for r in json.loads((tmp_path / "out" / "2017" / "okr.json").read_text(encoding="utf-8"))}
    assert records["S1"]["status"] in ("uppnått", "ej uppnått") and "mätår 2017" in records["S1"]["motivering"]
    counted_from_registers = [k for k in ("S3", "S5", "I1", "I2", "I3", "M1", "M2", "M3") if k in records]
    assert counted_from_registers, "the plan has none of the register-based key results of 2026–2027 left"
    for key in counted_from_registers:  # a key result the plan dropped has nothing to say
        assert records[key]["status"] == "kan inte bedömas" and records[key]["utfall"] is None, records[key]
        assert "täcker inte 2017" in records[key]["motivering"]


def test_verdicts_a_statistician_would_sign(example_run):
    """Issue 22's 'done when' on the example data: no part-year NKI verdict on an earlier
    mätår, every NKI row names its mätår, S2 for 2025 on the region's pooled areas with the
    municipality × area results under 70 named on page one, and 2025 as the baseline."""
    import json

    require_live("S1", "S2")

    part = {r["id"]: r for r in json.loads((example_run / "2026-08" / "okr.json").read_text(encoding="utf-8"))}
    full = {r["id"]: r for r in json.loads((example_run / "2025" / "okr.json").read_text(encoding="utf-8"))}
    for key in ("S1", "S2"):
        assert part[key]["status"] == "kan inte bedömas" and part[key]["mätår"] == 2025, part[key]
        assert full[key]["mätår"] == 2025
    assert all(r["mätår"] is None for r in full.values() if r["enhet"] != "NKI")
    assert full["S2"]["status"] == "uppnått" and full["S2"]["utfall"] == 72.6  # bygglov, all 533 responses
    assert "Karlskoga markupplåtelse 65,2" in full["S2"]["motivering"]
    assert all(r["utgångsläge"] is True for r in full.values())
    assert all(r["utgångsläge"] is False for r in part.values())
    page = _combined(example_run)
    rows = {t[0]: t for t in _table_rows(page, "Utgångsläget 2025 mot planens mål")}
    assert rows["S2"][2] == "lägst 72,6 (mätår 2025)" and rows["S1"][2] == "77,4 (mätår 2025)"
    assert "5 kommunresultat ligger under 70 (se avsnittet om NKI)" in rows["S2"][5]
    assert "2025 är utgångsläget inför planperioden 2026–2027" in page
    assert "Utgångsläge inför planperioden 2026–2027:" in page
    part_page = (example_run / "2026-08" / "BRO_uppfoljning_2026-08.html").read_text(encoding="utf-8")
    part_rows = {t[0]: t for t in _table_rows(part_page, "Nyckelresultaten januari–augusti 2026")}
    assert part_rows["S1"][5].split(":")[0].endswith("kan inte bedömas") and "mätår 2025" in part_rows["S1"][2]
    assert "utgångsläget" not in part_page


def test_every_previous_value_names_its_period(example_run):
    """Issue 25: every Föregående says which period it is, on page one (short) and in okr.json;
    okr.json names the members an "alla" key result misses and says which values accumulate."""
    import json

    part = {r["id"]: r for r in json.loads((example_run / "2026-08" / "okr.json").read_text(encoding="utf-8"))}
    assert {k: part[k]["föregående_period"] for k in ("S1", "S3", "S4", "I1", "I4", "M3")} == {
        "S1": "mätår 2024",
        "S3": "januari–augusti 2025",
        "S4": "2025",
        "I1": "januari–augusti 2025",
        "I4": "2025",
        "M3": "januari–augusti 2025",
    }
    assert part["M2"]["föregående_period"].startswith("1 januari–") and part["M2"]["föregående_period"].endswith("2025")
    assert [k for k, r in part.items() if not r["löpande"]] == ["S1", "S2", "S4", "I4"]
    assert all(r["saknas"] == [] for k, r in part.items() if r["typ"] != "alla")
    assert part["S4"]["saknas"] and all(name in part["S4"]["motivering"] for name in part["S4"]["saknas"])
    page = (example_run / "2026-08" / "BRO_uppfoljning_2026-08.html").read_text(encoding="utf-8")
    rows = {t[0]: t for t in _table_rows(page, "Nyckelresultaten januari–augusti 2026")}
    assert "jan–aug 2025" in rows["S3"][4] and "jan–aug 2025" in rows["I1"][4] and "(2025)" in rows["S4"][4]
    assert rows["S1"][4].endswith("(mätår 2024)")


def test_forecasts_on_page_one_and_in_okr_json(example_run):
    """Issue 23's 'done when' on the example data: okr.json for 2026-08 has a forecast with an
    interval for each key result, or a stated reason why none; page one shows a Prognos column."""
    import json

    records = json.loads((example_run / "2026-08" / "okr.json").read_text(encoding="utf-8"))
    assert [r["id"] for r in records] == [kr.id for kr in load_plan().key_results]
    for r in records:
        assert r["prognos_år"] == 2026 and r["planslut_år"] == 2027, r["id"]
        for value, low, high, how in (
            ("prognos", "prognos_nedre", "prognos_övre", "prognos_metod"),
            ("planslut_prognos", "planslut_nedre", "planslut_övre", "planslut_metod"),
        ):
            if r[value] is None:
                assert r[how].strip(), (r["id"], value)  # a stated reason instead
            else:
                assert r[low] <= r[value] <= r[high], (r["id"], value, r[low], r[value], r[high])
    page = (example_run / "2026-08" / "BRO_uppfoljning_2026-08.html").read_text(encoding="utf-8")
    assert '<th scope="col">Prognos</th>' in page
    rows = {t[0]: t for t in _table_rows(page, "Nyckelresultaten januari–augusti 2026")}
    assert rows["S3"][6].startswith("2026: ") and " · 2027: " in rows["S3"][6]


def test_m1_is_not_risk_on_the_straight_line_alone(example_run):
    import json

    require_live("M1")
    records = json.loads((example_run / "2026-08" / "okr.json").read_text(encoding="utf-8"))
    assert next(r for r in records if r["id"] == "M1")["status"] != "risk"


def test_no_count_is_risk_in_january():
    from bro_analysis.analysis import overview
    from bro_analysis.analysis.context import open_context

    ctx = open_context("2026-01", EXAMPLE_DATA_DIR)
    for outcome in overview.outcomes(ctx):
        if ctx.plan.key_result(outcome.id).kind == "minst":  # the counts (and NKI, not judged yet)
            assert outcome.status != "risk", (outcome.id, outcome.reason)
