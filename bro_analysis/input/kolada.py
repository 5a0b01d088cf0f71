"""Kolada (API v3): download Insikt results and turn a saved response into the NKI table.

`fetch` downloads `/data/kpi/{kpis}/municipality/{ids}/year/{years}` and follows
the pagination (`next_page` or `next_url`, a full or relative URL). `to_nki`
reads a saved response: each item has `kpi`, `municipality` (4-digit code),
`period` (year) and `values`, a list of `{count, gender, status, value}` where
gender "T" is the total. A null value, or one whose status says it is missing,
is missing, never 0. Kolada's `count` is the number of units behind a value,
not the number of survey responses, so `antal_svar` stays empty; Kolada gives
no intervals either, so significance of change cannot be judged from it.
The KPI -> (område, mått) mapping is `[kolada.kpi.<id>]` in data/settings.toml.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pandas as pd

from bro_analysis.core.files import write_atomic
from bro_analysis.input.contracts import NKI_AREAS, NKI_MEASURES
from bro_analysis.presentation.formatting import fmt_number

DEFAULT_BASE_URL = "https://api.kolada.se/v3"
MISSING_STATUSES = {"missing", "saknas", "m", "-", "..", "na", "n/a"}
USER_AGENT = "bro-analysis (Business Region Örebro)"


class KoladaError(Exception):
    """A download or import problem, as a readable Swedish message."""


# --- arguments -----------------------------------------------------------------


def parse_years(text: str) -> list[int]:
    """'2014-2025' or '2019,2021' (or both mixed) -> sorted years."""
    years: set[int] = set()
    for part in str(text).replace(" ", "").split(","):
        if not part:
            continue
        bounds = part.replace("–", "-").split("-")
        try:
            if len(bounds) == 2:
                first, last = int(bounds[0]), int(bounds[1])
                if first > last:
                    raise KoladaError(f"Årsintervallet '{part}' går baklänges")
                years |= set(range(first, last + 1))
            elif len(bounds) == 1:
                years.add(int(bounds[0]))
            else:
                raise ValueError
        except ValueError:
            raise KoladaError(f"Åren '{text}' ska skrivas som 2014-2025 eller 2019,2020") from None
    if not years or not all(1990 <= y <= 2100 for y in years):
        raise KoladaError(f"Åren '{text}' måste ligga mellan 1990 och 2100")
    return sorted(years)


def check_codes(codes: list[str]) -> list[str]:
    """Municipality codes as 4-digit strings."""
    out = []
    for code in codes:
        code = str(code).strip()
        if not code.isdigit() or len(code) > 4:
            raise KoladaError(f"Kommunkoden '{code}' ska vara fyra siffror, till exempel 1880")
        out.append(code.zfill(4))
    return out


def data_url(base_url: str, kpis: list[str], municipalities: list[str], years: list[int]) -> str:
    """The v3 data URL for KPIs × municipalities × years."""
    quote = lambda items: ",".join(urllib.parse.quote(str(i), safe="") for i in items)  # noqa: E731
    return f"{base_url.rstrip('/')}/data/kpi/{quote(kpis)}/municipality/{quote(municipalities)}/year/{quote(years)}"


# --- download ------------------------------------------------------------------


def _get_json(url: str, timeout: float) -> dict:
    request = urllib.request.Request(url, headers={"Accept": "application/json", "User-Agent": USER_AGENT})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body = response.read()
    except urllib.error.HTTPError as exc:
        detail = exc.read()[:300].decode("utf-8", "replace").strip()
        raise KoladaError(
            f"Kolada svarade med fel {exc.code} ({exc.reason}) för {url}" + (f": {detail}" if detail else "")
        ) from None
    except urllib.error.URLError as exc:
        raise KoladaError(f"Kunde inte nå Kolada ({url}): {exc.reason}") from None
    except TimeoutError:
        raise KoladaError(f"Kolada svarade inte inom {fmt_number(timeout, 0)} sekunder ({url})") from None
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise KoladaError(f"Svaret från Kolada är inte JSON ({url})") from None
    if not isinstance(data, dict) or not isinstance(data.get("values"), list):
        raise KoladaError(f"Svaret från Kolada saknar listan 'values' ({url})")
    return data


def _next_url(page: dict, current: str) -> str | None:
    """The next page's URL from `next_page`/`next_url` (absolute or relative), or None."""
    nxt = page.get("next_page") or page.get("next_url") or page.get("next")
    if not nxt:
        return None
    if isinstance(nxt, int):
        parts = urllib.parse.urlsplit(current)
        query = dict(urllib.parse.parse_qsl(parts.query))
        query["page"] = str(nxt)
        return urllib.parse.urlunsplit(parts._replace(query=urllib.parse.urlencode(query)))
    return urllib.parse.urljoin(current, str(nxt))


def fetch(
    kpis: list[str],
    municipalities: list[str],
    years: list[int],
    base_url: str = DEFAULT_BASE_URL,
    timeout: float = 60,
    max_pages: int = 200,
) -> dict:
    """Download every page and return one response: {"values": [...], "count": n, "källa": {...}}."""
    if not kpis:
        raise KoladaError("Ange minst ett nyckeltal med --kpi")
    if not municipalities:
        raise KoladaError("Ange minst en kommunkod med --municipality")
    url = data_url(base_url, kpis, check_codes(municipalities), years)
    first_url: str = url
    values: list[dict] = []
    seen: set[str] = set()
    next_url: str | None = url
    while next_url:
        url = next_url
        if url in seen:
            raise KoladaError(f"Kolada hänvisar tillbaka till en sida som redan hämtats ({url})")
        if len(seen) >= max_pages:
            raise KoladaError(f"Fler än {max_pages} sidor; avbröt hämtningen ({first_url})")
        seen.add(url)
        page = _get_json(url, timeout)
        values += page["values"]
        next_url = _next_url(page, url)
    return {
        "values": values,
        "count": len(values),
        "källa": {
            "url": first_url,
            "sidor": len(seen),
            "nyckeltal": list(kpis),
            "kommuner": check_codes(municipalities),
            "år": list(years),
        },
    }


