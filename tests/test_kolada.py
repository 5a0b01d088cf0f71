"""Kolada client and import, against recorded responses and a fake Kolada served from
127.0.0.1 (no network): paging, at most 25 ids a request, a 429, search, the municipality
list, the cache and --offline, and the import into nki, nki_riket and kontext."""

import datetime as dt
import hashlib
import json
import os
import shutil
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pandas as pd
import pytest

from bro_analysis.analysis import summary
from bro_analysis.analysis.context import nki_origin, open_context
from bro_analysis.core.config import EXAMPLE_DATA_DIR, load_settings
from bro_analysis.input import kolada
from bro_analysis.input.loading import load_table
from bro_analysis.running import cli
from bro_analysis.running.combine import members_html, page_one

FIXTURES = Path(__file__).parent / "fixtures" / "kolada"
QUERY = "/v3/data/kpi/U07451/municipality/1880,1881,0180/year/2023,2024"
DATA_PATH = QUERY + "?per_page=5000"  # the first page: the largest page Kolada gives
NEXT_PATH = QUERY + "?page=2&per_page=3"  # page1.json's next_page
NOW = dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC)


def _serve(handler):
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True)
    thread.start()
    return httpd


def _send(handler: BaseHTTPRequestHandler, status: int, body: bytes, headers: dict | None = None) -> None:
    handler.send_response(status)
    handler.send_header("Content-Type", "application/json")
    handler.send_header("Content-Length", str(len(body)))
    for key, value in (headers or {}).items():
        handler.send_header(key, value)
    handler.end_headers()
    handler.wfile.write(body)


# --- recorded pages served by route ------------------------------------------------------


class _Handler(BaseHTTPRequestHandler):
    routes: dict = {}
    seen: list = []

    def do_GET(self):
        self.seen.append(self.path)
        status, name = self.routes.get(self.path, (404, None))
        base = f"http://127.0.0.1:{self.server.server_address[1]}/v3"
        if name is None:
            body = b'{"detail": "Not found"}'
        elif name == "not-json":
            body = b"<html>Service Unavailable</html>"
        else:
            body = (FIXTURES / name).read_text(encoding="utf-8").replace("{base}", base).encode("utf-8")
        _send(self, status, body)

    def log_message(self, *_args):
        pass


@pytest.fixture
def server():
    """A local Kolada stand-in: set `routes` {path: (status, fixture)}; returns (base_url, handler)."""
    handler = type("Handler", (_Handler,), {"routes": {}, "seen": []})
    httpd = _serve(handler)
    yield f"http://127.0.0.1:{httpd.server_address[1]}/v3", handler
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def waits(monkeypatch):
    """Every wait before a retry, recorded instead of slept."""
    recorded: list[float] = []
    monkeypatch.setattr(kolada, "WAIT", recorded.append)
    return recorded


def _client(base, tmp_path=None, **options) -> kolada.Client:
    cache = kolada.Cache(tmp_path / "cache") if tmp_path is not None else None
    return kolada.Client(base_url=base, cache=cache, now=lambda: NOW, timeout=5, **options)


def _paginated(handler):
    handler.routes.update(
        {
            DATA_PATH: (200, "page1.json"),
            NEXT_PATH: (200, "page2.json"),
        }
    )


# --- a fake Kolada: municipality list, KPI list and made-up values ------------------------

MUNICIPALITIES = json.loads((FIXTURES / "municipality.json").read_text(encoding="utf-8"))["values"]
K_CODES = [m["id"] for m in MUNICIPALITIES if m["type"] == "K"]
NO_ITEMS, NULL_ONLY = "2584", "0980"  # Kiruna returns nothing, Gotland only a missing value


def fake_value(kpi: str, code: str, year: int) -> float | None:
    """The made-up value the fake Kolada serves (None: the item is there, its value missing)."""
    if kpi == "U07451":
        return None if code == NULL_ONLY else round(60 + int(code) % 23 + (year - 2014) * 0.5, 1)
    return round(5 + int(code) % 7 + (year - 2014) * 0.1, 1)


class FakeKolada(BaseHTTPRequestHandler):
    """Kolada's v3 API as far as the client uses it: pages (per_page, at most `largest_page`
    rows a page whatever is asked, as Kolada gives at most 5 000; 20 here so that paging is
    exercised), refuses more than 25 ids of one kind in a request (HTTP 400) and answers the
    first data request with 429."""

    seen: list = []
    throttle: list = [1]
    largest_page = 20
    deleted: set = set()  # (kpi, code, year) served with isdeleted true on its value, as Kolada marks a removed value
    known_kpis = ("U07451", "N00999", "N00926", "N03702", "N01982")

    def log_message(self, *_args):
        pass

    def do_GET(self):
        self.seen.append(self.path)
        url = urllib.parse.urlsplit(self.path)
        query = dict(urllib.parse.parse_qsl(url.query))
        page = int(query.get("page", 1))
        per_page = min(int(query.get("per_page", self.largest_page)), self.largest_page)
        parts = url.path.strip("/").split("/")
        if parts[1:] == ["municipality"]:
            return self._page(MUNICIPALITIES, page, 25, "next_url", relative=True)
        if parts[1:] == ["kpi"]:
            kpis = json.loads((FIXTURES / "kpi.json").read_text(encoding="utf-8"))["values"]
            return self._page(kpis, page, 4, "next_page")
        if len(parts) == 8 and parts[1] == "data":
            lists = [parts[3].split(","), parts[5].split(","), parts[7].split(",")]
            if any(len(ids) > 25 for ids in lists):
                return _send(self, 400, b'{"detail": "At most 25 ids per parameter"}')
            if self.throttle[0]:
                self.throttle[0] -= 1
                return _send(self, 429, b'{"detail": "Too many requests"}', {"Retry-After": "3"})
            items = [
                {
                    "kpi": kpi,
                    "municipality": code,
                    "period": int(year),
                    "values": [
                        {
                            "count": 1,
                            "gender": "T",
                            "status": "Missing" if fake_value(kpi, code, int(year)) is None else "",
                            "value": fake_value(kpi, code, int(year)),
                            "isdeleted": (kpi, code, int(year)) in self.deleted,
                        }
                    ],
                }
                for kpi in lists[0]
                if kpi in self.known_kpis
                for code in lists[1]
                if code != NO_ITEMS
                for year in lists[2]
            ]
            return self._page(items, page, per_page, "next_page")
        return _send(self, 404, b'{"detail": "Not found"}')

    def _page(self, items, page, per_page, next_key, relative=False):
        start = (page - 1) * per_page
        chunk = items[start : start + per_page]
        body: dict = {"count": len(chunk), "values": chunk}
        if start + per_page < len(items):
            path = urllib.parse.urlsplit(self.path).path
            query = urllib.parse.urlencode({"page": page + 1, "per_page": per_page})
            base = "" if relative else f"http://127.0.0.1:{self.server.server_address[1]}"
            body[next_key] = f"{base}{path}?{query}"
        _send(self, 200, json.dumps(body, ensure_ascii=False).encode("utf-8"))


