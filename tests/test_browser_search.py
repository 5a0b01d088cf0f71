"""Which browser `--pdf` uses: BRO_CHROMIUM, programs on PATH, then Chrome's and Edge's
Playwright channels, with fake programs and a fake Playwright (no browser is started)."""

from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path

import pytest

from bro_analysis.running import browser
from bro_analysis.running.browser import BrowserMissing, Found, find_browser


def _program(folder: Path, name: str) -> Path:
    """A fake executable that shutil.which finds."""
    path = folder / (f"{name}.exe" if os.name == "nt" else name)
    path.write_text("#!/bin/sh\n", encoding="utf-8")
    path.chmod(0o755)
    return path


@pytest.fixture
def bare(tmp_path, monkeypatch) -> Path:
    """A PATH of one empty folder, no BRO_CHROMIUM and no macOS app: nothing is installed."""
    folder = tmp_path / "bin"
    folder.mkdir()
    monkeypatch.setenv("PATH", str(folder))
    monkeypatch.delenv("BRO_CHROMIUM", raising=False)
    monkeypatch.setattr(browser, "APPS", (("Chromium", str(tmp_path / "Chromium.app" / "Chromium")),))
    return folder


def _no_channel(found: Found) -> bool:
    raise AssertionError(f"a channel was tried although a program was found: {found}")


def test_a_program_on_path_comes_first_in_the_documented_order(bare):
    edge = _program(bare, "microsoft-edge")
    assert find_browser(_no_channel) == Found("Microsoft Edge", executable=str(edge))
    chrome = _program(bare, "google-chrome-stable")
    assert find_browser(_no_channel) == Found("Google Chrome", executable=str(chrome))
    chromium = _program(bare, "chromium")
    assert find_browser(_no_channel) == Found("Chromium", executable=str(chromium))


def test_the_macos_app_when_nothing_is_on_path(bare, tmp_path):
    app = tmp_path / "Chromium.app" / "Chromium"
    app.parent.mkdir()
    app.write_text("", encoding="utf-8")
    assert find_browser(_no_channel) == Found("Chromium", executable=str(app))


def test_bro_chromium_wins_and_a_wrong_one_is_named(bare, tmp_path, monkeypatch):
    _program(bare, "chromium")
    own = _program(tmp_path, "min-webbläsare")
    monkeypatch.setenv("BRO_CHROMIUM", str(own))
    assert find_browser(_no_channel).executable == str(own)
    monkeypatch.setenv("BRO_CHROMIUM", str(tmp_path / "saknas"))
    with pytest.raises(BrowserMissing, match="BRO_CHROMIUM pekar på .*saknas, som inte finns"):
        find_browser(_no_channel)


def test_channels_chrome_then_edge_when_no_program_is_found(bare):
    tried = []

    def only_edge(found: Found) -> bool:
        tried.append(found.channel)
        return found.channel == "msedge"

    found = find_browser(only_edge)
    assert tried == ["chrome", "msedge"]
    assert found == Found("Microsoft Edge", channel="msedge")
    assert str(found) == "Microsoft Edge (Playwright-kanalen msedge)"
    assert found.launch_options() == {"channel": "msedge"}


def test_none_found_lists_every_place_tried(bare):
    with pytest.raises(BrowserMissing) as missing:
        find_browser(lambda found: False)
    message = str(missing.value)
    places = ["BRO_CHROMIUM", "chromium", "chromium-browser", "google-chrome", "microsoft-edge-stable"]
    places += ["Chromium.app", "kanalerna chrome, msedge"]
    assert message.startswith("Ingen webbläsare för PDF hittades. Provade: ")
    assert all(place in message for place in places), message


class _FakeChromium:
    """playwright's chromium BrowserType: only the channels in `installed` start."""

    def __init__(self, installed: set[str], launched: list[dict]):
        self.installed, self.launched = installed, launched

    def launch(self, **options):
        from playwright.sync_api import Error

        self.launched.append(options)
        if options.get("channel") not in self.installed:
            raise Error(f"Chromium distribution '{options.get('channel')}' is not found")
        return type("FakeBrowser", (), {"close": lambda self: None})()


def test_a_channel_is_tried_by_launching_it_through_playwright(bare, monkeypatch):
    import playwright.sync_api

    launched: list[dict] = []

    @contextmanager
    def fake_playwright():
        yield type("FakePlaywright", (), {"chromium": _FakeChromium({"msedge"}, launched)})()

    monkeypatch.setattr(playwright.sync_api, "sync_playwright", fake_playwright)
    assert find_browser() == Found("Microsoft Edge", channel="msedge")
    assert [options["channel"] for options in launched] == ["chrome", "msedge"]
    assert all(options["headless"] for options in launched)


def test_a_program_is_launched_by_its_path():
    assert Found("Chromium", executable="/usr/bin/chromium").launch_options() == {
        "executable_path": "/usr/bin/chromium"
    }
    assert str(Found("Chromium", executable="/usr/bin/chromium")) == "Chromium (/usr/bin/chromium)"


def test_writing_pdfs_says_which_browser(monkeypatch, tmp_path, capsys):
    edge = Found("Microsoft Edge", channel="msedge")

    @contextmanager
    def session():
        yield object(), edge

    monkeypatch.setattr(browser, "_session", session)
    monkeypatch.setattr(browser, "_print", lambda context, html, pdf, header: pdf)
    pdfs = browser.write_pdfs([(tmp_path / "a.html", tmp_path / "a.pdf")])
    assert pdfs == [tmp_path / "a.pdf"]
    assert capsys.readouterr().out == "PDF skrivs med Microsoft Edge (Playwright-kanalen msedge)\n"


def test_find_chromium_is_none_without_any_browser(bare, monkeypatch):
    monkeypatch.setattr(browser, "find_browser", lambda: find_browser(lambda found: False))
    assert browser.find_chromium() is None
    chromium = _program(bare, "chromium")
    assert browser.find_chromium() == Found("Chromium", executable=str(chromium))