# --- files ---------------------------------------------------------------------


def save_response(data: dict, path: Path | str) -> Path:
    """Save a downloaded response as JSON (UTF-8, readable)."""
    return write_atomic(path, json.dumps(data, ensure_ascii=False, indent=1) + "\n")


def read_response(path: Path | str) -> dict:
    """Read a saved response (the file is only read)."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise KoladaError(f"{path}: filen finns inte") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise KoladaError(f"{path}: kan inte läsas som JSON ({exc})") from None
    if not isinstance(data, dict) or not isinstance(data.get("values"), list):
        raise KoladaError(f"{path}: saknar listan 'values' – är det ett svar från Kolada?")
    return data


# --- import --------------------------------------------------------------------


def kpi_mapping(settings: dict) -> dict[str, tuple[str, str]]:
    """KPI id -> (område, mått) from [kolada.kpi.<id>], checked against the contract."""
    raw = settings.get("kolada", {}).get("kpi", {})
    mapping = {}
    for kpi, entry in raw.items():
        area, measure = entry.get("område"), entry.get("mått")
        if area not in NKI_AREAS or measure not in NKI_MEASURES:
            raise KoladaError(
                f"settings.toml [kolada.kpi.{kpi}]: område '{area}' och mått '{measure}' måste "
                f"vara ett av {', '.join(NKI_AREAS)} respektive {', '.join(NKI_MEASURES)}"
            )
        mapping[kpi] = (area, measure)
    return mapping


def _is_missing(entry: dict) -> bool:
    status = str(entry.get("status") or "").strip().lower()
    value = entry.get("value")
    return value is None or status in MISSING_STATUSES or "missing" in status or "saknas" in status


def response_rows(data: dict, mapping: dict[str, tuple[str, str]]) -> tuple[pd.DataFrame, int]:
    """Total ('T') values as rows (mätår, kommunkod, område, mått, värde); missing dropped
    and counted. Unknown KPIs and conflicting duplicates are errors."""
    unknown = sorted({str(item.get("kpi")) for item in data["values"]} - set(mapping))
    if unknown:
        raise KoladaError(
            f"Nyckeltalen {', '.join(unknown)} saknar koppling till område och mått; lägg till "
            f'[kolada.kpi.{unknown[0]}] med "område" och "mått" i data/settings.toml'
        )
    rows: dict[tuple, float] = {}
    missing = 0
    for item in data["values"]:
        try:
            kpi, code, year = str(item["kpi"]), str(item["municipality"]).zfill(4), int(item["period"])
            entries = item.get("values") or []
        except (KeyError, TypeError, ValueError):
            raise KoladaError(f"Ett värde i svaret saknar kpi, municipality eller period: {item!r:.200}") from None
        totals = [e for e in entries if str(e.get("gender", "T")).upper() == "T"]
        if not totals or all(_is_missing(e) for e in totals):
            missing += 1
            continue
        value = float(next(e for e in totals if not _is_missing(e))["value"])
        area, measure = mapping[kpi]
        key = (year, code, area, measure)
        if key in rows and rows[key] != value:
            raise KoladaError(
                f"Motstridiga värden för {kpi}, kommun {code}, år {year}: "
                f"{fmt_number(rows[key], 1)} och {fmt_number(value, 1)}"
            )
        rows[key] = value
    frame = pd.DataFrame([(*k, v) for k, v in rows.items()], columns=["mätår", "kommunkod", "område", "mått", "värde"])
    return frame.sort_values(["mätår", "kommunkod", "område", "mått"]).reset_index(drop=True), missing


def _csv(frame: pd.DataFrame) -> str:
    """Semicolon-separated with decimal comma, as the analysts' files."""
    return frame.to_csv(sep=";", index=False, decimal=",", lineterminator="\n")


def import_response(
    path: Path | str,
    output: Path | str,
    settings: dict,
    members: dict[str, str],
    national_output: Path | str | None = None,
) -> dict:
    """Turn a saved response into nki.csv (members, by name) and optionally
    nki_riket.csv (every municipality, by code). Returns counts for the message."""
    data = read_response(path)
    rows, missing = response_rows(data, kpi_mapping(settings))
    own = rows[rows["kommunkod"].isin(members)].copy()
    others = int((~rows["kommunkod"].isin(members)).sum())
    own.insert(1, "kommun", own.pop("kommunkod").map(members))
    nki = own.assign(antal_svar=pd.NA, ki_nedre=pd.NA, ki_övre=pd.NA)
    write_atomic(output, "\ufeff" + _csv(nki))
    if national_output is not None:
        write_atomic(national_output, "\ufeff" + _csv(rows.assign(antal_svar=pd.NA)))
    return {
        "rader": len(nki),
        "saknade": missing,
        "andra_kommuner": others,
        "riket": len(rows) if national_output is not None else 0,
    }
