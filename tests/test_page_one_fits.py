"""Page one holds the plan's key results as the plan grows: "The committee reads page one.
Every key result with value, target, status in words, forecast and BRO's judgement is there."

The plan 2026–2027 has 12 key results; a successor's plan with a fourth planområde and up to
18 key results must still print every one of them, and page one's source line, on the
landscape page one, with no row and no source line left over on page two. The report is
built through the same steps as `bro-analysis run --pdf` (the overview's summary, combine,
the nbconvert template, Chromium), without the area notebooks: page one is made from the
summary alone."""

from __future__ import annotations

import datetime as dt
import html as html_lib
import re
from dataclasses import replace
from pathlib import Path

import fixture_plan
import pytest
from pypdf import PdfReader
from report_pages import pdf_pages, require_chromium, squash

from bro_analysis.analysis import summary
from bro_analysis.core.config import load_plan
from bro_analysis.presentation.blocks import page_one_density
from bro_analysis.running import browser, combine, export

ID_ROW = re.compile(r"^\s*([A-Z]\d+)\s", re.M)  # a key-result row of the printed table starts with its id


def _measured_as(number: int):
    """The plan 2026–2027's key result that added key result K<number> is measured as:
    K1 as S3, K2 as I3, K3 as S1, … (each area's kind of row in turn)."""
    return fixture_plan.PLAN.key_results[(5 * number - 3) % len(fixture_plan.IDS)]


def _grown_plan(size: int) -> str:
    """The fixture plan with a fourth planområde holding key results K1 … up to `size` in all,
    each measured as one of the plan's own key results, so that each row's cells are as long
    as real ones."""
    text = fixture_plan.OKR_TEXT + fixture_plan.NEW_AREA_OKR
    for number in range(1, size - len(fixture_plan.IDS) + 1):
        like = _measured_as(number)
        target = f'"mål" = {like.target}\n' if like.target is not None else ""
        text += (
            f'\n[[nyckelresultat]]\nid = "K{number}"\n"område" = "Kompetensförsörjning"\n'
            f'text = "Kompetens {number}"\nkort = "{like.short}"\n"mått" = "{like.metric}"\n'
            f'typ = "{like.kind}"\nenhet = "{like.unit}"\n{target}'
        )
    return text


def _context(okr: Path):
    """The example data for 2026-08 with the grown plan; each added key result but the last
    judged by BRO with the text of the key result it is measured as (as long as a real
    judgement), the last not yet judged (the summary says so in a line of its own)."""
    ctx = fixture_plan.context("2026-08")
    plan = load_plan(okr)
    added = [kr.id for kr in plan.key_results if kr.id not in fixture_plan.IDS]
    sections = dict(ctx.assessment.sections)
    for number, kr_id in enumerate(added[:-1], 1):
        sections[kr_id] = replace(sections[_measured_as(number).id], id=kr_id)
    judged = replace(ctx.assessment, sections=sections)
    return replace(ctx, plan=plan, dataset=replace(ctx.dataset, plan=plan), assessment=judged)


def _printed(tmp_path: Path, size: int) -> tuple[str, Path]:
    """The committee report (page one, what follows it and the appendix) as HTML and PDF."""
    okr = tmp_path / "okr.toml"
    okr.write_text(_grown_plan(size), encoding="utf-8")
    info = summary.summary(_context(okr))
    merged = combine.build([], info, dt.date(2026, 9, 20))
    html = tmp_path / combine.report_name(info["period"])
    html.write_bytes(export.export_html(merged, "Uppföljning av verksamhetsplanen"))
    return html.read_text(encoding="utf-8"), browser.write_pdf(html, html.with_suffix(".pdf"))


def _font_sizes(pdf: Path, page: int) -> set[float]:
    """The sizes (pt) of the text printed on one page."""
    sizes = set()

    def visit(text, cm, tm, font, size):
        if text.strip():
            sizes.add(round(size * tm[3] * cm[3], 1))

    PdfReader(pdf).pages[page].extract_text(visitor_text=visit)
    return sizes


def test_page_one_gets_denser_only_beyond_the_plan_2026_2027():
    assert [page_one_density(n) for n in (1, 12, 13, 14, 15, 18, 30)] == ["", "", *["dense"] * 2, *["denser"] * 3]


@pytest.mark.e2e
@pytest.mark.parametrize("size", [13, 15, 18])
def test_page_one_holds_every_key_result_of_a_grown_plan_and_its_source_line(tmp_path, size):
    require_chromium()
    html, pdf = _printed(tmp_path, size)
    ids = [kr.id for kr in load_plan(tmp_path / "okr.toml").key_results]
    assert len(ids) == size and ids[-1] == f"K{size - 12}"
    page_one = html[html.index('<section class="page-one"') : html.index("</section>")]
    assert f'data-density="{page_one_density(size)}"' in page_one
    source = html_lib.unescape(re.findall(r'<p class="source">([^<]+)</p>', page_one)[-1])
    pages = pdf_pages(pdf, "-layout")
    first, second = pages[0], pages[1]
    assert ID_ROW.findall(first) == ids
    assert squash(source) in squash(first)
    # Nothing of page one is left over for page two: it starts with what follows the table.
    assert not ID_ROW.findall(second) and squash(source) not in squash(second)
    assert [line.strip() for line in second.splitlines() if line.strip()][1] == "Sedan förra rapporten"
    assert min(_font_sizes(pdf, 0)) >= 7  # denser, never smaller than 7pt


@pytest.mark.e2e
def test_a_plan_beyond_page_one_continues_at_a_planomrade_under_repeated_headings(tmp_path):
    """22 key results: the fourth planområde's ten do not fit; they move to page two as a
    whole, under the table's column headings, with the source line after them: no row and no
    source line left alone on a page."""
    require_chromium()
    html, pdf = _printed(tmp_path, 22)
    page_one = html[html.index('<section class="page-one"') : html.index("</section>")]
    source = squash(html_lib.unescape(re.findall(r'<p class="source">([^<]+)</p>', page_one)[-1]))
    first, second = pdf_pages(pdf, "-layout")[:2]
    assert ID_ROW.findall(first) == fixture_plan.IDS
    assert ID_ROW.findall(second) == [f"K{n}" for n in range(1, 11)]
    body = [line.split() for line in second.splitlines() if line.strip()][1:3]
    assert body[0][:2] == ["Id", "Nyckelresultat"] and body[1][0] == "Kompetensförsörjning:"
    assert source not in squash(first) and source in squash(second)