@pytest.fixture
def fake():
    """A fake Kolada on 127.0.0.1: returns (base_url, handler class with `seen` and `throttle`)."""
    handler = type("Fake", (FakeKolada,), {"seen": [], "throttle": [1], "deleted": set()})
    httpd = _serve(handler)
    yield f"http://127.0.0.1:{httpd.server_address[1]}/v3", handler
    httpd.shutdown()
    httpd.server_close()


def _data_requests(handler) -> list[list[list[str]]]:
    """Every data request the server saw, as its three id lists."""
    out = []
    for path in handler.seen:
        parts = urllib.parse.urlsplit(path).path.strip("/").split("/")
        if len(parts) == 8 and parts[1] == "data":
            out.append([parts[3].split(","), parts[5].split(","), parts[7].split(",")])
    return out


# --- arguments ---------------------------------------------------------------------------


def test_parse_years_and_url():
    assert kolada.parse_years("2014-2016") == [2014, 2015, 2016]
    assert kolada.parse_years("2019, 2021,2020") == [2019, 2020, 2021]
    with pytest.raises(kolada.KoladaError):
        kolada.parse_years("2025-2019")
    with pytest.raises(kolada.KoladaError):
        kolada.parse_years("nyss")
    assert (
        kolada.data_url("https://api.kolada.se/v3/", ["U07451", "U07452"], ["1880", "0180"], [2023, 2024])
        == "https://api.kolada.se/v3/data/kpi/U07451,U07452/municipality/1880,0180/year/2023,2024?per_page=5000"
    )
    with pytest.raises(kolada.KoladaError, match="Högst 25 kommuner"):
        kolada.data_url("https://x/v3", ["U07451"], [f"{i:04d}" for i in range(1, 27)], [2024])
    with pytest.raises(kolada.KoladaError, match="fyra siffror"):
        kolada.check_codes(["Örebro"])


def test_a_comma_in_kpi_splits_ids_rather_than_being_encoded():
    assert kolada.check_kpis(["U07451,u07452", "U07451", "N00999 N00926"]) == ["U07451", "U07452", "N00999", "N00926"]
    assert kolada.check_codes(["1880,1881", "180"]) == ["1880", "1881", "0180"]
    with pytest.raises(kolada.KoladaError, match="en bokstav och fem siffror"):
        kolada.check_kpis(["U07451;U07452"])
    url = kolada.data_url("https://x/v3", kolada.check_kpis(["U07451,U07452"]), ["1880"], [2024])
    assert "/kpi/U07451,U07452/" in url and "%2C" not in url


def test_region_and_country_codes_are_not_municipalities():
    assert kolada.is_region("0000") and kolada.is_region("0018") and kolada.is_region("18")
    assert not kolada.is_region("1880") and not kolada.is_region("0180")
    assert kolada.region_name("0018") == "Örebro län" and kolada.region_name("0000") == "riket"


def test_batches_of_at_most_25():
    items = list(range(60))
    assert [len(b) for b in kolada.batches(items)] == [25, 25, 10]
    assert sum(kolada.batches(items), []) == items


# --- download: paging, errors, retry -------------------------------------------------------


def test_fetch_follows_pagination(server, tmp_path):
    base, handler = server
    _paginated(handler)
    data = kolada.fetch(["U07451"], ["1880", "1881", "180"], [2023, 2024], _client(base, tmp_path))
    assert handler.seen == [DATA_PATH, NEXT_PATH]
    assert data["count"] == 6 and len(data["values"]) == 6
    assert data["källa"]["sidor"] == 2 and data["källa"]["hämtad"] == NOW.isoformat()
    assert [v["municipality"] for v in data["values"]] == ["1880", "1880", "1881", "1881", "0180", "0180"]
    assert data["varningar"] == []


def test_fetch_error_response_is_a_clean_message(server, waits):
    base, handler = server
    handler.routes[DATA_PATH] = (400, "error.json")
    with pytest.raises(kolada.KoladaError, match=r"fel 400.*Invalid kpi id") as raised:
        kolada.fetch(["U07451"], ["1880", "1881", "0180"], [2023, 2024], _client(base))
    assert "försök" not in str(raised.value) and waits == []  # a 400 is not retried


def test_fetch_not_json_and_unreachable(server):
    base, handler = server
    handler.routes[DATA_PATH] = (200, "not-json")
    with pytest.raises(kolada.KoladaError, match="inte JSON"):
        kolada.fetch(["U07451"], ["1880", "1881", "0180"], [2023, 2024], _client(base))
    with pytest.raises(kolada.KoladaError, match="Kunde inte nå"):
        kolada.fetch(["U07451"], ["1880"], [2023], _client("http://127.0.0.1:9/v3"))


def test_fetch_stops_on_a_page_loop(server):
    base, handler = server
    handler.routes[DATA_PATH] = (200, "page1.json")
    handler.routes[NEXT_PATH] = (200, "page1.json")
    with pytest.raises(kolada.KoladaError, match="redan hämtats"):
        kolada.fetch(["U07451"], ["1880", "1881", "0180"], [2023, 2024], _client(base))


