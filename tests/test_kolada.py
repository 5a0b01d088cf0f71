"""Kolada client and import, against recorded responses served from 127.0.0.1 (no network)."""

import hashlib
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from bro_analysis.core.config import load_settings
from bro_analysis.input import kolada
from bro_analysis.input.loading import load_table
from bro_analysis.running import cli

FIXTURES = Path(__file__).parent / "fixtures" / "kolada"
DATA_PATH = "/v3/data/kpi/U07451/municipality/1880,1881,0180/year/2023,2024"


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
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_args):
        pass


@pytest.fixture
def server():
    """A local Kolada stand-in: set `routes` {path: (status, fixture)}; returns (base_url, handler)."""
    handler = type("Handler", (_Handler,), {"routes": {}, "seen": []})
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/v3", handler
    httpd.shutdown()
    httpd.server_close()


def _paginated(handler):
    handler.routes.update(
        {
            DATA_PATH: (200, "page1.json"),
            DATA_PATH + "?page=2&per_page=3": (200, "page2.json"),
        }
    )


def test_parse_years_and_url():
    assert kolada.parse_years("2014-2016") == [2014, 2015, 2016]
    assert kolada.parse_years("2019, 2021,2020") == [2019, 2020, 2021]
    with pytest.raises(kolada.KoladaError):
        kolada.parse_years("2025-2019")
    with pytest.raises(kolada.KoladaError):
        kolada.parse_years("nyss")
    assert (
        kolada.data_url("https://api.kolada.se/v3/", ["U07451", "U07452"], ["1880", "0180"], [2023, 2024])
        == "https://api.kolada.se/v3/data/kpi/U07451,U07452/municipality/1880,0180/year/2023,2024"
    )
    with pytest.raises(kolada.KoladaError, match="fyra siffror"):
        kolada.check_codes(["Örebro"])


def test_fetch_follows_pagination(server):
    base, handler = server
    _paginated(handler)
    data = kolada.fetch(["U07451"], ["1880", "1881", "180"], [2023, 2024], base_url=base)
    assert handler.seen == [DATA_PATH, DATA_PATH + "?page=2&per_page=3"]
    assert data["count"] == 6 and len(data["values"]) == 6
    assert data["källa"]["sidor"] == 2
    assert [v["municipality"] for v in data["values"]] == ["1880", "1880", "1881", "1881", "0180", "0180"]


def test_fetch_error_response_is_a_clean_message(server):
    base, handler = server
    handler.routes[DATA_PATH] = (400, "error.json")
    with pytest.raises(kolada.KoladaError, match=r"fel 400.*Invalid kpi id"):
        kolada.fetch(["U07451"], ["1880", "1881", "0180"], [2023, 2024], base_url=base)


def test_fetch_not_json_and_unreachable(server):
    base, handler = server
    handler.routes[DATA_PATH] = (200, "not-json")
    with pytest.raises(kolada.KoladaError, match="inte JSON"):
        kolada.fetch(["U07451"], ["1880", "1881", "0180"], [2023, 2024], base_url=base)
    with pytest.raises(kolada.KoladaError, match="Kunde inte nå"):
        kolada.fetch(["U07451"], ["1880"], [2023], base_url="http://127.0.0.1:9/v3", timeout=2)


def test_fetch_stops_on_a_page_loop(server):
    base, handler = server
    handler.routes[DATA_PATH] = (200, "page1.json")
    handler.routes[DATA_PATH + "?page=2&per_page=3"] = (200, "page1.json")
    with pytest.raises(kolada.KoladaError, match="redan hämtats"):
        kolada.fetch(["U07451"], ["1880", "1881", "0180"], [2023, 2024], base_url=base)


def _saved_response(tmp_path, server):
    base, handler = server
    _paginated(handler)
    path = tmp_path / "svar.json"
    kolada.save_response(kolada.fetch(["U07451"], ["1880", "1881", "0180"], [2023, 2024], base_url=base), path)
    return path


