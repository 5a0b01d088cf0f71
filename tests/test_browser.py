"""The committee HTML in a real headless Chromium, with the network off.

Nothing may be requested from the network, every image must load, the first
screen must show the title and the key-result table. The printed PDF is tested in
test_brief.py. A screenshot of the first screen is kept in outputs/screenshots/."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from report_pages import PAGE_IDS, PAGES, PERIODS, expected_html, page_path, require_chromium

from bro_analysis.core.config import OUTPUTS_DIR, load_plan
from bro_analysis.running import browser, cli
from bro_analysis.running.combine import report_name

pytestmark = pytest.mark.e2e
MAX_REPORT_BYTES = 2 * 1024 * 1024
PRINT_DPI = 150
SCREENSHOTS = OUTPUTS_DIR / "screenshots"


@pytest.fixture(scope="module")
def chromium():
    require_chromium()
    with browser.browser() as context:
        yield context


@pytest.mark.parametrize("period", PERIODS)
def test_run_writes_every_html_including_the_combined_report(example_run, period):
    folder = example_run / period
    written = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*.html"))
    assert written == sorted(expected_html(period))
    assert report_name(period) in written


@pytest.mark.parametrize(("period", "name"), PAGES, ids=PAGE_IDS)
def test_offline_page_requests_nothing_and_every_image_loads(example_run, chromium, period, name):
    html = page_path(example_run, period, name)
    with browser.open_offline(chromium, html) as opened:
        images = opened.page.evaluate(
            "Array.from(document.images, i => ({ok: i.complete && i.naturalWidth > 0, alt: i.alt}))"
        )
    assert opened.blocked == [], f"bad om nätverket: {opened.blocked}"
    assert opened.failed == [], f"misslyckade hämtningar: {opened.failed}"
    assert len(images) == len(re.findall(r"<img\b", html.read_text(encoding="utf-8")))
    assert all(i["ok"] for i in images), [i["alt"][:60] for i in images if not i["ok"]]


def test_the_offline_guard_catches_a_network_request(chromium, tmp_path):
    page = tmp_path / "nät.html"
    page.write_text(
        '<!DOCTYPE html><html lang="sv"><head><title>t</title></head><body>'
        '<img src="https://example.org/a.png" alt="a"></body></html>',
        encoding="utf-8",
    )
    with browser.open_offline(chromium, page) as opened:
        pass
    assert opened.blocked == ["https://example.org/a.png"]


@pytest.mark.parametrize("period", PERIODS)
def test_first_screen_shows_title_and_key_result_summary(example_run, chromium, period):
    """At 1280×800 the title, the summary's first sentence and the start of the key-result table
    are on screen; between the title block and the table stand only the proposed decision and
    the summary."""
    html = page_path(example_run, period, report_name(period))
    with browser.open_offline(chromium, html) as opened:
        seen = opened.page.evaluate("""() => {
            const onScreen = el => { const r = el.getBoundingClientRect();
                return r.height > 0 && r.top >= 0 && r.bottom <= window.innerHeight; };
            const h1 = document.querySelector('header.report-title h1');
            const table = document.querySelector('table.key-results');
            const first = table && table.querySelector('tbody tr');
            const between = table && table.closest('.table-block').previousElementSibling;
            const headline = document.querySelector('.decision .headline');
            return {title: h1 && h1.textContent, titleShown: !!h1 && onScreen(h1),
                    summary: table && table.caption.textContent, summaryShown: !!first && onScreen(first),
                    tableTop: table && table.getBoundingClientRect().top,
                    before: between && between.className,
                    title_block: between && between.previousElementSibling.className,
                    headlineShown: !!headline && onScreen(headline)};
        }""")
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        shot = SCREENSHOTS / f"{Path(report_name(period)).stem}_forsta_skarmen.png"
        opened.page.screenshot(path=str(shot))
    assert seen["titleShown"] and "Uppföljning" in seen["title"], seen
    assert seen["summaryShown"] and seen["tableTop"] < 800, seen
    assert seen["before"] in ("decision", "decision two") and seen["title_block"] == "report-title", seen
    assert seen["headlineShown"], seen
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize("period", PERIODS)
def test_combined_report_is_small(example_run, period):
    size = page_path(example_run, period, report_name(period)).stat().st_size
    assert size <= MAX_REPORT_BYTES, f"{size / 1e6:.2f} MB"


@pytest.mark.parametrize(("period", "name"), PAGES, ids=PAGE_IDS)
def test_figures_have_print_resolution(example_run, chromium, period, name):
    """Each figure, as printed on A4, has at least PRINT_DPI pixels per inch."""
    with browser.open_offline(chromium, page_path(example_run, period, name), media="print") as opened:
        # The A4 text column (210 mm less the 15 mm margins of bro.css) at 96 CSS px per inch.
        opened.page.set_viewport_size({"width": round(180 / 25.4 * 96), "height": 1000})
        dpis = opened.page.evaluate(
            "Array.from(document.images, i => i.naturalWidth / (i.getBoundingClientRect().width / 96))"
        )
    assert all(d >= PRINT_DPI for d in dpis), dpis


def test_run_pdf_without_chromium_is_a_clear_error(monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("BRO_CHROMIUM", str(tmp_path / "finns-inte"))
    code = cli.main(["run", "--period", "2025", "--out", str(tmp_path), "--pdf"])
    assert code == 2
    assert f"BRO_CHROMIUM pekar på {tmp_path / 'finns-inte'}, som inte finns" in capsys.readouterr().err
    assert not list(tmp_path.rglob("*.html"))  # refused before any notebook ran


@pytest.mark.parametrize("variable, value", [("BRO_REQUIRE_BROWSER", "1"), ("CI", "true")])
def test_missing_chromium_fails_where_required_and_skips_elsewhere(monkeypatch, tmp_path, variable, value):
    monkeypatch.setenv("BRO_CHROMIUM", str(tmp_path / "finns-inte"))
    monkeypatch.delenv("BRO_REQUIRE_BROWSER", raising=False)
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setenv(variable, value)
    with pytest.raises(pytest.fail.Exception):
        require_chromium()
    monkeypatch.delenv(variable)
    with pytest.raises(pytest.skip.Exception):
        require_chromium()


# Every word in a table cell, as ranges; a checksum (a long hex string) is no word and may wrap.
_REFLOW = r"""() => {
  const broken = [], narrow = [];
  const shown = cell => !cell.closest('thead') || getComputedStyle(cell.closest('thead')).position !== 'absolute';
  for (const cell of Array.from(document.querySelectorAll('table th, table td')).filter(shown)) {
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const words = /[^\s\-–\/]+/g;
      for (let m = words.exec(n.data); m; m = words.exec(n.data)) {
        if (/^[0-9a-f]{32,}$/.test(m[0])) continue;
        const range = document.createRange();
        range.setStart(n, m.index);
        range.setEnd(n, m.index + m[0].length);
        const lines = new Set(Array.from(range.getClientRects(), r => Math.round(r.top)));
        if (lines.size > 1) broken.push(m[0]);
        const box = range.getBoundingClientRect(), own = cell.getBoundingClientRect();
        if (box.right > own.right + 1) narrow.push(m[0]);
      }
    }
  }
  const labels = Array.from(document.querySelectorAll('table.key-results tbody td'),
                            td => getComputedStyle(td, '::before').content);
  return {scroll: document.documentElement.scrollWidth, broken, narrow, labels,
          rowsAsBlocks: getComputedStyle(document.querySelector('table.key-results tbody tr:not(.objective)')).display,
          headerCells: document.querySelectorAll('table.key-results thead th[scope=col]').length};
}"""


@pytest.mark.parametrize("width", [320, 390, 768])
@pytest.mark.parametrize("period", PERIODS)
def test_tables_reflow_without_sideways_scrolling_or_broken_words(example_run, chromium, period, width):
    """WCAG 1.4.10: at phone and tablet widths the page is no wider than the screen, no word in a
    table breaks across lines or sticks out of its cell, and page one's table shows each row as
    a block whose cells say their column ("Utfall: …") from the markup's data-label."""
    html = page_path(example_run, period, report_name(period))
    with browser.open_offline(chromium, html) as opened:
        opened.page.set_viewport_size({"width": width, "height": 900})
        seen = opened.page.evaluate(_REFLOW)
    assert seen["scroll"] <= width, seen["scroll"]
    assert seen["broken"] == [] and seen["narrow"] == [], (seen["broken"][:5], seen["narrow"][:5])
    assert seen["rowsAsBlocks"] == "block"
    assert seen["headerCells"] == 8  # the header row stays in the markup for screen readers
    assert len(seen["labels"]) == len(load_plan().key_results) * 7
    assert {label.rsplit(":", 1)[0].strip(' "') for label in seen["labels"]} == {
        "Nyckelresultat",
        "Utfall",
        "Mål",
        "Föregående",
        "Status",
        "Prognos",
        "BRO:s bedömning",
    }