def test_5xx_is_retried_with_bounded_back_off_then_a_clear_error(server):
    base, handler = server
    handler.routes[DATA_PATH] = (503, "error.json")
    slept: list[float] = []
    client = _client(base, attempts=5, max_wait=3, sleep=slept.append)
    with pytest.raises(kolada.KoladaError, match="fel 503.*efter 5 försök"):
        kolada.fetch(["U07451"], ["1880", "1881", "0180"], [2023, 2024], client)
    assert slept == [1.0, 2.0, 3.0, 3.0]  # 1, 2, 4 … but never longer than max_wait
    assert handler.seen == [DATA_PATH] * 5


def test_429_is_retried_after_the_wait_the_server_asks(fake, waits):
    base, handler = fake
    data = kolada.fetch(["U07451"], ["1880", "1881"], [2024], _client(base))
    assert waits == [3.0]  # Retry-After: 3, more than the first back-off of 1 second
    assert len(_data_requests(handler)) == 2 and data["count"] == 2


def test_every_retry_is_a_line_saying_the_wait_and_the_next_attempt(server):
    base, handler = server
    handler.routes[DATA_PATH] = (503, "error.json")
    lines: list[str] = []
    client = _client(base, attempts=3, max_wait=3, sleep=lambda _s: None, report=lines.append)
    with pytest.raises(kolada.KoladaError, match="efter 3 försök"):
        kolada.fetch(["U07451"], ["1880", "1881", "0180"], [2023, 2024], client)
    assert lines == [
        "Kolada svarade med fel 503 (fel hos Kolada); väntar 1 s och gör sedan försök 2 av 3",
        "Kolada svarade med fel 503 (fel hos Kolada); väntar 2 s och gör sedan försök 3 av 3",
    ]
    # Kolada asks for longer than the settings allow: both are said
    assert kolada.Client(max_wait=60)._retry_line(429, 120.0, 60.0, 0) == (
        "Kolada bad oss vänta 120 s (för många anrop, HTTP 429); väntar 60 s (längsta_väntan i settings.toml) "
        "och gör sedan försök 2 av 5"
    )


def test_retry_after_as_a_date():
    later = (NOW + dt.timedelta(seconds=7)).strftime("%a, %d %b %Y %H:%M:%S GMT")
    assert kolada._retry_after_seconds(later, NOW) == 7
    assert kolada._retry_after_seconds("oläslig", NOW) is None


# --- the fake Kolada: municipality list, batching, paging, warnings ----------------------------


def test_all_municipalities_is_every_type_k_plus_county_and_country(fake):
    base, handler = fake
    codes = kolada.all_municipalities(_client(base), "0018")
    assert codes == sorted(K_CODES) + ["0018", "0000"]
    assert "0001" not in codes  # a region (type L) other than the county is left out
    municipality_requests = [p for p in handler.seen if p.startswith("/v3/municipality")]
    assert municipality_requests == [
        "/v3/municipality?per_page=5000",
        "/v3/municipality?page=2&per_page=25",
        "/v3/municipality?page=3&per_page=25",
    ]


def test_fetch_batches_at_most_25_ids_and_follows_every_page(fake, waits):
    base, handler = fake
    client = _client(base)
    codes = kolada.all_municipalities(client, "0018")
    data = kolada.fetch(["U07451", "N00999"], codes, list(range(2014, 2018)), client)
    requests = _data_requests(handler)
    assert all(len(ids) <= 25 for request in requests for ids in request)
    batches = {tuple(r[1]) for r in requests}
    assert [len(b) for b in sorted(batches, key=lambda b: b[0])] == [25, 25, 12]
    # every KPI × code × year, except Kiruna's (no items); 62 codes in 3 batches, pages of 20
    assert data["count"] == 2 * (62 - 1) * 4
    assert data["källa"]["sidor"] == len(requests) - 1  # the 429 is not a page
    assert len(data["källa"]["anrop"]) == 3
    # one line per KPI, naming the codes (with Kolada's names, as the list was read): Gotland
    # has only a missing value for U07451, Kiruna nothing at all
    assert data["varningar"] == [
        "nyckeltalet U07451 gav inga värden för 2 av 62 koder: 0980 Gotland, 2584 Kiruna",
        "nyckeltalet N00999 gav inga värden för 1 av 62 koder: 2584 Kiruna",
    ]
    # the server does refuse a request with more ids: batching is what keeps the client clear of it
    too_many = f"{base}/data/kpi/U07451/municipality/{','.join(codes[:26])}/year/2014"
    with pytest.raises(kolada.KoladaError, match="fel 400.*At most 25"):
        client.get(too_many)


def test_warnings_are_one_line_per_kpi_listing_the_codes_without_values(fake, waits):
    base, _ = fake
    data = kolada.fetch(["U07451", "N12345"], ["1880", NO_ITEMS, NULL_ONLY], [2024], _client(base))
    assert data["varningar"] == [
        # in the order asked; Gotland has only a missing value: nothing to use
        f"nyckeltalet U07451 gav inga värden för 2 av 3 koder: {NO_ITEMS}, {NULL_ONLY}",
        "nyckeltalet N12345 gav inga värden alls för de 3 koderna; finns det för kommuner i Kolada? "
        "(bro-analysis kolada sök N12345)",
    ]


def test_76_codes_without_values_are_one_line_not_76():
    codes = [f"{1000 + i:04d}" for i in range(80)]
    values = [{"kpi": "U07451", "municipality": c, "period": 2024, "values": [{"value": 70}]} for c in codes[:4]]
    warnings = kolada.empty_ids(values, ["U07451"], codes, {"1004": "Upplands Väsby"})
    assert len(warnings) == 1
    assert warnings[0].startswith("nyckeltalet U07451 gav inga värden för 76 av 80 koder: 1004 Upplands Väsby, 1005, ")
    assert warnings[0].endswith(", 1079") and warnings[0].count(", ") == 75


# --- search ------------------------------------------------------------------------------------


