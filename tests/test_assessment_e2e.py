"""Issue 24's 'done when', through the command line on copies of the example data:
the template command, BRO's assessment on page one, the draft mark on every page,
a quoted number that went stale, and an unknown id."""

from __future__ import annotations

import re

import pytest
from bad_inputs.support import cli, copy_example, read_rows, write_rows
from report_pages import in_ci, page_path, pdf_pages, require_chromium

from bro_analysis.core.config import EXAMPLE_DATA_DIR, load_plan
from bro_analysis.input.assessments import read_assessment
from bro_analysis.running.browser import find_chromium
from bro_analysis.running.combine import DRAFT_BANNER, report_name

pytestmark = pytest.mark.e2e
IDS = [kr.id for kr in load_plan().key_results]


def test_the_template_command_writes_every_key_result_and_never_overwrites(tmp_path):
    data = copy_example(tmp_path / "data")
    done = cli("bedömning", "--period", "2026-03", "--data", str(data))
    assert done.returncode == 0, done.stderr
    path = data / "bedomningar" / "2026-03.md"
    text = path.read_text(encoding="utf-8")
    assert re.findall(r"^## (\S+)", text, re.M) == IDS
    assert list(read_assessment(path, IDS, "2026-03").sections) == IDS
    path.write_text(text.replace("Diarienummer:", "Diarienummer: RUN 2026/9"), encoding="utf-8")
    again = cli("bedomning", "--period", "2026-03", "--data", str(data))
    assert again.returncode == 2 and "2026-03.md finns redan och skrivs aldrig över" in again.stderr
    assert "RUN 2026/9" in path.read_text(encoding="utf-8")


def test_page_one_shows_objectives_bro_s_assessment_diarienummer_and_contact(example_run):
    html = page_path(example_run, "2026-08", report_name("2026-08")).read_text(encoding="utf-8")
    first = html[: html.index("<nav")]
    plan = load_plan()
    groups = re.findall(r'<tr class="objective"><th[^>]*scope="rowgroup"[^>]*>(.*?)</th>', first)
    assert len(groups) == len(plan.objectives)
    for group, (area, objective) in zip(groups, plan.objectives.items()):
        assert re.sub(r"<[^>]+>", "", group).replace("&amp;", "&") == f"{area}: {objective}"
    assessed = re.findall(r'<td class="assessment(?: missing)?"[^>]*>(.*?)</td>', first)  # "Ej skriven" if none
    judged = read_assessment(EXAMPLE_DATA_DIR / "bedomningar" / "2026-08.md", IDS, "2026-08", retired=plan.retired)
    assert len(assessed) == len(IDS) and all(a.strip() for a, i in zip(assessed, IDS) if i in judged.sections)
    assert "RUN 2026/0123" in first and "mailto:analys@example.se" in first
    assert "Förslag till beslut" in first and DRAFT_BANNER not in html
    section = html[html.index('id="omrade-2"') :]
    assert "Hällefors och Ljusnarsberg" in section[: section.index("</dl>")]  # I4's Orsak in its area


def _run(data, out, *more):
    return cli("run", "--period", "2026-08", "--data", str(data), "--out", str(out), "--utan-kommunblad", *more)


def test_a_draft_on_every_page_and_a_stale_number_named_and_marked(tmp_path):
    data = copy_example(tmp_path / "data")
    judged = data / "bedomningar" / "2026-08.md"
    judged.write_text(
        re.sub(r"^Fastställd av:.*$", "Fastställd av:", judged.read_text(encoding="utf-8"), flags=re.M),
        encoding="utf-8",
    )
    rows = read_rows(data / "investeringar.csv")
    row = next(r for r in rows if r[0] == "INV-2024-028")  # logistik, decided 2026-02-04: in I1 for 2026-08
    row[5] = "33,1"  # was 23,1: I1 goes from 165 to 175 MSEK, and the file quotes 165
    write_rows(data / "investeringar.csv", rows)
    line = next(i for i, t in enumerate(judged.read_text(encoding="utf-8").splitlines(), 1) if "165 MSEK" in t)

    checked = cli("validate", "--data", str(data))
    assert checked.returncode == 0, checked.stderr
    assert f"bedomningar/2026-08.md, rad {line}: I1 (Orsak) nämner 165" in checked.stderr
    assert "(utfall 175\u00a0MSEK (6 projekt), mål ökning)" in checked.stderr

    more = ("--pdf",) if find_chromium() or in_ci() else ()
    if more:
        require_chromium()
    done = _run(data, tmp_path / "out", *more)
    assert done.returncode == 0, done.stderr
    assert "I1 (Orsak) nämner 165" in done.stderr
    html = (tmp_path / "out" / "2026-08" / report_name("2026-08")).read_text(encoding="utf-8")
    assert DRAFT_BANNER in html
    assert re.search(r'<mark class="stale">[^<]*165 MSEK[^<]*</mark> <span class="stale-note">\[⚠ 165', html)
    if not more:
        pytest.skip("Chromium saknas: PDF:ens sidhuvud prövas inte")
    pages = pdf_pages(tmp_path / "out" / "2026-08" / report_name("2026-08").replace(".html", ".pdf"), "-layout")
    assert len(pages) > 5
    for number, page in enumerate(pages, 1):
        assert "Utkast – bedömningen är inte fastställd" in page, f"sida {number}"


def test_an_unknown_id_stops_validate_and_run_before_any_notebook(tmp_path):
    data = copy_example(tmp_path / "data")
    judged = data / "bedomningar" / "2026-08.md"
    text = judged.read_text(encoding="utf-8")
    judged.write_text(text + "\n## X9\nBedömning: Okänt.\n", encoding="utf-8")
    line = len(text.splitlines()) + 2
    checked = cli("validate", "--data", str(data))
    assert checked.returncode == 2
    assert f"bedomningar/2026-08.md, rad {line}" in checked.stderr and "X9" in checked.stderr
    done = _run(data, tmp_path / "out")
    assert done.returncode == 2 and "X9" in done.stderr
    assert not (tmp_path / "out" / "2026-08").exists()