def test_import_writes_the_nki_contract_and_never_zero(tmp_path, server, plan):
    source = _saved_response(tmp_path, server)
    before = hashlib.sha256(source.read_bytes()).hexdigest()
    out = tmp_path / "ut" / "nki.csv"
    counts = kolada.import_response(source, out, load_settings(), plan.members)
    assert hashlib.sha256(source.read_bytes()).hexdigest() == before  # input only read
    assert counts == {"rader": 3, "saknade": 2, "andra_kommuner": 1, "riket": 0}
    frame, _ = load_table(out, "nki", plan)
    got = {(int(r.mätår), r.kommun): r.värde for r in frame.itertuples()}
    # gender T chosen over K/M; 1881/2024 (status Missing, null) absent, not 0
    assert got == {(2023, "Örebro"): 71.0, (2024, "Örebro"): 73.5, (2023, "Kumla"): 77.0}
    assert set(frame["område"]) == {"totalt"} and set(frame["mått"]) == {"NKI"}
    assert frame["antal_svar"].isna().all() and frame["ki_nedre"].isna().all()
    assert [p.name for p in out.parent.iterdir()] == ["nki.csv"]  # no temporary file left


def test_import_national_table(tmp_path, server, plan):
    source = _saved_response(tmp_path, server)
    riket = tmp_path / "nki_riket.csv"
    kolada.import_response(source, tmp_path / "nki.csv", load_settings(), plan.members, riket)
    frame, _ = load_table(riket, "nki_riket", plan)
    assert sorted(frame["kommunkod"]) == ["0180", "1880", "1880", "1881"]
    assert frame.loc[frame["kommunkod"] == "0180", "värde"].tolist() == [68.0]


def test_missing_values_by_status_or_null():
    data = {
        "values": [
            {
                "kpi": "U07451",
                "municipality": "1880",
                "period": 2020,
                "values": [{"count": 1, "gender": "T", "status": "Missing", "value": 0}],
            },
            {"kpi": "U07451", "municipality": "1880", "period": 2021, "values": []},
            {
                "kpi": "U07451",
                "municipality": "1880",
                "period": 2022,
                "values": [{"count": 1, "gender": "T", "status": None, "value": 0}],
            },
        ]
    }
    rows, missing = kolada.response_rows(data, {"U07451": ("totalt", "NKI")})
    assert missing == 2
    assert rows["mätår"].tolist() == [2022] and rows["värde"].tolist() == [0.0]  # a real 0 stays


def test_unknown_kpi_and_conflicts_are_errors():
    data = {
        "values": [
            {
                "kpi": "U99999",
                "municipality": "1880",
                "period": 2024,
                "values": [{"gender": "T", "status": "", "value": 70}],
            }
        ]
    }
    with pytest.raises(kolada.KoladaError, match=r"\[kolada.kpi.U99999\]"):
        kolada.response_rows(data, {"U07451": ("totalt", "NKI")})
    twice = {
        "values": [
            {
                "kpi": "U07451",
                "municipality": "1880",
                "period": 2024,
                "values": [{"gender": "T", "status": "", "value": v}],
            }
            for v in (70, 71)
        ]
    }
    with pytest.raises(kolada.KoladaError, match="Motstridiga"):
        kolada.response_rows(twice, {"U07451": ("totalt", "NKI")})


def test_mapping_comes_from_settings_and_is_checked():
    assert kolada.kpi_mapping(load_settings())["U07451"] == ("totalt", "NKI")
    settings = {
        "kolada": {"kpi": {"U1": {"område": "bygglov", "mått": "NKI"}, "U2": {"område": "parkering", "mått": "NKI"}}}
    }
    with pytest.raises(kolada.KoladaError, match="U2"):
        kolada.kpi_mapping(settings)


def test_cli_fetch_and_import(tmp_path, server, capsys, plan):
    base, handler = server
    _paginated(handler)
    saved = tmp_path / "svar.json"
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
            str(saved),
            "--base-url",
            base,
        ]
    )
    assert code == 0 and json.loads(saved.read_text(encoding="utf-8"))["count"] == 6
    out = tmp_path / "nki.csv"
    assert cli.main(["kolada", "import", str(saved), "--output", str(out)]) == 0
    assert "Skrev 3 rader" in capsys.readouterr().out
    assert len(load_table(out, "nki", plan)[0]) == 3


def test_cli_errors_exit_2_in_swedish(tmp_path, server, capsys):
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