def test_search_over_id_title_and_description(fake):
    base, handler = fake
    client = _client(base)
    found = kolada.search_kpis("nystartade FÖRETAG", client)
    assert [k["id"] for k in found] == ["N00999", "N99001"]
    assert [k["kommundata"] for k in found] == [True, False]  # N99001 has values for regions only
    assert found[0]["title"] == "Nystartade företag, antal/1000 inv, 16-64 år"
    assert [k["id"] for k in kolada.search_kpis("u07451", client)] == ["U07451"]
    assert [k["id"] for k in kolada.search_kpis("Tillväxtanalys", client)] == ["N00999"]  # the description
    assert kolada.search_kpis("finns inte alls", client) == []
    assert len([p for p in handler.seen if p.startswith("/v3/kpi")]) == 4 * 2  # two pages, each search
    with pytest.raises(kolada.KoladaError, match="sökord"):
        kolada.search_kpis("  ", client)


def test_cli_search(fake, tmp_path, capsys):
    base, _ = fake
    args = ["kolada", "search", "konkurser", "--base-url", base, "--cache", str(tmp_path / "c")]
    assert cli.main(args) == 0
    out = capsys.readouterr().out
    assert "N00926  Företagskonkurser, antal/1000 inv, 16-64 år  (kommundata: ja)" in out
    assert cli.main([*args[:2], "ingenting sådant", *args[3:]]) == 0
    assert "Inga nyckeltal" in capsys.readouterr().out
    # offline: the KPI list is in the cache now
    assert cli.main([*args, "--offline"]) == 0
    assert "N00926" in capsys.readouterr().out


# --- the cache and --offline ---------------------------------------------------------------------


def test_cache_records_the_fetch_time_and_offline_reads_only_it(fake, tmp_path, waits):
    base, handler = fake
    first = kolada.fetch(["U07451"], ["1880", "1881"], [2023, 2024], _client(base, tmp_path))
    entries = list((tmp_path / "cache").glob("*.json"))
    assert len(entries) == 1
    entry = json.loads(entries[0].read_text(encoding="utf-8"))
    assert entry["hämtad"] == NOW.isoformat() and entry["url"].startswith(base)
    asked = len(handler.seen)

    offline = _client(base, tmp_path, offline=True)
    again = kolada.fetch(["U07451"], ["1880", "1881"], [2023, 2024], offline)
    assert again["values"] == first["values"] and len(handler.seen) == asked  # Kolada not asked
    assert again["källa"]["från_cache"] == 1 and again["källa"]["hämtad"] == NOW.isoformat()
    with pytest.raises(kolada.KoladaError, match=r"finns inte i cachen.*utan --offline"):
        kolada.fetch(["U07451"], ["1880", "1881"], [2022], offline)
    assert len(handler.seen) == asked


def test_cache_is_reused_while_young_and_refreshed_when_old_or_asked(fake, tmp_path, waits):
    base, handler = fake
    kolada.fetch(["U07451"], ["1880"], [2024], _client(base, tmp_path))
    asked = len(handler.seen)
    kolada.fetch(["U07451"], ["1880"], [2024], _client(base, tmp_path, max_age_hours=24))
    assert len(handler.seen) == asked  # young: from the cache
    kolada.fetch(["U07451"], ["1880"], [2024], _client(base, tmp_path, refresh=True))
    assert len(handler.seen) == asked + 1
    old = kolada.Client(base_url=base, cache=kolada.Cache(tmp_path / "cache"), now=lambda: NOW + dt.timedelta(days=2))
    kolada.fetch(["U07451"], ["1880"], [2024], old)
    assert len(handler.seen) == asked + 2


def test_a_damaged_cache_entry_is_fetched_again(fake, tmp_path, waits):
    base, handler = fake
    kolada.fetch(["U07451"], ["1880"], [2024], _client(base, tmp_path))
    (entry,) = (tmp_path / "cache").glob("*.json")
    entry.write_text("{trasig", encoding="utf-8")
    asked = len(handler.seen)
    kolada.fetch(["U07451"], ["1880"], [2024], _client(base, tmp_path))
    assert len(handler.seen) == asked + 1


def test_offline_finds_a_fetch_made_with_another_base_url(fake, tmp_path, waits, capsys):
    base, handler = fake
    first = kolada.fetch(["U07451"], ["1880", "1881"], [2023, 2024], _client(base, tmp_path))
    asked = len(handler.seen)
    # Kolada's own address (the default), offline: the page fetched from the stand-in is found
    offline = kolada.Client(cache=kolada.Cache(tmp_path / "cache"), offline=True, now=lambda: NOW)
    again = kolada.fetch(["U07451"], ["1880", "1881"], [2023, 2024], offline)
    assert again["values"] == first["values"] and again["källa"]["från_cache"] == 1
    assert len(handler.seen) == asked
    # and through the command line: fetch with --base-url, then --offline without it
    saved, cache = tmp_path / "a.json", str(tmp_path / "cli-cache")
    args = ["kolada", "fetch", "--kpi", "U07451", "--municipality", "1880", "--years", "2024"]
    assert cli.main([*args, "--output", str(saved), "--base-url", base, "--cache", cache]) == 0
    asked = len(handler.seen)
    assert cli.main([*args, "--output", str(tmp_path / "b.json"), "--offline", "--cache", cache]) == 0
    assert len(handler.seen) == asked and "1 sida ur cachen" in capsys.readouterr().err
    values = [json.loads((tmp_path / n).read_text(encoding="utf-8"))["values"] for n in ("a.json", "b.json")]
    assert values[0] == values[1] and len(values[0]) == 1


def test_the_cache_key_is_the_query_not_the_host():
    key = "/data/kpi/U07451/municipality/1880/year/2024?page=2&per_page=5000"
    kolada_url = "https://api.kolada.se/v3/data/kpi/U07451/municipality/1880/year/2024?per_page=5000&page=2"
    mirror = "http://127.0.0.1:8080/spegel/v3/data/kpi/U07451/municipality/1880/year/2024?page=2&per_page=5000"
    assert kolada.query_key(kolada_url, "https://api.kolada.se/v3") == key
    assert kolada.query_key(mirror, "http://127.0.0.1:8080/spegel/v3/") == key
    other_year = kolada_url.replace("/2024", "/2023")
    assert kolada.query_key(other_year, "https://api.kolada.se/v3") != key


