"""Shared by test_browser.py and test_accessibility.py: the HTML files the shared
example run (conftest.example_run) must produce, and the rule for when a browser
test may be skipped (Chromium absent and not required; in CI it fails)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from bro_analysis.core.config import load_plan
from bro_analysis.running.browser import find_chromium
from bro_analysis.running.combine import report_name
from bro_analysis.running.runner import MEMBERS_DIR, is_per_member, list_notebooks, member_stem

# The periods of the shared example run (conftest.example_run): a full year and a part year.
PERIODS = ("2025", "2026-08")


def expected_html(period: str) -> list[str]:
    """Every HTML a run must write for a period: one per notebook (a kommunblad per member)
    and the combined report."""
    pages = [f"{nb.stem}.html" for nb in list_notebooks() if not is_per_member(nb)]
    members = [f"{MEMBERS_DIR}/{member_stem(code, name)}.html" for code, name in load_plan().members.items()]
    return pages + [report_name(period)] + members


PAGES = [(period, name) for period in PERIODS for name in expected_html(period)]
PAGE_IDS = [f"{period}/{name}" for period, name in PAGES]


def page_path(root: Path, period: str, name: str) -> Path:
    """The HTML file of the shared example run (conftest.example_run); a missing one
    fails the test, never skips it."""
    path = root / period / name
    assert path.exists(), f"körningen skrev inte {period}/{name}"
    return path


def in_ci() -> bool:
    """Browser tools must be there: BRO_REQUIRE_BROWSER=1 (.ci/run sets it) or CI=true."""
    return os.environ.get("BRO_REQUIRE_BROWSER", "") == "1" or os.environ.get("CI", "").lower() == "true"


def pdf_pages(pdf: Path, *args: str) -> list[str]:
    """The PDF's text page by page (pdftotext, with `args` such as -layout or -raw); skip only
    outside CI when pdftotext is absent."""
    tool = shutil.which("pdftotext")
    if tool is None:
        if in_ci():
            pytest.fail("pdftotext saknas (Debian: poppler-utils)")
        pytest.skip("pdftotext saknas (Debian: poppler-utils)")
    text = subprocess.run([tool, *args, str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return text.split("\f")[:-1]


def squash(text: str) -> str:
    """Whitespace (also no-break spaces) as single spaces."""
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ")).strip()


def require_chromium() -> str:
    """Chromium's path; skip only outside CI when it is absent."""
    path = find_chromium()
    if path is None:
        message = "Chromium saknas (Debian: apt-get install chromium)"
        if in_ci():
            pytest.fail(message + "; .ci/run ska installera det")
        pytest.skip(message)
    return path


def require_java() -> str:
    path = shutil.which("java")
    if path is None:
        message = "Java saknas för W3C Nu-kontrollen (Debian: apt-get install default-jre-headless)"
        if in_ci():
            pytest.fail(message)
        pytest.skip(message)
    return path


class _Text(HTMLParser):
    """The text a reader sees: no markup, styles, scripts or attribute values."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("style", "script", "title"):
            self._skip += 1

    def handle_endtag(self, tag):
        if tag in ("style", "script", "title"):
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return " ".join(parser.parts)


# Numbers not in Swedish format: a decimal point, % without a space, a comma as
# thousands separator, five or more digits without a space, a hyphen as minus sign.
NOT_SWEDISH = re.compile(
    r"(?<![\d.,])\d+\.\d+(?![\d.])"
    r"|\d%"
    r"|\d,\d{3},\d{3}"
    r"|(?<![\w.])\d{5,}(?!\w)"
    r"|(?<![\w\-–−.])-\d"
)
HEX_DIGEST = re.compile(r"\b[0-9a-f]{32,}\b")


def non_swedish_numbers(text: str) -> list[str]:
    """Numbers written the English way (checksums are left out)."""
    text = HEX_DIGEST.sub(" ", text)
    return [text[max(0, m.start() - 25) : m.end() + 25] for m in NOT_SWEDISH.finditer(text)]
