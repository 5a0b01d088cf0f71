"""Headless Chromium for the committee HTML: PDF export, screenshots, page checks.

The browser is one already on the machine: Chromium (Debian's `chromium` package), Google
Chrome or Microsoft Edge, found in the order of `find_browser`. It is driven through the
DevTools protocol by Playwright, which never downloads a browser here.
Every page is opened offline: requests for anything but the file itself and
its data: URLs are refused and recorded, so a report that needs the network shows.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import Any

from bro_analysis.core.files import replacing

# Where a browser is looked for, in this order (BRO_CHROMIUM, a path, comes before all):
# programs on PATH, the Chromium app on macOS, then Chrome and Edge where their makers
# install them on Windows, macOS and Linux (Playwright's channels).
EXECUTABLES = (
    ("Chromium", "chromium"),
    ("Chromium", "chromium-browser"),
    ("Google Chrome", "google-chrome"),
    ("Google Chrome", "google-chrome-stable"),
    ("Microsoft Edge", "microsoft-edge"),
    ("Microsoft Edge", "microsoft-edge-stable"),
)
APPS = (("Chromium", "/Applications/Chromium.app/Contents/MacOS/Chromium"),)
CHANNELS = (("Google Chrome", "chrome"), ("Microsoft Edge", "msedge"))
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
    """No Chromium, Chrome or Edge on this machine (or no Playwright)."""


@dataclass(frozen=True)
class Found:
    """A browser to drive: a program, or a Playwright channel (Chrome, Edge)."""

    name: str
    executable: str | None = None
    channel: str | None = None

    def launch_options(self) -> dict[str, str]:
        return {"executable_path": self.executable} if self.executable else {"channel": str(self.channel)}

    def __str__(self) -> str:
        return f"{self.name} ({self.executable or f'Playwright-kanalen {self.channel}'})"


def _installed() -> Iterator[Found]:
    """The browsers found as programs: on PATH, then the macOS apps."""
    for name, command in EXECUTABLES:
        path = shutil.which(command)
        if path:
            yield Found(name, executable=path)
    for name, app in APPS:
        if Path(app).is_file():
            yield Found(name, executable=app)


def _launches(found: Found) -> bool:
    """Whether Playwright can start the browser (a channel is known only by trying)."""
    from playwright.sync_api import Error, sync_playwright

    try:
        with sync_playwright() as pw:
            pw.chromium.launch(headless=True, args=CHROMIUM_ARGS, **found.launch_options()).close()  # type: ignore[arg-type]
    except Error:
        return False
    return True


def _tried() -> str:
    programs = ", ".join(command for _, command in EXECUTABLES)
    apps = ", ".join(app for _, app in APPS)
    channels = ", ".join(channel for _, channel in CHANNELS)
    return (
        f"BRO_CHROMIUM (inte satt); programmen {programs} i PATH; {apps}; Google Chrome och "
        f"Microsoft Edge där de brukar installeras (Playwright-kanalerna {channels})"
    )


def find_browser(launches: Callable[[Found], bool] = _launches) -> Found:
    """The browser to use: BRO_CHROMIUM, else the first of EXECUTABLES and APPS that is
    there, else the first of CHANNELS that starts; BrowserMissing (in Swedish, naming
    every place tried) when there is none."""
    override = os.environ.get("BRO_CHROMIUM")
    if override:
        if Path(override).exists():
            return Found("webbläsaren i BRO_CHROMIUM", executable=override)
        raise BrowserMissing(
            f"Miljövariabeln BRO_CHROMIUM pekar på {override}, som inte finns. "
            "Ange sökvägen till Chromium, Chrome eller Edge, eller ta bort variabeln."
        )
    found = next(_installed(), None)
    if found is not None:
        return found
    for name, channel in CHANNELS:
        found = Found(name, channel=channel)
        if launches(found):
            return found
    raise BrowserMissing(
        f"Ingen webbläsare för PDF hittades. Provade: {_tried()}. "
        "Installera Chromium, Google Chrome eller Microsoft Edge (Debian: apt-get install chromium), "
        "eller ange sökvägen till en av dem i miljövariabeln BRO_CHROMIUM."
    )


def find_chromium() -> Found | None:
    """The browser `find_browser` would use, or None when there is none."""
    try:
        return check_available()
    except BrowserMissing:
        return None


def check_available() -> Found:
    """The browser to use; raises BrowserMissing (in Swedish) when no browser or no Playwright."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError as exc:
        raise BrowserMissing(
            "Python-paketet playwright saknas; installera projektet på nytt (pip install -e .)."
        ) from exc
    return find_browser()


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
    """A headless browser context with a fresh profile; raises BrowserMissing without one."""
    with _session() as (context, _found):
        yield context


@contextmanager
def _session() -> Iterator[tuple[Any, Found]]:
    """A headless browser context with a fresh profile, and which browser it is."""
    found = check_available()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="bro-chromium-") as profile, sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(
            profile,
            **found.launch_options(),  # type: ignore[arg-type]
            headless=True,
            args=CHROMIUM_ARGS,
            offline=True,
            viewport=SCREEN,
            locale="sv-SE",
            service_workers="block",
        )
        context.set_default_timeout(TIMEOUT_MS)  # a stuck page fails instead of hanging
        try:
            yield context, found
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
    """write_pdf for many (html, pdf) pairs with one browser (a kommunblad each); says which browser."""
    with _session() as (context, found):
        print(f"PDF skrivs med {found}", flush=True)
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