def test_every_list_is_asked_for_in_pages_of_5000_rows(fake, waits):
    base, handler = fake
    client = _client(base)
    kolada.fetch(["U07451"], kolada.all_municipalities(client, "0018"), [2024], client)
    kolada.search_kpis("företag", client)
    first_pages = [urllib.parse.urlsplit(p) for p in handler.seen if "page=" not in p.replace("per_page=", "")]
    kinds = {p.path.split("/")[2] for p in first_pages}
    assert kinds == {"municipality", "data", "kpi"}
    assert all(dict(urllib.parse.parse_qsl(p.query)) == {"per_page": "5000"} for p in first_pages)
    assert kolada.PER_PAGE == 5000  # the most Kolada gives in one answer


# --- Done when: all municipalities, then the NKI tables -------------------------------------------


def test_done_when_a_fetch_with_a_deleted_row_and_a_429_says_the_retry_and_leaves_the_row_out(
    fake, tmp_path, waits, capsys
):
    base, handler = fake
    handler.deleted.add(("U07451", "1881", 2024))
    saved = tmp_path / "svar.json"
    args = ["kolada", "fetch", "--kpi", "U07451", "--municipality", "1880", "1881", "--years", "2023-2024"]
    assert cli.main([*args, "--output", str(saved), "--base-url", base, "--cache", str(tmp_path / "c")]) == 0
    err = capsys.readouterr().err
    retry = "Kolada bad oss vänta 3 s (för många anrop, HTTP 429); väntar 3 s och gör sedan försök 2 av 5"
    batch = "Kolada, anrop 1 av 1 (1 nyckeltal, 2 koder, 2 år): 3 värden, 1 sida"
    deleted = "Kolada: 1 värde som Kolada markerat som borttaget (isdeleted) togs inte med"
    assert err.index(retry) < err.index(batch) < err.index(deleted)
    assert waits == [3.0]  # the wait Kolada asked for, recorded, not slept
    data = json.loads(saved.read_text(encoding="utf-8"))
    assert {(v["municipality"], v["period"]) for v in data["values"]} == {
        ("1880", 2023),
        ("1880", 2024),
        ("1881", 2023),
    }
    assert data["count"] == 3 and data["källa"]["borttagna"] == 1


def test_done_when_all_municipalities_2014_2017_become_the_nki_tables(fake, tmp_path, waits, capsys, plan):
    base, handler = fake
    saved = tmp_path / "kolada.json"
    cache = ["--base-url", base, "--cache", str(tmp_path / "cache")]
    args = ["kolada", "fetch", "--kpi", "U07451", "--municipality", "all", "--years", "2014-2017"]
    assert cli.main([*args, "--output", str(saved), *cache]) == 0
    captured = capsys.readouterr()
    assert "Hämtade 244 värden" in captured.out  # (60 K + county + country − Kiruna) × 4 years
    assert "Varning: nyckeltalet U07451 gav inga värden för 2 av 62 koder: 0980 Gotland, 2584 Kiruna" in captured.err
    assert captured.err.count("Varning:") == 1  # one line for the KPI, not one per municipality
    assert "Kolada: kommunlistan har 60 kommuner" in captured.err
    assert "Kolada, anrop 3 av 3 (1 nyckeltal, 12 koder, 4 år)" in captured.err  # a line per batch
    assert waits == [3.0]  # the one 429
    assert all(len(ids) <= 25 for request in _data_requests(handler) for ids in request)
    data = json.loads(saved.read_text(encoding="utf-8"))
    assert {v["municipality"] for v in data["values"]} == (set(K_CODES) - {NO_ITEMS}) | {"0018", "0000"}

    out = tmp_path / "data" / "nki.csv"
    assert cli.main(["kolada", "import", str(saved), "--output", str(out)]) == 0
    captured = capsys.readouterr()
    assert "Skrev 48 rader till" in captured.out  # 12 members × 4 years
    assert "inte kommuner" in captured.err and "0018 (Örebro län)" in captured.err
    nki, _ = load_table(out, "nki", plan)
    riket, _ = load_table(out.parent / "nki_riket.csv", "nki_riket", plan)
    assert len(nki) == 48 and set(nki["kommunkod"]) == set(plan.members)
    got = {(int(r.mätår), r.kommunkod): r.värde for r in nki.itertuples()}
    assert got == {(y, c): fake_value("U07451", c, y) for c in plan.members for y in range(2014, 2018)}
    # every municipality with a value, never the county or the country, Gotland's missing value not 0
    assert set(riket["kommunkod"]) == set(K_CODES) - {NO_ITEMS, NULL_ONLY}
    assert len(riket) == (len(K_CODES) - 2) * 4
    assert not (out.parent / "kontext.csv").exists()  # no context KPI was asked for


# --- files and import ------------------------------------------------------------------------------


def _saved_response(tmp_path, server):
    base, handler = server
    _paginated(handler)
    path = tmp_path / "svar.json"
    kolada.save_response(kolada.fetch(["U07451"], ["1880", "1881", "0180"], [2023, 2024], _client(base)), path)
    return path


def test_import_writes_the_nki_contract_and_never_zero(tmp_path, server, plan):
    source = _saved_response(tmp_path, server)
    before = hashlib.sha256(source.read_bytes()).hexdigest()
    out = tmp_path / "ut" / "nki.csv"
    counts = kolada.import_response(source, out, load_settings(), plan.members)
    assert hashlib.sha256(source.read_bytes()).hexdigest() == before  # input only read
    assert {k: counts[k] for k in ("rader", "saknade", "andra_kommuner", "riket")} == {
        "rader": 3,
        "saknade": 2,
        "andra_kommuner": 1,
        "riket": None,
    }
    frame, _ = load_table(out, "nki", plan)
    got = {(int(r.mätår), r.kommun): r.värde for r in frame.itertuples()}
    # gender T chosen over K/M; 1881/2024 (status Missing, null) absent, not 0
    assert got == {(2023, "Örebro"): 71.0, (2024, "Örebro"): 73.5, (2023, "Kumla"): 77.0}
    assert set(frame["område"]) == {"totalt"} and set(frame["mått"]) == {"NKI"}
    assert frame["antal_svar"].isna().all() and frame["ki_nedre"].isna().all()
    assert set(frame["källa"]) == {"Kolada, hämtat 2026-03-02"}  # where the rows came from, and when
    assert [p.name for p in out.parent.iterdir()] == ["nki.csv"]  # no temporary file left


