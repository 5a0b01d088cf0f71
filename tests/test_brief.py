"""The committee brief: page one answers, at most 12 A4 pages (8 before the appendix),
Exempeldata on every page and every figure, a tagged PDF with a bookmark per heading and
"Sida X av Y", a source under every figure and table, plain Swedish in the main part,
and what changed since the previous report."""

from __future__ import annotations

import html as html_lib
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader
from report_pages import PAGE_IDS, PAGES, PERIODS, page_path, pdf_pages, require_chromium, squash

from bro_analysis.core.config import EXAMPLE_DATA_DIR, load_plan
from bro_analysis.running.combine import report_name

# The page budget follows the plan: page one and the summary take two pages, each planområde
# two at most, the appendix four; the plan 2026–2027 (three planområden) gives 12 and 8.
MAX_MAIN_PAGES = 2 + 2 * len(load_plan().areas)
MAX_PAGES = MAX_MAIN_PAGES + 4
# Method names, file paths and test statistics belong in the appendix, not in the main part.
JARGON = ("Wilson", "Katz", "Fisher", "t-fördelningen", "minsta kvadrat", ".toml", ".csv", "p = ", "Holm")


@pytest.fixture(scope="module")
def pdfs(example_run, tmp_path_factory) -> Path:
    """The shared example run copied and printed with --pdf (its notebooks come from the cache)."""
    require_chromium()
    root = shutil.copytree(example_run, tmp_path_factory.mktemp("brief") / "out", copy_function=shutil.copy2)
    command = [sys.executable, "-m", "bro_analysis", "run", "--period", *PERIODS, "--out", str(root)]
    done = subprocess.run(
        [*command, "--data", str(EXAMPLE_DATA_DIR), "--pdf"], capture_output=True, text=True, timeout=900
    )
    assert done.returncode == 0, done.stderr
    return root


def _pdf(root: Path, period: str) -> Path:
    return root / period / report_name(period).replace(".html", ".pdf")


