"""Kolada (API v3): search KPIs, download values, and turn a saved response into the
NKI tables (nki, nki_riket) and the RUS 2030 context table (kontext).

Downloading (`Client`, `fetch`):

* `/data/kpi/{kpis}/municipality/{ids}/year/{years}`, at most MAX_IDS (25) ids of each
  kind in one request: longer lists are split into batches and every combination asked.
  Every list is asked for in pages of PER_PAGE (5 000) rows, the most Kolada gives in one
  answer.
* Paging is followed (`next_page`, or v3's `next_url`; a full or a relative URL, or a
  page number), with protection against loops and endless page chains.
* HTTP 429 and 5xx are retried with bounded exponential back-off (1, 2, 4 … seconds,
  at most `max_wait`, at least what Retry-After asks within that bound); the wait is
  the client's `sleep`, so tests never sleep.
* What the client does is said as it happens, through its `report` (the command line:
  a line on stderr): one line per request batch, one per retry (that Kolada asked to
  wait, how long, which attempt comes next).
* Every page is kept in a cache folder (one JSON file per query: the path below the
  API's address and its parameters, not the host, so a fetch from a mirror given with
  --base-url is found again with --offline; with the time it was fetched). Online, a
  cached page younger than `max_age_hours` is used again; offline only the cache is
  read, and a page that is not there is an error naming the URL.
* `--municipality all` is every municipality of type K in Kolada's municipality list,
  plus the county (settings `[kolada] län`) and the country (0000).
* A value Kolada marks deleted (`isdeleted`, on an item or on one of its values) is
  left out and counted, as rKolada does (`get_values(keep_deleted = FALSE)`).
* Codes asked for that returned no value are one warning per KPI, listing them.

Codes: a municipality is LLKK (county number, two digits). Kolada's counties ("regions",
type L) are "00" and the county number, the country is "0000". Those are never a
municipality: they never reach nki or nki_riket, only the context table.

Importing (`import_response`): each item has `kpi`, `municipality`, `period` and
`values`, a list of `{count, gender, status, value}` where gender "T" is the total.
A null value is missing, never 0. A value whose status says it is missing is not used
even when it carries a number (Kolada marks it missing; a 0 there is no measurement):
each one is named in a warning, never dropped silently. A value that is not a number
is an error naming KPI, municipality and year. Kolada's `count` is the number of units
behind a value, not survey responses, so `antal_svar` stays empty, and Kolada gives no
intervals: significance of change cannot be judged from it. The KPI -> (område, mått)
mapping is `[kolada.kpi.<id>]`, the context KPIs are `[kolada.kontext.<id>]`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from pathlib import Path

import pandas as pd

from bro_analysis.core.config import find_workdir
from bro_analysis.core.files import write_atomic
from bro_analysis.input.contracts import COUNTRY_CODE, NKI_AREAS, NKI_MEASURES
from bro_analysis.presentation.formatting import fmt_number

DEFAULT_BASE_URL = "https://api.kolada.se/v3"
DEFAULT_COUNTY = "0018"  # Örebro län
MAX_IDS = 25  # Kolada answers at most this many ids of one kind in a request
# Rows in one answer: the most Kolada gives ("5000 poster, vilket är det maximala för kolada för
# ett HTTP svar", Kolada's API documentation, github.com/Hypergene/kolada, examples/kommun_i_korthet.rst).
PER_PAGE = 5000
MISSING_STATUSES = {"missing", "saknas", "m", "-", "..", "na", "n/a"}
USER_AGENT = "bro-analysis (Business Region Örebro)"
# The source line under every figure and table made from Kolada's data.
SOURCE_TEXT = "Kolada; bearbetning BRO"
NEXT_KEYS = ("next_page", "next_url", "next")
# How a client waits before a retry unless it is given its own `sleep` (tests replace it).
WAIT: Callable[[float], None] = time.sleep

_KPI_ID = re.compile(r"[A-Z]\d{5}")


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


def split_ids(values: Iterable[str]) -> list[str]:
    """Ids given as separate arguments or separated by commas or spaces, in order, once each."""
    out: list[str] = []
    for value in values:
        for part in re.split(r"[,\s]+", str(value)):
            if part and part not in out:
                out.append(part)
    return out


def check_kpis(kpis: Iterable[str]) -> list[str]:
    """KPI ids as Kolada writes them: a capital letter and five digits (U07451)."""
    out = []
    for kpi in split_ids(kpis):
        kpi = kpi.upper()
        if not _KPI_ID.fullmatch(kpi):
            raise KoladaError(f"Nyckeltalet '{kpi}' ska skrivas som en bokstav och fem siffror, till exempel U07451")
        if kpi not in out:
            out.append(kpi)
    return out


def check_codes(codes: Iterable[str]) -> list[str]:
    """Municipality (or county/country) codes as 4-digit strings."""
    out = []
    for code in split_ids(codes):
        code = code.strip()
        if not code.isdigit() or len(code) > 4:
            raise KoladaError(f"Kommunkoden '{code}' ska vara fyra siffror, till exempel 1880")
        if code.zfill(4) not in out:
            out.append(code.zfill(4))
    return out


def is_region(code: str) -> bool:
    """True for Kolada's county ("00" and the county number) and country (0000) codes:
    they are not municipalities."""
    return str(code).zfill(4).startswith("00")


def region_name(code: str, county: str = DEFAULT_COUNTY) -> str:
    if code == COUNTRY_CODE:
        return "riket"
    return "Örebro län" if code == county else f"län {code}"


def batches(items: list, size: int = MAX_IDS) -> list[list]:
    """The items in consecutive batches of at most `size`."""
    return [items[i : i + size] for i in range(0, len(items), size)] or [[]]


def data_url(
    base_url: str, kpis: list[str], municipalities: list[str], years: list[int], per_page: int = PER_PAGE
) -> str:
    """The v3 data URL for KPIs × municipalities × years (each list at most MAX_IDS), in
    pages of `per_page` rows."""
    for kind, items in (("nyckeltal", kpis), ("kommuner", municipalities), ("år", years)):
        if len(items) > MAX_IDS:
            raise KoladaError(f"Högst {MAX_IDS} {kind} i ett anrop till Kolada, inte {len(items)}")
    quote = lambda items: ",".join(urllib.parse.quote(str(i), safe="") for i in items)  # noqa: E731
    path = f"data/kpi/{quote(kpis)}/municipality/{quote(municipalities)}/year/{quote(years)}"
    return f"{base_url.rstrip('/')}/{path}?per_page={per_page}"


def query_key(url: str, base_url: str) -> str:
    """What a page is cached under: the query (the path below the API's address, with its
    parameters in a fixed order), never the host. The same question asked of Kolada or of a
    mirror given with --base-url is then one cache entry."""
    parts = urllib.parse.urlsplit(url)
    base_path = urllib.parse.urlsplit(base_url).path.rstrip("/")
    path = parts.path
    if base_path and path.startswith(base_path + "/"):
        path = path[len(base_path) :]
    query = urllib.parse.urlencode(sorted(urllib.parse.parse_qsl(parts.query)))
    return path + (f"?{query}" if query else "")


# --- the cache -------------------------------------------------------------------


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


@dataclass
class Cache:
    """Kolada's pages on disk: one JSON file per query (`query_key`) holding the key, the URL
    it was fetched from, the page and the time it was fetched (UTC, ISO 8601)."""

    folder: Path

    def path(self, key: str) -> Path:
        return Path(self.folder) / (hashlib.sha256(key.encode("utf-8")).hexdigest()[:40] + ".json")

    def read(self, key: str) -> tuple[dict, dt.datetime] | None:
        path = self.path(key)
        try:
            entry = json.loads(path.read_text(encoding="utf-8"))
            page, fetched = entry["svar"], dt.datetime.fromisoformat(entry["hämtad"])
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError):
            return None  # a damaged entry is as good as none: fetched again (online) or reported (offline)
        if entry.get("nyckel") != key or not isinstance(page, dict) or not isinstance(page.get("values"), list):
            return None
        return page, fetched

    def write(self, key: str, url: str, page: dict, fetched: dt.datetime) -> None:
        entry = {"nyckel": key, "url": url, "hämtad": fetched.isoformat(), "svar": page}
        write_atomic(self.path(key), json.dumps(entry, ensure_ascii=False) + "\n")


def print_progress(line: str) -> None:
    """A progress line on stderr (the command line's `report`), so stdout keeps the results."""
    print(line, file=sys.stderr, flush=True)


def _seconds(value: float) -> str:
    return fmt_number(value, 0 if float(value).is_integer() else 1)


# --- the client ----------------------------------------------------------------------


@dataclass
class Client:
    """How to reach Kolada: address, time limit, retries, cache, page size. `sleep` (default
    WAIT) and `now` are injectable, so tests neither sleep nor depend on the clock. `report`
    gets every progress and retry line (None: nowhere). `pages_read`, `from_cache`, `fetched`
    (the time of every page used) and `waits` record what happened; `names` holds the
    municipality names once Kolada's list has been read."""

    base_url: str = DEFAULT_BASE_URL
    timeout: float = 60
    attempts: int = 5
    max_wait: float = 60
    max_pages: int = 200
    cache: Cache | None = None
    max_age_hours: float = 24
    offline: bool = False
    refresh: bool = False
    sleep: Callable[[float], None] | None = None  # None: WAIT
    now: Callable[[], dt.datetime] = _now
    report: Callable[[str], None] | None = None
    per_page: int = PER_PAGE
    pages_read: int = 0
    from_cache: int = 0
    fetched: list[dt.datetime] = field(default_factory=list)
    waits: list[float] = field(default_factory=list)
    names: dict[str, str] = field(default_factory=dict)

    def url(self, path: str) -> str:
        """The URL of a list (`municipality`, `kpi`), in pages of `per_page` rows."""
        return f"{self.base_url.rstrip('/')}/{path.strip('/')}?per_page={self.per_page}"

    def say(self, line: str) -> None:
        if self.report is not None:
            self.report(line)

    def get(self, url: str) -> dict:
        """One page: from the cache when allowed, otherwise from Kolada (and then cached)."""
        key = query_key(url, self.base_url)
        cached = self.cache.read(key) if self.cache is not None else None
        if self.offline:
            if cached is None:
                where = f" ({self.cache.folder})" if self.cache is not None else ""
                raise KoladaError(
                    f"Svaret för {url} finns inte i cachen{where}; kör samma kommando utan --offline först"
                )
            return self._use(cached)
        if cached is not None and not self.refresh:
            age = self.now() - cached[1]
            if age <= dt.timedelta(hours=self.max_age_hours):
                return self._use(cached)
        page = self._download(url)
        fetched = self.now()
        if self.cache is not None:
            self.cache.write(key, url, page, fetched)
        self.fetched.append(fetched)
        self.pages_read += 1
        return page

    def _use(self, cached: tuple[dict, dt.datetime]) -> dict:
        self.fetched.append(cached[1])
        self.from_cache += 1
        self.pages_read += 1
        return cached[0]

    def _wait(self, attempt: int, retry_after: str | None) -> tuple[float, float | None]:
        """How long to wait before the next attempt, and how long Kolada asked (Retry-After)."""
        wait = min(self.max_wait, 2.0**attempt)
        asked = _retry_after_seconds(retry_after, self.now())
        if asked is not None:
            wait = min(self.max_wait, max(wait, asked))
        return wait, asked

    def _retry_line(self, code: int, asked: float | None, wait: float, attempt: int) -> str:
        """'Kolada bad oss vänta 3 s (för många anrop, HTTP 429); väntar 3 s och gör sedan försök 2 av 5'."""
        why = "för många anrop" if code == 429 else "fel hos Kolada"
        if asked is None:
            head = f"Kolada svarade med fel {code} ({why})"
        else:
            head = f"Kolada bad oss vänta {_seconds(asked)} s ({why}, HTTP {code})"
        capped = " (längsta_väntan i settings.toml)" if asked is not None and asked > wait else ""
        return f"{head}; väntar {_seconds(wait)} s{capped} och gör sedan försök {attempt + 2} av {self.attempts}"

    def _download(self, url: str) -> dict:
        request = urllib.request.Request(url, headers={"Accept": "application/json", "User-Agent": USER_AGENT})
        for attempt in range(self.attempts):
            try:
                with urllib.request.urlopen(request, timeout=self.timeout) as response:
                    body = response.read()
                break
            except urllib.error.HTTPError as exc:
                detail = exc.read()[:300].decode("utf-8", "replace").strip()
                retry = exc.code == 429 or 500 <= exc.code < 600
                if retry and attempt + 1 < self.attempts:
                    wait, asked = self._wait(attempt, exc.headers.get("Retry-After") if exc.headers else None)
                    self.say(self._retry_line(exc.code, asked, wait, attempt))
                    self.waits.append(wait)
                    (self.sleep or WAIT)(wait)
                    continue
                tried = f" efter {self.attempts} försök" if retry else ""
                raise KoladaError(
                    f"Kolada svarade med fel {exc.code} ({exc.reason}){tried} för {url}"
                    + (f": {detail}" if detail else "")
                ) from None
            except urllib.error.URLError as exc:
                raise KoladaError(f"Kunde inte nå Kolada ({url}): {exc.reason}") from None
            except TimeoutError:
                raise KoladaError(f"Kolada svarade inte inom {fmt_number(self.timeout, 0)} sekunder ({url})") from None
        try:
            data = json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            raise KoladaError(f"Svaret från Kolada är inte JSON ({url})") from None
        if not isinstance(data, dict) or not isinstance(data.get("values"), list):
            raise KoladaError(f"Svaret från Kolada saknar listan 'values' ({url})")
        return data

    def pages(self, url: str) -> Iterator[dict]:
        """Every page of an answer, following the next-page links."""
        seen: set[str] = set()
        first = url
        next_url: str | None = url
        while next_url:
            url = next_url
            if url in seen:
                raise KoladaError(f"Kolada hänvisar tillbaka till en sida som redan hämtats ({url})")
            if len(seen) >= self.max_pages:
                raise KoladaError(f"Fler än {self.max_pages} sidor; avbröt hämtningen ({first})")
            seen.add(url)
            page = self.get(url)
            yield page
            next_url = next_page_url(page, url)

    def all_values(self, url: str) -> list[dict]:
        return [item for page in self.pages(url) for item in page["values"]]


def client_from_settings(
    settings: dict,
    base_url: str | None = None,
    cache_dir: Path | str | None = None,
    offline: bool = False,
    refresh: bool = False,
    report: Callable[[str], None] | None = print_progress,
) -> Client:
    """A client as `[kolada]` in settings.toml says (address, time limit, retries, cache
    folder relative to the working folder), with the command line's choices on top. Its progress
    and retry lines go to `report` (default: stderr)."""
    kolada = settings.get("kolada", {})
    folder = Path(cache_dir) if cache_dir else find_workdir().root / kolada.get("cachemapp", ".bro-cache/kolada")
    return Client(
        base_url=base_url or kolada.get("bas_url", DEFAULT_BASE_URL),
        timeout=float(kolada.get("tidsgräns", 60)),
        attempts=int(kolada.get("försök", 5)),
        max_wait=float(kolada.get("längsta_väntan", 60)),
        max_pages=int(kolada.get("max_sidor", 200)),
        cache=Cache(folder),
        max_age_hours=float(kolada.get("cache_timmar", 24)),
        offline=offline,
        refresh=refresh,
        report=report,
    )


def _retry_after_seconds(header: str | None, now: dt.datetime) -> float | None:
    """Retry-After as seconds: a number of seconds or an HTTP date."""
    if not header:
        return None
    header = header.strip()
    if header.isdigit():
        return float(header)
    try:
        when = parsedate_to_datetime(header)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return max(0.0, (when - now).total_seconds())


def next_page_url(page: dict, current: str) -> str | None:
    """The next page's URL from `next_page`/`next_url` (absolute or relative, or a page
    number), or None."""
    nxt = next((page.get(key) for key in NEXT_KEYS if page.get(key)), None)
    if not nxt:
        return None
    if isinstance(nxt, int):
        parts = urllib.parse.urlsplit(current)
        query = dict(urllib.parse.parse_qsl(parts.query))
        query["page"] = str(nxt)
        return urllib.parse.urlunsplit(parts._replace(query=urllib.parse.urlencode(query)))
    return urllib.parse.urljoin(current, str(nxt))


# --- metadata: municipalities and KPI search ------------------------------------------


def municipality_list(client: Client) -> list[dict]:
    """Kolada's municipality list: {id, title, type} (type K municipality, L county or country).
    The names are kept in `client.names` for the warnings."""
    listed = client.all_values(client.url("municipality"))
    client.names.update({str(m.get("id", "")).zfill(4): str(m.get("title") or "") for m in listed})
    return listed


def all_municipalities(client: Client, county: str = DEFAULT_COUNTY) -> list[str]:
    """Every municipality of type K in Kolada's list, then the county and the country."""
    listed = municipality_list(client)
    codes = sorted({str(m.get("id", "")).zfill(4) for m in listed if str(m.get("type", "")).upper() == "K"})
    codes = [c for c in codes if c.isdigit() and not is_region(c)]
    if not codes:
        raise KoladaError(f"Koladas kommunlista ({client.url('municipality')}) har inga kommuner av typ K")
    client.say(f"Kolada: kommunlistan har {len(codes)} kommuner; hämtar dem, länet och riket")
    return codes + [county, COUNTRY_CODE]


def has_municipality_data(kpi: dict) -> bool:
    """Whether a KPI has values for municipalities: municipality_type K (municipalities) or
    A (all), not L (counties only)."""
    return str(kpi.get("municipality_type") or "").upper() in ("K", "A")


def search_kpis(text: str, client: Client) -> list[dict]:
    """KPIs whose id, title or description holds every word of `text` (case-insensitive),
    from Kolada's full KPI list (cached like any page), sorted by id."""
    words = [w.casefold() for w in str(text).split()]
    if not words:
        raise KoladaError("Ange ett eller flera sökord, till exempel: bro-analysis kolada sök nystartade företag")
    found = []
    for kpi in client.all_values(client.url("kpi")):
        haystack = " ".join(str(kpi.get(k) or "") for k in ("id", "title", "description")).casefold()
        if all(w in haystack for w in words):
            found.append(
                {
                    "id": str(kpi.get("id", "")),
                    "title": str(kpi.get("title") or ""),
                    "description": str(kpi.get("description") or ""),
                    "kommundata": has_municipality_data(kpi),
                }
            )
    return sorted(found, key=lambda k: k["id"])


# --- download ------------------------------------------------------------------


def _has_value(item: dict) -> bool:
    return any(isinstance(e, dict) and e.get("value") is not None for e in item.get("values") or [])


def _is_deleted(flag) -> bool:
    """Kolada's `isdeleted`: true, 1 or "true"."""
    if isinstance(flag, bool):
        return flag
    if isinstance(flag, int | float):
        return flag == 1
    return str(flag or "").strip().lower() in ("true", "1")


def drop_deleted(values: list[dict]) -> tuple[list[dict], int]:
    """The items without what Kolada marks deleted (`isdeleted` on an item, or on one of its
    values), and how many values were left out (an item flagged as a whole counts its values,
    at least one). An item whose every value is deleted is left out. rKolada does the same
    (`get_values(keep_deleted = FALSE)`)."""
    kept: list[dict] = []
    dropped = 0
    for item in values:
        if not isinstance(item, dict):
            kept.append(item)
            continue
        entries = item.get("values")
        entries = entries if isinstance(entries, list) else []
        if _is_deleted(item.get("isdeleted")):
            dropped += max(1, len(entries))
            continue
        live = [e for e in entries if not (isinstance(e, dict) and _is_deleted(e.get("isdeleted")))]
        if len(live) < len(entries):
            dropped += len(entries) - len(live)
            if not live:
                continue
            item = {**item, "values": live}
        kept.append(item)
    return kept, dropped


def _code_label(code: str, names: dict[str, str]) -> str:
    name = names.get(code) or (region_name(code) if is_region(code) else "")
    return f"{code} {name}" if name else code


def empty_ids(
    values: list[dict], kpis: list[str], municipalities: list[str], names: dict[str, str] | None = None
) -> list[str]:
    """One warning per KPI that returned no value for some of the codes asked for, listing
    them (with their names when Kolada's municipality list was read), in the order asked."""
    names = names or {}
    got = {(str(i.get("kpi")), str(i.get("municipality", "")).zfill(4)) for i in values if _has_value(i)}
    warnings = []
    for kpi in kpis:
        missing = [c for c in municipalities if (kpi, c) not in got]
        if not missing:
            continue
        if len(missing) == len(municipalities) and len(missing) > 1:
            warnings.append(
                f"nyckeltalet {kpi} gav inga värden alls för de {len(missing)} koderna; finns det för kommuner "
                f"i Kolada? (bro-analysis kolada sök {kpi})"
            )
            continue
        listed = ", ".join(_code_label(c, names) for c in missing)
        warnings.append(
            f"nyckeltalet {kpi} gav inga värden för {len(missing)} av {len(municipalities)} koder: {listed}"
        )
    return warnings


def _values(count: int) -> str:
    return f"{count} värde" if count == 1 else f"{count} värden"


def deleted_line(count: int) -> str:
    """'3 värden som Kolada markerat som borttagna (isdeleted) togs inte med'."""
    marked = "borttaget" if count == 1 else "borttagna"
    return f"{_values(count)} som Kolada markerat som {marked} (isdeleted) togs inte med"


def _batch_line(number: int, total: int, sizes: tuple[int, int, int], got: int, pages: int, cached: int) -> str:
    """'Kolada, anrop 2 av 3 (2 nyckeltal, 25 koder, 4 år): 200 värden, 1 sida'."""
    kpis, codes, years = sizes
    where = " ur cachen" if cached and cached == pages else (f", {cached} ur cachen" if cached else "")
    unit = "sida" if pages == 1 else "sidor"
    return (
        f"Kolada, anrop {number} av {total} ({kpis} nyckeltal, {codes} koder, {years} år): "
        f"{_values(got)}, {pages} {unit}{where}"
    )


def fetch(kpis: list[str], municipalities: list[str], years: list[int], client: Client | None = None) -> dict:
    """Download every batch and page and return one response:
    {"values": [...], "count": n, "källa": {...}, "varningar": [...]}. Values Kolada marks
    deleted are left out (their number is `källa.borttagna`); a line per batch and per
    retry goes to the client's `report`."""
    client = client or Client()
    kpis = check_kpis(kpis)
    municipalities = check_codes(municipalities)
    if not kpis:
        raise KoladaError("Ange minst ett nyckeltal med --kpi")
    if not municipalities:
        raise KoladaError("Ange minst en kommunkod med --municipality")
    values: list[dict] = []
    urls = []
    deleted = 0
    before, cached = client.pages_read, client.from_cache
    plan = [
        (kpi_batch, code_batch, year_batch)
        for kpi_batch in batches(kpis)
        for code_batch in batches(municipalities)
        for year_batch in batches(list(years))
    ]
    for number, (kpi_batch, code_batch, year_batch) in enumerate(plan, 1):
        url = data_url(client.base_url, kpi_batch, code_batch, year_batch, client.per_page)
        urls.append(url)
        pages, from_cache = client.pages_read, client.from_cache
        got, dropped = drop_deleted(client.all_values(url))
        values += got
        deleted += dropped
        sizes = (len(kpi_batch), len(code_batch), len(year_batch))
        client.say(
            _batch_line(number, len(plan), sizes, len(got), client.pages_read - pages, client.from_cache - from_cache)
        )
    if deleted:
        client.say(f"Kolada: {deleted_line(deleted)}")
    fetched = sorted(client.fetched)
    return {
        "values": values,
        "count": len(values),
        "källa": {
            "bas_url": client.base_url,
            "anrop": urls,
            "sidor": client.pages_read - before,
            "från_cache": client.from_cache - cached,
            "hämtad": fetched[0].isoformat() if fetched else None,
            "nyckeltal": kpis,
            "kommuner": municipalities,
            "år": list(years),
            "borttagna": deleted,
        },
        "varningar": empty_ids(values, kpis, municipalities, client.names),
    }


# --- files ---------------------------------------------------------------------


def save_response(data: dict, path: Path | str) -> Path:
    """Save a downloaded response as JSON (UTF-8, readable, mode 0644)."""
    return write_atomic(path, json.dumps(data, ensure_ascii=False, indent=1) + "\n")


def read_response(path: Path | str) -> dict:
    """Read a saved response (the file is only read). A page whose next page was never
    fetched is an error: its values are only part of the answer."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise KoladaError(f"{path}: filen finns inte") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise KoladaError(f"{path}: kan inte läsas som JSON ({exc})") from None
    if not isinstance(data, dict) or not isinstance(data.get("values"), list):
        raise KoladaError(f"{path}: saknar listan 'values' – är det ett svar från Kolada?")
    nxt = next((data.get(key) for key in NEXT_KEYS if data.get(key)), None)
    if nxt:
        raise KoladaError(
            f"{path}: filen är en sida ur ett längre svar; nästa sida ({nxt}) hämtades aldrig, så värden "
            "saknas. Hämta med `bro-analysis kolada hämta`, som följer alla sidor"
        )
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


def context_kpis(settings: dict) -> dict[str, dict]:
    """The context KPIs of [kolada.kontext.<id>]: id -> {mål, namn, källa, …}."""
    return dict(settings.get("kolada", {}).get("kontext", {}))


def county_code(settings: dict) -> str:
    return str(settings.get("kolada", {}).get("län", DEFAULT_COUNTY))


def _status(entry: dict) -> str:
    return str(entry.get("status") or "").strip()


def _flagged_missing(entry: dict) -> bool:
    status = _status(entry).lower()
    return status in MISSING_STATUSES or "missing" in status or "saknas" in status


def _where(kpi: str, code: str, year: int) -> str:
    return f"{kpi}, kommun {code}, år {year}"


@dataclass
class Totals:
    """The total ('T') values of a response, and what was left out and why."""

    rows: pd.DataFrame  # kpi, kommunkod, år, värde
    missing: int = 0  # items without a usable value (null, no total, or flagged)
    flagged: list[str] = field(default_factory=list)  # a number whose status says missing: not used, named
    deleted: int = 0  # values Kolada marks deleted (isdeleted): left out


def total_values(data: dict) -> Totals:
    """Every item's total value. Missing values are left out and counted; a number with a
    missing status is left out and named; a value Kolada marks deleted is left out and
    counted (a response saved before fetch dropped them); a value that is not a number is
    an error."""
    records = []
    missing = 0
    flagged = []
    items, deleted = drop_deleted(data["values"])
    for item in items:
        try:
            kpi, code, year = str(item["kpi"]), str(item["municipality"]).zfill(4), int(item["period"])
            entries = item.get("values") or []
        except (KeyError, TypeError, ValueError):
            raise KoladaError(f"Ett värde i svaret saknar kpi, municipality eller period: {item!r:.200}") from None
        totals = [e for e in entries if isinstance(e, dict) and str(e.get("gender", "T")).upper() == "T"]
        value = None
        for entry in totals:
            raw = entry.get("value")
            if raw is None:
                continue
            if isinstance(raw, bool) or not isinstance(raw, int | float):
                raise KoladaError(
                    f"Kolada gav texten {str(raw)!r:.60} i stället för ett tal för {_where(kpi, code, year)}; "
                    "kontrollera nyckeltalet i Kolada (bro-analysis kolada sök) eller ta bort det"
                )
            if _flagged_missing(entry):
                flagged.append(
                    f"{_where(kpi, code, year)}: Kolada anger status '{_status(entry)}' men värdet "
                    f"{fmt_number(float(raw), 1)}; värdet räknas som saknat och togs inte med"
                )
                continue
            value = float(raw)
            break
        if value is None:
            missing += 1
            continue
        records.append((kpi, code, year, value))
    rows = pd.DataFrame(records, columns=["kpi", "kommunkod", "år", "värde"])
    return Totals(rows, missing, flagged, deleted)


def _unique(frame: pd.DataFrame, key: list[str]) -> pd.DataFrame:
    """One row per key; the same key with two different values is an error."""
    twice = frame[frame.duplicated(key, keep=False)]
    for _, group in twice.groupby(key, sort=True):
        if group["värde"].nunique() > 1:
            first = group.iloc[0]
            a, b = group["värde"].iloc[0], group["värde"].iloc[1]
            raise KoladaError(
                f"Motstridiga värden för {first['kpi']}, kommun {first['kommunkod']}, år {first['år']}: "
                f"{fmt_number(a, 1)} och {fmt_number(b, 1)}"
            )
    return frame.drop_duplicates(key)


def response_rows(data: dict, mapping: dict[str, tuple[str, str]]) -> tuple[pd.DataFrame, int]:
    """NKI rows (mätår, kommunkod, område, mått, värde) for the KPIs of `mapping`, every
    municipality (never a county or the country), and how many values were missing.
    A KPI outside `mapping` is an error; conflicting duplicates are errors."""
    totals = total_values(data)
    unknown = sorted(set(totals.rows["kpi"]) - set(mapping))
    if unknown:
        raise KoladaError(
            f"Nyckeltalen {', '.join(unknown)} saknar koppling till område och mått; lägg till "
            f'[kolada.kpi.{unknown[0]}] med "område" och "mått" i data/settings.toml'
        )
    return _nki_rows(totals.rows, mapping), totals.missing


def _nki_rows(rows: pd.DataFrame, mapping: dict[str, tuple[str, str]]) -> pd.DataFrame:
    rows = rows[rows["kpi"].isin(mapping) & ~rows["kommunkod"].map(is_region)].copy()
    rows["område"] = rows["kpi"].map(lambda k: mapping[k][0])
    rows["mått"] = rows["kpi"].map(lambda k: mapping[k][1])
    rows = _unique(rows, ["år", "kommunkod", "område", "mått"])
    frame = rows.rename(columns={"år": "mätår"})[["mätår", "kommunkod", "område", "mått", "värde"]]
    return frame.sort_values(["mätår", "kommunkod", "område", "mått"]).reset_index(drop=True)


def context_rows(rows: pd.DataFrame, kpis: Iterable[str], codes: Iterable[str], source: str) -> pd.DataFrame:
    """The kontext table (år, kommunkod, nyckeltal, värde, källa) for these KPIs and codes."""
    rows = rows[rows["kpi"].isin(list(kpis)) & rows["kommunkod"].isin(list(codes))]
    rows = _unique(rows, ["år", "kommunkod", "kpi"])
    frame = rows.rename(columns={"kpi": "nyckeltal"})[["år", "kommunkod", "nyckeltal", "värde"]].copy()
    frame["källa"] = source
    return frame.sort_values(["år", "nyckeltal", "kommunkod"]).reset_index(drop=True)


def _fetched_date(data: dict) -> str:
    fetched = (data.get("källa") or {}).get("hämtad") if isinstance(data.get("källa"), dict) else None
    return str(fetched)[:10] if fetched else ""


def _csv(frame: pd.DataFrame) -> str:
    """Semicolon-separated with decimal comma, as the analysts' files."""
    return frame.to_csv(sep=";", index=False, decimal=",", lineterminator="\n")


def _write_table(path: Path | str, frame: pd.DataFrame) -> None:
    write_atomic(path, "\ufeff" + _csv(frame))


def import_response(
    path: Path | str,
    output: Path | str,
    settings: dict,
    members: dict[str, str],
    national_output: Path | str | None = None,
    context_output: Path | str | None = None,
) -> dict:
    """Turn a saved response into nki.csv (members, by name), nki_riket.csv (every
    municipality, by code; only when `national_output` is given and the response has
    municipalities besides the members) and kontext.csv (the context KPIs of the settings
    for the members, the county and the country; only when `context_output` is given).
    Every row's `källa` says it came from Kolada and when it was fetched (the report's
    source lines name Kolada from it).
    A table whose KPIs the response does not hold is not written (its count is None).
    Returns counts and warnings for the message."""
    data = read_response(path)
    mapping, context = kpi_mapping(settings), context_kpis(settings)
    totals = total_values(data)
    rows = totals.rows
    unknown = sorted(set(rows["kpi"]) - set(mapping) - set(context))
    if unknown:
        raise KoladaError(
            f"Nyckeltalen {', '.join(unknown)} saknar koppling i data/settings.toml; lägg till "
            f'[kolada.kpi.{unknown[0]}] med "område" och "mått" (NKI) eller [kolada.kontext.{unknown[0]}] '
            'med "mål", "namn" och "källa" (sammanhanget för RUS 2030)'
        )
    county = county_code(settings)
    warnings = list(totals.flagged)
    if totals.deleted:
        warnings.append(deleted_line(totals.deleted))
    fetched = _fetched_date(data)
    source = f"Kolada, hämtat {fetched}" if fetched else "Kolada"
    asked = {str(item.get("kpi")) for item in data["values"]}
    counts: dict = {
        "rader": None,
        "saknade": totals.missing,
        "andra_kommuner": 0,
        "riket": None,
        "kontext": None,
        "varningar": warnings,
    }
    if asked & set(mapping):
        nki_rows = _nki_rows(rows, mapping)
        own = nki_rows[nki_rows["kommunkod"].isin(members)].copy()
        counts["andra_kommuner"] = int((~nki_rows["kommunkod"].isin(members)).sum())
        regions = sorted(set(rows.loc[rows["kpi"].isin(mapping) & rows["kommunkod"].map(is_region), "kommunkod"]))
        if regions:
            names = ", ".join(f"{c} ({region_name(c, county)})" for c in regions)
            warnings.append(f"värden för {names} är inte kommuner och skrevs inte till NKI-tabellerna")
        own.insert(1, "kommun", own.pop("kommunkod").map(members))
        nki = own.assign(antal_svar=pd.NA, ki_nedre=pd.NA, ki_övre=pd.NA, källa=source)
        _write_table(output, nki)
        counts["rader"] = len(nki)
        if national_output is not None and counts["andra_kommuner"]:
            _write_table(national_output, nki_rows.assign(antal_svar=pd.NA, källa=source))
            counts["riket"] = len(nki_rows)
    if context_output is not None and asked & set(context):
        frame = context_rows(rows, context, [*members, county, COUNTRY_CODE], source)
        _write_table(context_output, frame)
        counts["kontext"] = len(frame)
    return counts