def test_import_national_table(tmp_path, server, plan):
    source = _saved_response(tmp_path, server)
    riket = tmp_path / "nki_riket.csv"
    kolada.import_response(source, tmp_path / "nki.csv", load_settings(), plan.members, riket)
    frame, _ = load_table(riket, "nki_riket", plan)
    assert sorted(frame["kommunkod"]) == ["0180", "1880", "1880", "1881"]
    assert frame.loc[frame["kommunkod"] == "0180", "värde"].tolist() == [68.0]
    assert set(frame["källa"]) == {"Kolada, hämtat 2026-03-02"}


def test_outputs_are_readable_by_colleagues_0644(tmp_path, server, plan):
    old = os.umask(0o077)
    try:
        source = _saved_response(tmp_path, server)
        out = tmp_path / "nki.csv"
        kolada.import_response(source, out, load_settings(), plan.members, tmp_path / "nki_riket.csv")
    finally:
        os.umask(old)
    for path in (source, out, tmp_path / "nki_riket.csv"):
        assert path.stat().st_mode & 0o777 == 0o644, path


def _item(kpi, code, year, value, status="", gender="T"):
    return {
        "kpi": kpi,
        "municipality": code,
        "period": year,
        "values": [{"gender": gender, "status": status, "value": value}],
    }


def test_missing_values_by_status_or_null_and_a_flagged_number_is_named():
    data = {
        "values": [
            _item("U07451", "1880", 2020, 0, status="Missing"),
            {"kpi": "U07451", "municipality": "1880", "period": 2021, "values": []},
            _item("U07451", "1880", 2022, 0, status=None),
        ]
    }
    rows, missing = kolada.response_rows(data, {"U07451": ("totalt", "NKI")})
    assert missing == 2
    assert rows["mätår"].tolist() == [2022] and rows["värde"].tolist() == [0.0]  # a real 0 stays
    totals = kolada.total_values(data)
    assert totals.missing == 2 and len(totals.flagged) == 1  # the flagged one is missing, and named
    assert "U07451, kommun 1880, år 2020: Kolada anger status 'Missing' men värdet 0,0" in totals.flagged[0]
    assert "räknas som saknat" in totals.flagged[0]


def test_a_flagged_number_is_a_warning_on_import(tmp_path, plan, capsys):
    path = tmp_path / "svar.json"
    kolada.save_response(
        {"values": [_item("U07451", "1880", 2024, 71.5), _item("U07451", "1881", 2024, 64.0, "Missing")]}, path
    )
    assert cli.main(["kolada", "import", str(path), "--output", str(tmp_path / "nki.csv")]) == 0
    captured = capsys.readouterr()
    assert "Skrev 1 rader" in captured.out and "1 värden saknades" in captured.out
    assert "Varning: U07451, kommun 1881, år 2024: Kolada anger status 'Missing' men värdet 64,0" in captured.err


def test_a_text_value_is_a_clear_error_naming_kpi_municipality_and_year(tmp_path, capsys):
    data = {"values": [_item("U07451", "1880", 2024, "uppgift saknas")]}
    with pytest.raises(kolada.KoladaError, match=r"texten 'uppgift saknas'.*U07451, kommun 1880, år 2024"):
        kolada.total_values(data)
    path = tmp_path / "svar.json"
    kolada.save_response(data, path)
    assert cli.main(["kolada", "import", str(path), "--output", str(tmp_path / "nki.csv")]) == 2
    err = capsys.readouterr().err
    assert "U07451, kommun 1880, år 2024" in err and "Oväntat fel" not in err
    assert not (tmp_path / "nki.csv").exists()


def test_values_kolada_marks_deleted_are_dropped_and_counted():
    values = [
        _item("U07451", "1880", 2023, 71.0),
        {**_item("U07451", "1880", 2024, 72.0), "isdeleted": True},  # the item as a whole
        {
            "kpi": "U07451",
            "municipality": "1881",
            "period": 2024,
            "values": [{"gender": "K", "value": 80.0, "isdeleted": "true"}, {"gender": "T", "value": 75.0}],
        },
        {**_item("U07451", "1882", 2024, 70.0), "isdeleted": False},
    ]
    kept, dropped = kolada.drop_deleted(values)
    assert dropped == 2
    assert [(v["municipality"], v["period"]) for v in kept] == [("1880", 2023), ("1881", 2024), ("1882", 2024)]
    assert kept[1]["values"] == [{"gender": "T", "value": 75.0}]
    assert len(values[2]["values"]) == 2  # the response itself is not changed


def test_a_response_saved_with_deleted_values_is_imported_without_them(tmp_path, plan, capsys):
    path = tmp_path / "svar.json"
    deleted = {**_item("U07451", "1881", 2024, 64.0), "isdeleted": 1}
    kolada.save_response({"values": [_item("U07451", "1880", 2024, 71.5), deleted]}, path)
    assert cli.main(["kolada", "import", str(path), "--output", str(tmp_path / "nki.csv")]) == 0
    captured = capsys.readouterr()
    assert "Skrev 1 rader" in captured.out
    assert "Varning: 1 värde som Kolada markerat som borttaget (isdeleted) togs inte med" in captured.err
    assert load_table(tmp_path / "nki.csv", "nki", plan)[0]["kommun"].tolist() == ["Örebro"]


def test_a_saved_page_whose_next_page_was_never_fetched_is_an_error(tmp_path, capsys):
    page = json.loads((FIXTURES / "page1.json").read_text(encoding="utf-8").replace("{base}", "https://x/v3"))
    path = tmp_path / "sida1.json"
    path.write_text(json.dumps(page), encoding="utf-8")
    with pytest.raises(kolada.KoladaError, match="nästa sida .* hämtades aldrig"):
        kolada.read_response(path)
    assert cli.main(["kolada", "import", str(path), "--output", str(tmp_path / "nki.csv")]) == 2
    assert "bro-analysis kolada hämta" in capsys.readouterr().err


