"""Headless Chromium for the committee HTML: PDF export, screenshots, page checks.

Chromium is the system's own (Debian's `chromium` package); it is driven through
the DevTools protocol by Playwright, which never downloads a browser here.
Every page is opened offline: requests for anything but the file itself and
its data: URLs are refused and recorded, so a report that needs the network shows.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import Any

from bro_analysis.core.files import replacing

# Names of the Chromium executable, first found wins; BRO_CHROMIUM overrides.
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
# The first screen a committee member sees on a laptop.
SCREEN: Any = {"width": 1280, "height": 800}  # playwright's ViewportSize
# "Sida 3 av 8" centred at the foot of every PDF page; the running header says
# "Exempeldata" on every page of a report made from example data, else nothing.
_MARGIN_STYLE = "width:100%;text-align:center;font-size:8.5pt;color:#333;font-family:'DejaVu Sans',Arial,sans-serif;"
PDF_FOOTER = (
    f'<div style="{_MARGIN_STYLE}">Sida <span class="pageNumber"></span> av <span class="totalPages"></span></div>'
)
EXAMPLE_HEADER = "Exempeldata – påhittade uppgifter, inga verkliga resultat"
TIMEOUT_MS = 120_000


class BrowserMissing(RuntimeError):
    """No Chromium on this machine."""


def find_chromium() -> str | None:
    """Path of the Chromium executable, or None when there is none."""
    override = os.environ.get("BRO_CHROMIUM")
    if override:
        return override if Path(override).exists() else None
    for name in CHROMIUM_NAMES:
        path = shutil.which(name)
        if path:
            return path
    return None


def check_available() -> str:
    """The Chromium path; raises BrowserMissing (in Swedish) when Chromium or Playwright is missing."""
    executable = find_chromium()
    if executable is None:
        raise BrowserMissing(
            "Chromium saknas. Installera det (Debian: apt-get install chromium) "
            "eller ange sökvägen i miljövariabeln BRO_CHROMIUM."
        )
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError as exc:
        raise BrowserMissing(
            "Python-paketet playwright saknas; installera projektet på nytt (pip install -e .)."
        ) from exc
    return executable


def _local(url: str) -> bool:
    return url.startswith(("file:", "data:", "about:", "blob:"))


@dataclass
class OfflinePage:
    """A page opened without network, and every request it tried to make outside the file."""

    page: Any  # playwright's Page, imported only when a browser is used
    blocked: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


@contextmanager
def browser() -> Iterator[Any]:
    """A headless Chromium with a fresh profile; raises BrowserMissing without one."""
    executable = check_available()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="bro-chromium-") as profile, sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(
            profile,
            executable_path=executable,
            headless=True,
            args=CHROMIUM_ARGS,
            offline=True,
            viewport=SCREEN,
            locale="sv-SE",
            service_workers="block",
        )
        context.set_default_timeout(TIMEOUT_MS)  # a stuck page fails instead of hanging
        try:
            yield context
        finally:
            context.close()


@contextmanager
def open_offline(context, html: Path, media: str = "screen") -> Iterator[OfflinePage]:
    """Open a local HTML file with every non-local request refused and recorded."""
    page = context.new_page()
    result = OfflinePage(page)

    def guard(route):
        url = route.request.url
        if _local(url):
            route.continue_()
        else:
            result.blocked.append(url)
            route.abort("internetdisconnected")

    page.route("**/*", guard)
    page.on("requestfailed", lambda request: result.failed.append(request.url))
    page.emulate_media(media=media)
    try:
        page.goto(Path(html).resolve().as_uri(), wait_until="load")
        page.wait_for_function("document.fonts.status === 'loaded'")
        yield result
    finally:
        page.close()


def write_pdf(html: Path, pdf: Path, running_header: str = "") -> Path:
    """Print the HTML to a tagged A4 PDF with a bookmark per heading, "Sida X av Y" and the
    running header on every page; written via a temporary file."""
    return write_pdfs([(html, pdf)], running_header)[0]


def write_pdfs(pairs: list[tuple[Path, Path]], running_header: str = "") -> list[Path]:
    """write_pdf for many (html, pdf) pairs with one browser (a kommunblad each)."""
    with browser() as context:
        return [_print(context, Path(html), Path(pdf), running_header) for html, pdf in pairs]


def page_header(page, default: str) -> str:
    """The running header a page asks for (`<meta name="bro-running-header">`, the committee
    report: its title, period, diarienummer, draft and example marks), else `default`."""
    meta = page.locator('meta[name="bro-running-header"]')
    return (meta.get_attribute("content") or default) if meta.count() else default


def _print(context, html: Path, pdf: Path, running_header: str) -> Path:
    with replacing(pdf) as tmp, open_offline(context, html, media="print") as opened:
        text = page_header(opened.page, running_header)
        header = f'<div style="{_MARGIN_STYLE}font-weight:bold;">{escape(text)}</div>'
        opened.page.pdf(
            path=str(tmp),
            format="A4",
            prefer_css_page_size=True,
            print_background=True,
            display_header_footer=True,
            header_template=header,
            footer_template=PDF_FOOTER,
            tagged=True,
            outline=True,
        )
    return pdf


def screenshot(html: Path, png: Path) -> Path:
    """A PNG of the first screen of the HTML, as a reader on a laptop sees it."""
    png = Path(png)
    png.parent.mkdir(parents=True, exist_ok=True)
    with browser() as context, open_offline(context, html) as opened:
        opened.page.screenshot(path=str(png), full_page=False)
    return png