def _key_result_cells(html: str) -> list[list[str]]:
    table = re.search(r'<table class="key-results">.*?</table>', html, re.S).group(0)
    rows = re.findall(r"<tr>(.*?)</tr>", table, re.S)[1:]
    return [
        [html_lib.unescape(re.sub(r"<[^>]+>", "", c)) for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", r)]
        for r in rows
    ]


def _outline(reader: PdfReader) -> list[tuple[str, int]]:
    found = []

    def walk(items):
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                found.append((item.title, reader.get_destination_page_number(item) + 1))

    walk(reader.outline)
    return found


@pytest.mark.e2e
@pytest.mark.parametrize("period", PERIODS)
def test_pages_within_the_plan_s_budget_before_and_with_the_appendix(pdfs, period):
    reader = PdfReader(_pdf(pdfs, period))
    assert len(reader.pages) <= MAX_PAGES
    appendix = dict(_outline(reader))["Bilaga: underlag och metod"]
    assert appendix - 1 <= MAX_MAIN_PAGES, f"bilagan börjar på sida {appendix}"


@pytest.mark.e2e
@pytest.mark.parametrize("period", PERIODS)
def test_page_one_holds_every_key_result_with_its_value_and_status(pdfs, period):
    first = squash(pdf_pages(_pdf(pdfs, period), "-raw")[0])  # content order: row by row
    html = page_path(pdfs, period, report_name(period)).read_text(encoding="utf-8")
    cells = _key_result_cells(html)
    assert [c[0] for c in cells] == [kr.id for kr in load_plan().key_results]
    page_one = html[html.index('class="page-one"') : html.index("</section>")]
    source = html_lib.unescape(re.findall(r'<p class="source">([^<]+)</p>', page_one)[-1])
    assert squash(source) in first  # the table's source line too (tests/test_page_one_fits.py: a larger plan)
    for key, _text, value, target, _previous, status, _forecast, _judged in cells:
        for shown in (key, value, target, status.split(":")[0]):  # the status, then a short why
            assert squash(shown) in first, (key, shown)


@pytest.mark.e2e
@pytest.mark.parametrize("period", PERIODS)
def test_every_page_says_exempeldata_and_sida_x_av_y(pdfs, period):
    pages = pdf_pages(_pdf(pdfs, period), "-layout")
    for number, page in enumerate(pages, 1):
        assert "Exempeldata" in page, f"sida {number}"
        assert page.strip().splitlines()[-1].strip() == f"Sida {number} av {len(pages)}"
        assert "file:" not in page and ".html" not in page, "webbläsarens sidhuvud eller sidfot"


@pytest.mark.e2e
@pytest.mark.parametrize("period", PERIODS)
def test_the_pdf_is_tagged_with_title_language_and_a_bookmark_per_heading(pdfs, period):
    reader = PdfReader(_pdf(pdfs, period))
    root = reader.trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"]) and "/StructTreeRoot" in root and root["/Lang"] == "sv"
    assert reader.metadata.title.startswith("Uppföljning av verksamhetsplanen")
    html = page_path(pdfs, period, report_name(period)).read_text(encoding="utf-8")
    headings = [html_lib.unescape(re.sub(r"<[^>]+>", "", h)) for h in re.findall(r"<h[1-3][^>]*>(.*?)</h[1-3]>", html)]
    titles = [t for t, _ in _outline(reader)]
    assert [squash(h) for h in headings] == [squash(t) for t in titles]  # spaces kept ('augusti 2026')


@pytest.mark.e2e
@pytest.mark.parametrize(("period", "name"), PAGES, ids=PAGE_IDS)
def test_a_source_line_under_every_figure_and_table(example_run, period, name):
    html = page_path(example_run, period, name).read_text(encoding="utf-8")
    for figure in re.findall(r"<figure>.*?</figure>", html, re.S):
        assert re.search(r'<p class="source">Källa: [^<]+Exempeldata\.</p>', figure), figure[-300:]
    tables = len(re.findall(r"<table\b", html))
    blocks = re.findall(
        r'<div class="table-block"><table\b.*?</table><p class="source">Källa: [^<]+</p></div>', html, re.S
    )
    assert tables == len(blocks), name


@pytest.mark.e2e
@pytest.mark.parametrize("period", PERIODS)
def test_the_main_part_is_plain_swedish(example_run, period):
    html = page_path(example_run, period, report_name(period)).read_text(encoding="utf-8")
    main = html[html.index("<body") : html.index('id="bilaga"')]
    text = squash(html_lib.unescape(re.sub(r"<[^>]+>", " ", re.sub(r'src="data:[^"]+"', "", main))))
    assert not [w for w in JARGON if w in text]
    for word in ("Lead", "Konvertering", "SKR:s betyg", "Osäkerhetsmarginal"):
        assert word in text  # explained once in the word list


@pytest.mark.e2e
def test_without_a_published_report_since_last_says_so(example_run):
    later = page_path(example_run, "2026-08", report_name("2026-08")).read_text(encoding="utf-8")
    assert "Sedan förra rapporten" in later
    assert "Ingen tidigare rapport är publicerad, så det finns inget att jämföra med." in later


def test_areas_outside_the_plan_follow_the_plans_areas():
    import nbformat

    from bro_analysis.running.combine import area_sections

    def notebook(area, text):
        nb = nbformat.v4.new_notebook()
        nb.metadata["bro"] = {"area": area}
        nb.cells = [nbformat.v4.new_markdown_cell(f"## {text}", metadata={"tags": ["nämnd"]})]
        return nb

    sections = area_sections(
        [notebook("Sammanhang", "RUS"), notebook("B", "b"), notebook("A", "om a"), notebook("C", "aldrig")], ["A", "B"]
    )
    assert [area for _, area, _ in sections] == ["A", "B", "Sammanhang", "C"]
    assert "<h3>om a</h3>" in sections[0][2]


@pytest.mark.e2e
@pytest.mark.parametrize("period", PERIODS)
def test_every_kommunblad_prints_on_at_most_two_pages(pdfs, period):
    printed = sorted((pdfs / period / "kommuner").glob("*.pdf"))
    assert len(printed) == len(load_plan().members)
    for pdf in printed:
        reader = PdfReader(pdf)
        assert len(reader.pages) <= 2, pdf.name
        assert all("Exempeldata" in page for page in pdf_pages(pdf)), pdf.name


def _structure(reader: PdfReader, kind: str) -> list:
    """Every element of the PDF's structure tree of this type (/Figure, /H1 …)."""
    found = []

    def walk(node):
        node = node.get_object() if hasattr(node, "get_object") else node
        if isinstance(node, list):
            for child in node:
                walk(child)
        elif hasattr(node, "get"):
            if node.get("/S") == kind:
                found.append(node)
            if "/K" in node:
                walk(node["/K"])

    walk(reader.trailer["/Root"]["/StructTreeRoot"])
    return found


@pytest.mark.e2e
@pytest.mark.parametrize("period", PERIODS)
def test_every_figure_in_the_pdf_has_alt_text(pdfs, period):
    """One Figure element per image, each with the image's alt text; the <figure> wrapper
    around image and caption is no Figure of its own (an outer Figure without /Alt)."""
    figures = _structure(PdfReader(_pdf(pdfs, period)), "/Figure")
    html = page_path(pdfs, period, report_name(period)).read_text(encoding="utf-8")
    alts = [html_lib.unescape(a) for a in re.findall(r'<img [^>]*alt="([^"]*)"', html)]
    assert len(figures) == len(alts) > 0
    assert [str(f.get("/Alt", "")) for f in figures] == alts


def _body_lines(page: str) -> list[str]:
    """A printed page's lines without the running header, the page number and the version line."""
    lines = [line.strip() for line in page.splitlines() if line.strip()]
    return [
        line
        for line in lines[1:]
        if not re.fullmatch(r"Sida \d+ av \d+", line) and not line.startswith("Framtagen med bro-analysis")
    ]


@pytest.mark.e2e
@pytest.mark.parametrize("period", PERIODS)
def test_no_page_holds_only_its_header_footer_or_version_line(pdfs, period):
    for number, page in enumerate(pdf_pages(_pdf(pdfs, period), "-layout"), 1):
        assert page.strip().splitlines()[0].strip().startswith("Uppföljning av verksamhetsplanen"), number
        assert len(_body_lines(page)) >= 5, f"sida {number}: {_body_lines(page)}"


@pytest.mark.e2e
@pytest.mark.parametrize("period", PERIODS)
def test_headings_and_glossary_terms_stay_with_what_follows(pdfs, period):
    html = page_path(pdfs, period, report_name(period)).read_text(encoding="utf-8")
    kept = {
        squash(html_lib.unescape(re.sub(r"<[^>]+>", "", t)))
        for t in re.findall(r"<(?:h[1-4]|dt)\b[^>]*>(.*?)</(?:h[1-4]|dt)>", html, re.S)
    }
    pages = pdf_pages(_pdf(pdfs, period))
    for number, page in enumerate(pages[:-1], 1):
        last = _body_lines(page)[-1]
        assert squash(last) not in kept, f"sida {number} slutar med rubriken eller ordet {last!r}"


@pytest.mark.e2e
@pytest.mark.parametrize("period", PERIODS)
def test_the_sources_tables_dates_are_never_broken(pdfs, period):
    html = page_path(pdfs, period, report_name(period)).read_text(encoding="utf-8")
    spans = re.findall(r'data-label="Period i filen">([^<]+)</td>', html)
    dated = [s for s in spans if re.search(r"\d{4}-\d\d-\d\d", s)]
    assert dated, "källtabellen har inga datum"
    printed = squash(" ".join(pdf_pages(_pdf(pdfs, period), "-layout")))
    for span in dated:
        assert squash(html_lib.unescape(span)) in printed, span


@pytest.mark.e2e
@pytest.mark.parametrize("period", PERIODS)
def test_source_lines_name_the_data_and_no_heading_repeats_the_one_above(example_run, period):
    html = page_path(example_run, period, report_name(period)).read_text(encoding="utf-8")
    sources = re.findall(r'<p class="source">([^<]+)</p>', html)
    assert not [s for s in sources if "bilagan" in s or "mappen" in s or "kommuner/" in s]
    first = html[html.index('class="page-one"') : html.index("</section>")]
    assert "Insikt" in re.findall(r'<p class="source">([^<]+)</p>', first)[-1]
    headings = [
        sorted(re.findall(r"\w+", html_lib.unescape(re.sub(r"<[^>]+>", "", h)).casefold()))
        for h in re.findall(r"<h[1-4][^>]*>(.*?)</h[1-4]>", html, re.S)
    ]
    assert not [h for h, after in zip(headings, headings[1:], strict=False) if h == after]


def test_a_notebook_heading_that_repeats_its_area_is_left_out():
    import nbformat

    from bro_analysis.running.combine import area_sections

    nb = nbformat.v4.new_notebook()
    nb.metadata["bro"] = {"area": "RUS 2030: sammanhanget"}
    nb.cells = [
        nbformat.v4.new_markdown_cell("## Sammanhanget: RUS 2030\n\nText.", metadata={"tags": ["nämnd"]}),
        nbformat.v4.new_markdown_cell("## Utvecklingen", metadata={"tags": ["nämnd"]}),
    ]
    ((_, _, html),) = area_sections([nb], [])
    assert re.findall(r"<h\d[^>]*>(.*?)</h\d>", html) == ["RUS 2030: sammanhanget", "Utvecklingen"]
    assert "<p>Text.</p>" in html