def test_county_and_country_never_reach_the_nki_tables(tmp_path, plan):
    data = {"values": [_item("U07451", c, 2024, 70.0 + i) for i, c in enumerate(["1880", "0180", "0018", "0000"])]}
    path = tmp_path / "svar.json"
    kolada.save_response(data, path)
    riket = tmp_path / "nki_riket.csv"
    counts = kolada.import_response(path, tmp_path / "nki.csv", load_settings(), plan.members, riket)
    assert counts["rader"] == 1 and counts["riket"] == 2 and counts["andra_kommuner"] == 1
    assert any("0000 (riket), 0018 (Örebro län)" in w for w in counts["varningar"])
    assert sorted(load_table(riket, "nki_riket", plan)[0]["kommunkod"]) == ["0180", "1880"]


def test_unknown_kpi_and_conflicts_are_errors():
    data = {"values": [_item("U99999", "1880", 2024, 70)]}
    with pytest.raises(kolada.KoladaError, match=r"\[kolada.kpi.U99999\]"):
        kolada.response_rows(data, {"U07451": ("totalt", "NKI")})
    twice = {"values": [_item("U07451", "1880", 2024, v) for v in (70, 71)]}
    with pytest.raises(kolada.KoladaError, match="Motstridiga"):
        kolada.response_rows(twice, {"U07451": ("totalt", "NKI")})


def test_unknown_kpi_on_import_names_both_sections(tmp_path, plan):
    path = tmp_path / "svar.json"
    kolada.save_response({"values": [_item("U99999", "1880", 2024, 70)]}, path)
    with pytest.raises(kolada.KoladaError, match=r"\[kolada.kpi.U99999\].*\[kolada.kontext.U99999\]"):
        kolada.import_response(path, tmp_path / "nki.csv", load_settings(), plan.members)


def test_mapping_comes_from_settings_and_is_checked():
    assert kolada.kpi_mapping(load_settings())["U07451"] == ("totalt", "NKI")
    settings = {
        "kolada": {"kpi": {"U1": {"område": "bygglov", "mått": "NKI"}, "U2": {"område": "parkering", "mått": "NKI"}}}
    }
    with pytest.raises(kolada.KoladaError, match="U2"):
        kolada.kpi_mapping(settings)


# --- the context table ------------------------------------------------------------------------------


def test_every_context_kpi_in_settings_names_its_goal_and_source():
    from bro_analysis.core.settings_schema import RUS_GOALS

    context = kolada.context_kpis(load_settings())
    assert context, "[kolada.kontext] är tomt"
    for kpi, entry in context.items():
        assert entry["mål"] in RUS_GOALS, kpi
        assert entry["källa"].startswith("https://"), kpi
    assert kolada.county_code(load_settings()) == "0018"


def test_cli_fetch_kontext_for_bro_then_import_writes_the_context_table(fake, tmp_path, waits, capsys, plan):
    base, handler = fake
    saved = tmp_path / "kontext.json"
    context = list(kolada.context_kpis(load_settings()))
    args = ["kolada", "fetch", "--kontext", "--municipality", "bro", "0180", "--years", "2019-2021"]
    assert cli.main([*args, "--output", str(saved), "--base-url", base, "--cache", str(tmp_path / "c")]) == 0
    data = json.loads(saved.read_text(encoding="utf-8"))
    assert data["källa"]["nyckeltal"] == context
    assert data["källa"]["kommuner"] == [*plan.members, "0018", "0000", "0180"]
    capsys.readouterr()

    out = tmp_path / "data" / "nki.csv"
    assert cli.main(["kolada", "import", str(saved), "--output", str(out)]) == 0
    captured = capsys.readouterr().out
    assert "inga NKI-nyckeltal" in captured and not out.exists()  # an existing nki.csv is not emptied
    frame, _ = load_table(out.parent / "kontext.csv", "kontext", plan)
    # the members, the county and the country; never Stockholm (0180), which is not BRO's
    assert set(frame["kommunkod"]) == {*plan.members, "0018", "0000"}
    assert len(frame) == len(context) * 14 * 3
    assert frame["källa"].str.fullmatch(r"Kolada, hämtat \d{4}-\d\d-\d\d").all()  # the fetch date
    row = frame[(frame["nyckeltal"] == "N00999") & (frame["kommunkod"] == "0018") & (frame["år"] == 2020)]
    assert row["värde"].tolist() == [fake_value("N00999", "0018", 2020)]


def test_cli_fetch_needs_a_kpi_and_errors_exit_2_in_swedish(tmp_path, server, capsys):
    base, handler = server
    handler.routes[DATA_PATH] = (400, "error.json")
    code = cli.main(
        [
            "kolada",
            "fetch",
            "--kpi",
            "U07451",
            "--municipality",
            "1880",
            "1881",
            "0180",
            "--years",
            "2023-2024",
            "--output",
            str(tmp_path / "x.json"),
            "--base-url",
            base,
            "--cache",
            str(tmp_path / "c"),
        ]
    )
    assert code == 2
    assert "Kolada svarade med fel 400" in capsys.readouterr().err
    assert not (tmp_path / "x.json").exists()
    bad = tmp_path / "trasig.json"
    bad.write_text("{inte json", encoding="utf-8")
    assert cli.main(["kolada", "import", str(bad), "--output", str(tmp_path / "nki.csv")]) == 2
    assert "kan inte läsas som JSON" in capsys.readouterr().err
    assert (
        cli.main(["kolada", "fetch", "--kpi", "U07451", "--years", "2025-2019", "--output", str(tmp_path / "y.json")])
        == 2
    )
    assert cli.main(["kolada", "fetch", "--years", "2024", "--output", str(tmp_path / "y.json")]) == 2
    assert "--kpi" in capsys.readouterr().err
    offline = ["kolada", "fetch", "--kpi", "U07451", "--municipality", "1880", "--years", "2024"]
    assert (
        cli.main([*offline, "--output", str(tmp_path / "z.json"), "--offline", "--cache", str(tmp_path / "tom")]) == 2
    )
    assert "finns inte i cachen" in capsys.readouterr().err


def test_cli_fetch_and_import_with_paging(tmp_path, server, capsys, plan):
    base, handler = server
    _paginated(handler)
    saved = tmp_path / "svar.json"
    args = ["kolada", "fetch", "--kpi", "U07451", "--municipality", "1880,1881", "0180", "--years", "2023-2024"]
    assert cli.main([*args, "--output", str(saved), "--base-url", base, "--cache", str(tmp_path / "c")]) == 0
    assert json.loads(saved.read_text(encoding="utf-8"))["count"] == 6
    out = tmp_path / "nki.csv"
    assert cli.main(["kolada", "import", str(saved), "--output", str(out), "--utan-riket"]) == 0
    captured = capsys.readouterr().out
    assert "Skrev 3 rader" in captured and "(--utan-riket)" in captured
    assert len(load_table(out, "nki", plan)[0]) == 3 and not (tmp_path / "nki_riket.csv").exists()


def test_settings_schema_holds_the_context_kpis_to_a_goal_and_a_source(tmp_path):
    from bro_analysis.core.config import SETTINGS_FILE, ConfigError

    text = SETTINGS_FILE.read_text(encoding="utf-8")
    wrong = text.replace('"mål" = "talang"', '"mål" = "talanger"').replace('"län" = "0018"', '"län" = "1880"')
    path = tmp_path / "settings.toml"
    path.write_text(wrong, encoding="utf-8")
    with pytest.raises(ConfigError) as raised:
        load_settings(path)
    message = str(raised.value)
    assert '[kolada.kontext.N01982] mål = "talanger" – ska vara en av' in message
    assert '[kolada] län = "1880" – ska vara länets kod i Kolada' in message
    unsourced = text.replace(
        "[kolada.kontext.N01982]", '[kolada.kontext.N01234]\n"mål" = "talang"\nnamn = "X"\n\n[kolada.kontext.N01982]'
    )
    path.write_text(unsourced, encoding="utf-8")
    with pytest.raises(ConfigError, match=r"\[kolada.kontext.N01234\] källa saknas"):
        load_settings(path)


def test_every_nki_kpi_in_settings_names_its_meaning_and_where_it_was_checked():
    mapped = load_settings()["kolada"]["kpi"]
    assert "U07451" in mapped
    for kpi, entry in mapped.items():
        assert entry["beskrivning"].strip(), kpi
        assert entry["källa"].startswith("https://"), kpi


def test_settings_schema_holds_an_nki_kpi_to_a_source(tmp_path):
    from bro_analysis.core.config import SETTINGS_FILE, ConfigError

    text = SETTINGS_FILE.read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if not line.startswith('"källa" = "https://github.com/Hypergene')]
    assert len(lines) == len(text.splitlines()) - 1
    path = tmp_path / "settings.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"\[kolada.kpi.U07451\] källa saknas"):
        load_settings(path)


# --- where the NKI came from, in the report's source lines ------------------------------------------


def _kolada_data_folder(tmp_path, plan) -> tuple[Path, str]:
    """The example data with nki.csv as `kolada import` writes it from a response holding the
    example's total NKI (nki_riket.csv stays SKR Insikt's own export); and its years."""
    data = shutil.copytree(EXAMPLE_DATA_DIR, tmp_path / "data")
    example, _ = load_table(data / "nki.csv", "nki", plan)
    totals = example[(example["område"] == "totalt") & (example["mått"] == "NKI")]
    items = [_item("U07451", r.kommunkod, int(r.mätår), float(r.värde)) for r in totals.itertuples()]
    response = tmp_path / "kolada.json"
    kolada.save_response({"values": items, "källa": {"hämtad": NOW.isoformat()}}, response)
    counts = kolada.import_response(response, data / "nki.csv", load_settings(), plan.members)
    assert counts["rader"] == len(totals) > 0
    return data, f"{totals['mätår'].min()}–{totals['mätår'].max()}"


def test_an_nki_imported_from_kolada_is_named_kolada_in_the_committee_report(tmp_path, plan):
    data, years = _kolada_data_folder(tmp_path, plan)
    ctx = open_context("", data)
    assert ctx.source("nki", "nki_riket").text == (
        f"Kolada (SKR Insikt, nyckeltal U07451, {years}); SKR Insikt, alla Sveriges kommuner (2019–2025); "
        "bearbetning BRO"
    )
    html = page_one(summary.summary(ctx), dt.date(2026, 12, 6))
    assert "Källa: Kolada (SKR Insikt, nyckeltal U07451, NKI) och BRO:s register; bedömning BRO." in html
    assert "SKR Insikt (NKI)" not in html
    members = members_html([("1880", "Örebro", "kommuner/1880_Orebro.html")], True, summary.summary(ctx)["nki_origin"])
    assert "Källa: Kolada (SKR Insikt, nyckeltal U07451, NKI), BRO:s" in members and "SKR Insikt (NKI)" not in members


def test_an_nki_from_skr_insikt_s_own_export_is_named_skr_insikt():
    ctx = open_context("", "")  # the example data: no källa column
    assert ctx.source("nki").text == "SKR Insikt (2019–2025); bearbetning BRO"
    assert ctx.origin("nki", "NKI") == "SKR Insikt (NKI)"  # page one's words (summary's nki_origin)


def test_a_table_mixing_insikt_and_kolada_rows_names_both():
    settings = load_settings()
    frame = pd.DataFrame(
        {
            "område": ["totalt", "bygglov"],
            "mått": ["NKI", "NKI"],
            "källa": pd.Series(["Kolada, hämtat 2026-03-02", pd.NA], dtype="string"),
        }
    )
    assert nki_origin(frame, settings, "nki") == ("SKR Insikt, delvis via Kolada", ["nyckeltal U07451"])
    assert nki_origin(frame.iloc[[0]], settings, "nki_riket") == (
        "Kolada",
        ["SKR Insikt", "nyckeltal U07451", "alla Sveriges kommuner"],
    )
    assert nki_origin(frame.iloc[[1]], settings, "nki") == ("SKR Insikt", [])
    assert nki_origin(frame.drop(columns="källa"), settings, "nki") == ("SKR Insikt", [])
