"""What `data/settings.toml` and `data/okr.toml` must hold, and the checker that holds a
parsed file to it.

A schema is a `Key` per entry: its kind (int, number, str, str_list, date, table, map,
tables), whether it is required, its range or allowed values, and for a table the
keys it holds. A few rules that join keys (osannolikt_till below troligt_från, band
limits descending, an `ökning` target as a share) are small functions on the table
that holds them. The checker reports every problem of a file at once, each with the
key's section and its line in the file (tomllib gives no positions, so `key_lines`
finds them in the text).

A key the code does not read is an error (a misspelled key would otherwise be
ignored and its default used): a new setting is added here as well as in the file.

Values that come from the data contracts (NKI service areas, lead stages) are not known in
this layer; the caller passes them as `context["vocabularies"]`, and without them
those values are not checked.
"""

from __future__ import annotations

import bisect
import datetime
import difflib
import json
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

TARGET_TYPES = ("minst", "alla", "ökning")
# How a key result over NKI's myndighetsområden is read (okr.toml "läsning").
READINGS = ("region", "varje kommun")

# The regional development strategy's (RUS 2030) five wished-for states for business, and
# talent: what a context KPI in [kolada.kontext.<id>] may illuminate (its `mål`).
RUS_GOALS = (
    "fler arbetsställen och företag",
    "livskraftiga företag med högt kunskapsinnehåll och hög internationaliseringsgrad",
    "attraktionskraft driver nya hållbara etableringar",
    "fler nya företag med ungt entreprenörskap",
    "konkurrenskraftigt hållbart näringsliv",
    "talang",
)

# A path in a parsed file: table keys, and indices in lists ("nyckelresultat", 2, "mål").
KeyPath = tuple[str | int, ...]
# A cross-key rule: (value, context) -> [(path below the value, what is wrong)].
Rule = Callable[[Any, Mapping[str, Any]], list[tuple[KeyPath, str]]]


@dataclass(frozen=True)
class Key:
    """What one entry of a configuration file must hold.

    kind: "int", "number" (integer or decimal), "str", "str_list", "date" (a TOML date,
    2026-03-01, without quotes), "table" (the keys in
    `items`, no others), "map" (any keys matching `key_pattern`, each value held to
    `value`) or "tables" (a list of tables, each held to `value`).
    """

    kind: str
    required: bool = True
    low: float | None = None
    high: float | None = None
    above: bool = False  # `low` itself is not allowed
    choices: tuple[str, ...] = ()
    vocabulary: str = ""  # a list of allowed values the caller passes (from the data contracts)
    share: bool = False  # a share such as 0.95: a value such as 95 suggests 0.95
    what: str = ""  # the value's name in messages, e.g. "ett årtal"
    example: str = ""  # as written in the file, e.g. 0.95
    nonempty: bool = False
    pattern: str = ""  # a text must match this
    items: Mapping[str, Key] = field(default_factory=dict)  # a table's keys
    value: Key | None = None  # each value of a map, each table of a list of tables
    key_pattern: str = ""  # each key of a map must match this ...
    key_what: str = ""  # ... described so
    rule: Rule | None = None


# --- rules that join keys -------------------------------------------------------------


def _sv(number: float) -> str:
    """A number in Swedish prose: 0,95; 2000."""
    if isinstance(number, float) and number.is_integer():
        number = int(number)
    return str(number).replace(".", ",")


def _as_written(number: float) -> str:
    """A share as it should be written in the file: 0.95, 0.20."""
    text = f"{number:.2f}"
    return text if float(text) == number else repr(number)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def percent_hint(value: Any, low: float = 0.0, high: float = 1.0) -> str:
    """'; menade du 95 %? Skriv då 0.95' for a share written as a percentage."""
    if _is_number(value) and 1 < value <= 100 and low <= value / 100 <= high:
        return f"; menade du {_sv(value)} %? Skriv då {_as_written(round(value / 100, 6))}"
    return ""


def _forecast_rule(section: Any, context: Mapping[str, Any]) -> list[tuple[KeyPath, str]]:
    likely, unlikely = section.get("troligt_från"), section.get("osannolikt_till")
    if _is_number(likely) and _is_number(unlikely) and not unlikely < likely:
        return [(("osannolikt_till",), f"ska vara mindre än troligt_från ({_sv(likely)})")]
    return []


def _nki_rule(nki: Any, context: Mapping[str, Any]) -> list[tuple[KeyPath, str]]:
    problems: list[tuple[KeyPath, str]] = []
    members, minimum = context.get("antal_medlemskommuner"), nki.get("minsta_antal_kommuner")
    if isinstance(members, int) and isinstance(minimum, int) and minimum > members:
        problems.append(
            (
                ("minsta_antal_kommuner",),
                f"ska vara högst antalet medlemskommuner i okr.toml ({members}); "
                "annars kan länets genomsnitt aldrig bedömas",
            )
        )
    return problems


def _bands_rule(bands: Any, context: Mapping[str, Any]) -> list[tuple[KeyPath, str]]:
    problems: list[tuple[KeyPath, str]] = []
    previous: float | None = None
    names: set[str] = set()
    for i, band in enumerate(bands):
        if not isinstance(band, dict):
            continue
        low, name = band.get("från"), band.get("namn")
        if isinstance(low, int | float) and _is_number(low):
            if previous is not None and not low < previous:
                problems.append(
                    (
                        (i, "från"),
                        f"ska vara lägre än bandet före ({_sv(previous)}): banden står från det högsta "
                        "till det lägsta, och varje nedre gräns bara en gång",
                    )
                )
            previous = low
        if isinstance(name, str):
            if name in names:
                problems.append(((i, "namn"), "namnet finns redan i ett annat band"))
            names.add(name)
    return problems


def _marketing_rule(section: Any, context: Mapping[str, Any]) -> list[tuple[KeyPath, str]]:
    stage, stages = section.get("konverterat_steg"), section.get("lead_steg")
    if isinstance(stage, str) and isinstance(stages, list) and stage not in stages:
        listed = ", ".join(f'"{s}"' for s in stages)
        return [(("konverterat_steg",), f"ska vara ett av stegen i lead_steg: {listed}")]
    return []


def _plan_rule(plan: Any, context: Mapping[str, Any]) -> list[tuple[KeyPath, str]]:
    first, last = plan.get("första_år"), plan.get("sista_år")
    if isinstance(first, int) and isinstance(last, int) and first > last:
        return [(("sista_år",), f"ska vara minst första_år ({first})")]
    return []


def _members_rule(members: Any, context: Mapping[str, Any]) -> list[tuple[KeyPath, str]]:
    seen: dict[str, str] = {}
    problems: list[tuple[KeyPath, str]] = []
    for code in members:
        full = str(code).zfill(4)
        if full in seen:
            problems.append(((code,), f'kommunkoden {full} står redan som "{seen[full]}"'))
        seen[full] = str(code)
    return problems


def _target_areas_rule(areas: Any, context: Mapping[str, Any]) -> list[tuple[KeyPath, str]]:
    priority, other = areas.get("prioriterade"), areas.get("övriga")
    if isinstance(priority, list) and isinstance(other, list):
        both = [a for a in other if a in priority]
        if both:
            return [(("övriga",), f"{', '.join(both)} står också bland prioriterade")]
    return []


def _key_result_rule(kr: Any, context: Mapping[str, Any]) -> list[tuple[KeyPath, str]]:
    kind, target, text = kr.get("typ"), kr.get("mål"), kr.get("text")
    if kind not in TARGET_TYPES:
        return []
    if kind != "alla" and target is None:
        return [(("mål",), f'krävs för typ "{kind}" (ett tal)')]
    if kind == "ökning" and _is_number(target) and target > 1:
        return [
            (
                ("mål",),
                'ska vara en andel för typ "ökning" (0.20 är 20 %)' + percent_hint(target, 0.0, 1.0),
            )
        ]
    if isinstance(text, str) and "{mål}" in text and target is None:
        named = f" {kr['id']}" if isinstance(kr.get("id"), str) else ""
        return [((), f"texten använder {{mål}} men nyckelresultatet{named} har inget mål")]
    return []


def _key_results_rule(krs: Any, context: Mapping[str, Any]) -> list[tuple[KeyPath, str]]:
    seen: set[str] = set()
    problems: list[tuple[KeyPath, str]] = []
    for i, kr in enumerate(krs):
        kr_id = kr.get("id") if isinstance(kr, dict) else None
        if isinstance(kr_id, str):
            if kr_id in seen:
                problems.append(((i, "id"), "id:t finns redan; varje nyckelresultat har ett eget id"))
            seen.add(kr_id)
    return problems


def _plan_areas_rule(plan: Any, context: Mapping[str, Any]) -> list[tuple[KeyPath, str]]:
    """Every key result's område is one of the [[planområde]] names (when the file lists them),
    every planområde named once and holding at least one key result."""
    areas, krs = plan.get("planområde"), plan.get("nyckelresultat")
    if not isinstance(areas, list) or not isinstance(krs, list):
        return []
    names = [a.get("namn") for a in areas if isinstance(a, dict)]
    problems: list[tuple[KeyPath, str]] = []
    for i, name in enumerate(names):
        if name in names[:i]:
            problems.append((("planområde", i, "namn"), "planområdet finns redan"))
    used = {kr.get("område") for kr in krs if isinstance(kr, dict)}
    for i, kr in enumerate(krs):
        area = kr.get("område") if isinstance(kr, dict) else None
        if isinstance(area, str) and area not in names:
            close = difflib.get_close_matches(area, [n for n in names if isinstance(n, str)], n=1, cutoff=0.6)
            hint = f"; menade du {close[0]}?" if close else f"; planområdena är {_listed(names)}"
            problems.append((("nyckelresultat", i, "område"), "är inget planområde under [[planområde]]" + hint))
    for i, name in enumerate(names):
        if isinstance(name, str) and name not in used:
            problems.append((("planområde", i, "namn"), "inget nyckelresultat hör till planområdet"))
    return problems


def _coverage_rule(coverage: Any, context: Mapping[str, Any]) -> list[tuple[KeyPath, str]]:
    """[täckning]: every table a register, every column one that holds categories, every
    category one the column allows, as the data contracts say (`vocabularies`
    "täckning_kolumner:<tabell>" and "kategorier:<tabell>.<kolumn>"; unchecked without them)."""
    vocabularies = context.get("vocabularies", {})
    tables = vocabularies.get("täckning_tabeller")
    problems: list[tuple[KeyPath, str]] = []
    for table, columns in coverage.items():
        if tables is not None and table not in tables:
            problems.append(((table,), f"är inget register med kategorier; registren är {_listed(tables)}"))
            continue
        known = vocabularies.get(f"täckning_kolumner:{table}")
        for column, categories in columns.items() if isinstance(columns, dict) else ():
            if known is not None and column not in known:
                problems.append(((table, column), f"är ingen kolumn med kategorier i {table}; de är {_listed(known)}"))
                continue
            allowed = vocabularies.get(f"kategorier:{table}.{column}")
            for category in categories if isinstance(categories, dict) and allowed else ():
                if category not in allowed:
                    close = difflib.get_close_matches(category, allowed, n=1, cutoff=0.6)
                    hint = f"; menade du {close[0]}?" if close else f"; tillåtna är {_listed(allowed)}"
                    problems.append(((table, column, category), f"är inget värde i {table}.{column}" + hint))
    return problems


def _retired_rule(okr: Any, context: Mapping[str, Any]) -> list[tuple[KeyPath, str]]:
    """No id is both a key result of the plan and retired ([plan] utgångna)."""
    retired, krs = okr.get("plan", {}).get("utgångna"), okr.get("nyckelresultat")
    if not isinstance(retired, list) or not isinstance(krs, list):
        return []
    ids = {kr.get("id") for kr in krs if isinstance(kr, dict)}
    return [
        (("plan", "utgångna"), f"{kr_id} är ett nyckelresultat i planen; ta bort det ur utgångna eller ur planen")
        for kr_id in retired
        if kr_id in ids
    ]


def _okr_rule(okr: Any, context: Mapping[str, Any]) -> list[tuple[KeyPath, str]]:
    return _plan_areas_rule(okr, context) + _retired_rule(okr, context)


# --- the schemas --------------------------------------------------------------------


def _year(**more: Any) -> Key:
    return Key("int", low=2000, high=2100, what="ett årtal", example="2024", **more)


def _level(**more: Any) -> Key:
    """A confidence level: 0.95, never 95."""
    return Key("number", low=0.5, high=0.999, share=True, example="0.95", **more)


def _probability(example: str, **more: Any) -> Key:
    return Key("number", low=0.0, high=1.0, share=True, example=example, **more)


SETTINGS_SCHEMA = Key(
    "table",
    items={
        "nki": Key(
            "table",
            rule=_nki_rule,
            items={
                "band": Key(
                    "tables",
                    nonempty=True,
                    rule=_bands_rule,
                    example='[{ namn = "högt", "från" = 70 }, …]',
                    value=Key(
                        "table",
                        items={
                            "namn": Key("str", nonempty=True, example='"högt"'),
                            "från": Key("number", low=0, high=100, example="70"),
                        },
                    ),
                ),
                "minsta_antal_svar": Key("int", low=1, example="7"),
                "minsta_antal_svar_område": Key("int", low=1, example="10"),
                "minsta_antal_svar_rankning": Key("int", low=1, example="20"),
                "obligatoriska_områden": Key(
                    "str_list", nonempty=True, vocabulary="nki_delområden", example='["bygglov", …]'
                ),
                "ny_total_från_mätår": _year(),
                "minsta_antal_kommuner": Key("int", low=1, example="10"),
                "konfidensnivå": _level(required=False),
                "minsta_antal_mätår_trend": Key("int", required=False, low=3, example="3"),
                "minsta_antal_mätår_sannolikhet": Key("int", required=False, low=1, example="6"),
            },
        ),
        "prognos": Key(
            "table",
            required=False,
            rule=_forecast_rule,
            items={
                "troligt_från": _probability("0.8", required=False),
                "osannolikt_till": _probability("0.2", required=False),
                "tidigast_bedömning": _probability("0.25", required=False),
                "minsta_antal_år": Key("int", required=False, low=1, high=30, example="2"),
                "konfidensnivå": _level(required=False),
            },
        ),
        "körning": Key(
            "table",
            required=False,
            items={
                "tidsgräns_per_cell_sekunder": Key("int", required=False, low=10, high=86_400, example="900"),
            },
        ),
        "kontakt": Key(
            "table",
            required=False,
            items={
                "namn": Key("str", nonempty=True, example='"Business Region Örebro"'),
                "e-post": Key("str", required=False, pattern=r"|[^@\s]+@[^@\s]+\.[^@\s]+", what="en e-postadress"),
                "telefon": Key("str", required=False),
                "webbplats": Key(
                    "str", required=False, pattern=r"|https?://\S+", what="en adress som börjar med https://"
                ),
            },
        ),
        "kolada": Key(
            "table",
            required=False,
            items={
                "bas_url": Key(
                    "str",
                    required=False,
                    pattern=r"https?://\S+",
                    what="en adress som börjar med https://",
                    example='"https://api.kolada.se/v3"',
                ),
                "tidsgräns": Key("number", required=False, low=0, above=True, high=3600, example="60"),
                "max_sidor": Key("int", required=False, low=1, example="200"),
                "försök": Key("int", required=False, low=1, high=10, example="5"),
                "längsta_väntan": Key("number", required=False, low=0, above=True, high=600, example="60"),
                "cachemapp": Key("str", required=False, nonempty=True, example='".bro-cache/kolada"'),
                "cache_timmar": Key("number", required=False, low=0, high=8760, example="24"),
                "län": Key(
                    "str",
                    required=False,
                    pattern=r"00(0[1-9]|1\d|2[0-5])",
                    what="länets kod i Kolada, 00 och länsnumret",
                    example='"0018"',
                ),
                "kontext": Key(
                    "map",
                    required=False,
                    key_pattern=r"[A-Z]\d{5}",
                    key_what='ett nyckeltals id i Kolada, en stor bokstav och fem siffror, t.ex. "N00999"',
                    value=Key(
                        "table",
                        items={
                            "mål": Key("str", choices=RUS_GOALS),
                            "namn": Key("str", nonempty=True, example='"Nystartade företag per 1 000 invånare"'),
                            "enhet": Key("str", required=False, example='"antal/1 000 inv. 16–64 år"'),
                            "decimaler": Key("int", required=False, low=0, high=3, example="1"),
                            "källa": Key(
                                "str",
                                nonempty=True,
                                what="var id:t och titeln har kontrollerats (adress eller dokument)",
                                example='"https://…"',
                            ),
                        },
                    ),
                ),
                "kpi": Key(
                    "map",
                    required=False,
                    key_pattern=r"[A-Z]\d{5}",
                    key_what='ett nyckeltals id i Kolada, en stor bokstav och fem siffror, t.ex. "U07451"',
                    value=Key(
                        "table",
                        items={
                            "område": Key("str", vocabulary="nki_områden", example='"totalt"'),
                            "mått": Key("str", vocabulary="nki_mått", example='"NKI"'),
                            "beskrivning": Key("str", required=False),
                            "källa": Key(
                                "str",
                                nonempty=True,
                                what="var id:t och titeln har kontrollerats (adress eller dokument)",
                                example='"https://…"',
                            ),
                        },
                    ),
                ),
            },
        ),
        "täckning": Key(
            "map",
            required=False,
            rule=_coverage_rule,
            value=Key(
                "map",
                value=Key(
                    "map",
                    value=Key("date", what="ett datum utan citattecken", example="2026-03-01"),
                ),
            ),
        ),
        "marknadsföring": Key(
            "table",
            required=False,
            rule=_marketing_rule,
            items={
                "konverterat_steg": Key("str", required=False, vocabulary="lead_steg", example='"konverterad"'),
                "lead_steg": Key("str_list", required=False, nonempty=True, vocabulary="lead_steg"),
                "konfidensnivå": _level(required=False),
                "största_intervallkvot": Key("number", required=False, low=1.5, high=20, example="3.0"),
                "minsta_antal_leads_kanal": Key("int", required=False, low=1, example="20"),
                "mognadstid_dagar": Key("int", required=False, low=0, high=365, example="0"),
                "konverteringsfönster_dagar": Key("int", required=False, low=0, example="180"),
                "uppföljningstid_dagar": Key("int", required=False, low=0, high=365, example="60"),
            },
        ),
    },
)

OKR_SCHEMA = Key(
    "table",
    rule=_okr_rule,
    items={
        "plan": Key(
            "table",
            rule=_plan_rule,
            items={
                "namn": Key("str", nonempty=True),
                "första_år": _year(),
                "sista_år": _year(),
                "driftsbidrag_kr_per_invånare": Key("number", low=0, example="10"),
                "utgångna": Key("str_list", required=False, what="id:n ur en tidigare plan", example='["M1"]'),
            },
        ),
        "medlemskommuner": Key(
            "map",
            nonempty=True,
            rule=_members_rule,
            key_pattern=r"\d{3,4}",  # a leading zero may be left out, as Excel does: "114" is 0114
            key_what='en kommunkod med fyra siffror, t.ex. "1880"',
            value=Key("str", nonempty=True, what="kommunens namn", example='"Örebro"'),
        ),
        "målområden": Key(
            "table",
            rule=_target_areas_rule,
            items={
                "prioriterade": Key("str_list", required=False),
                "övriga": Key("str_list", required=False),
            },
        ),
        "planområde": Key(
            "tables",
            required=False,
            value=Key(
                "table",
                items={
                    "namn": Key("str", nonempty=True, example='"Marknadsföring"'),
                    "mål": Key("str", nonempty=True, what="planområdets mål med planens ord"),
                },
            ),
        ),
        "nyckelresultat": Key(
            "tables",
            nonempty=True,
            rule=_key_results_rule,
            value=Key(
                "table",
                rule=_key_result_rule,
                items={
                    "id": Key("str", nonempty=True, example='"S1"'),
                    "område": Key("str", nonempty=True),
                    "text": Key("str", nonempty=True),
                    "kort": Key("str", required=False),
                    "mått": Key("str", nonempty=True, example='"nki_länsmedel"'),
                    "typ": Key("str", choices=TARGET_TYPES),
                    "mål": Key("number", required=False, low=0, example="80"),
                    "enhet": Key("str", required=False),
                    "enhet_ental": Key(
                        "str", required=False, what="enhetens ental inom citattecken", example='"insats"'
                    ),
                    "läsning": Key("str", required=False, choices=READINGS),
                    "ansvarig": Key("str", required=False, what='en roll, t.ex. "Marknadschef"'),
                },
            ),
        ),
    },
)


# --- where a key is written ------------------------------------------------------------

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_SCALAR = re.compile(r"[^,\]}\n#]+")


class _Locator:
    """A lenient scanner of (valid) TOML text that notes the line of every table header,
    key and array element under its path."""

    def __init__(self, text: str):
        self.s, self.i = text, 0
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self.lines: dict[KeyPath, int] = {}
        self.arrays_of_tables: dict[KeyPath, int] = {}

    def mark(self, path: KeyPath, pos: int) -> None:
        self.lines.setdefault(path, bisect.bisect_right(self.starts, pos))

    def at(self, token: str) -> bool:
        return self.s.startswith(token, self.i)

    def skip_space(self, newlines: bool = False) -> None:
        while self.i < len(self.s):
            c = self.s[self.i]
            if c in " \t\r" or (newlines and c == "\n"):
                self.i += 1
            elif c == "#" and newlines:
                end = self.s.find("\n", self.i)
                self.i = len(self.s) if end < 0 else end
            else:
                return

    def next_line(self) -> None:
        end = self.s.find("\n", self.i)
        self.i = len(self.s) if end < 0 else end + 1

    def string(self) -> str:
        """The string at the cursor (any of TOML's four kinds), cursor moved past it."""
        for quote in ('"""', "'''"):
            if self.at(quote):
                end = self.i + 3
                while True:
                    end = self.s.find(quote, end)
                    if end < 0:
                        raise ValueError("unterminated string")
                    if quote == "'''" or (len(self.s[:end]) - len(self.s[:end].rstrip("\\"))) % 2 == 0:
                        break
                    end += 1
                while self.s.startswith(quote[0], end + 3):
                    end += 1  # up to two quotes may end the content
                body = self.s[self.i + 3 : end]
                self.i = end + 3
                return body
        quote = self.s[self.i]
        end = self.i + 1
        while self.s[end] != quote:
            end += 2 if quote == '"' and self.s[end] == "\\" else 1
        raw = self.s[self.i + 1 : end]
        self.i = end + 1
        if quote == '"':
            try:
                return json.loads(f'"{raw}"')
            except ValueError:
                return raw
        return raw

    def key(self) -> tuple[str, ...]:
        parts = []
        while True:
            self.skip_space()
            if self.at('"') or self.at("'"):
                parts.append(self.string())
            else:
                match = _BARE_KEY.match(self.s, self.i)
                if not match:
                    raise ValueError("no key")
                parts.append(match.group())
                self.i = match.end()
            self.skip_space()
            if not self.at("."):
                return tuple(parts)
            self.i += 1

    def resolve(self, parts: tuple[str, ...]) -> KeyPath:
        """A header's path with the current element of each array of tables in it."""
        path: KeyPath = ()
        for part in parts:
            path += (part,)
            if path in self.arrays_of_tables:
                path += (self.arrays_of_tables[path],)
        return path

    def value(self, path: KeyPath) -> None:
        if self.at("["):
            self.i += 1
            index = 0
            while True:
                self.skip_space(newlines=True)
                if self.at("]"):
                    self.i += 1
                    return
                self.mark(path + (index,), self.i)
                self.value(path + (index,))
                self.skip_space(newlines=True)
                if self.at(","):
                    self.i += 1
                    index += 1
        elif self.at("{"):
            self.i += 1
            while True:
                self.skip_space()
                if self.at("}"):
                    self.i += 1
                    return
                if self.at(","):
                    self.i += 1
                    continue
                start = self.i
                parts = self.key()
                self.skip_space()
                self.i += 1  # =
                self.skip_space()
                self.mark(path + parts, start)
                self.value(path + parts)
        elif self.at('"') or self.at("'"):
            self.string()
        else:
            match = _SCALAR.match(self.s, self.i)
            if not match:
                raise ValueError("no value")
            self.i = match.end()

    def scan(self) -> dict[KeyPath, int]:
        table: KeyPath = ()
        while True:
            self.skip_space(newlines=True)
            if self.i >= len(self.s):
                return self.lines
            start = self.i
            if self.at("[["):
                self.i += 2
                parts = self.key()
                array = self.resolve(parts[:-1]) + (parts[-1],)
                self.arrays_of_tables[array] = self.arrays_of_tables.get(array, -1) + 1
                table = array + (self.arrays_of_tables[array],)
                self.mark(array, start)
                self.mark(table, start)
            elif self.at("["):
                self.i += 1
                table = self.resolve(self.key())
                for end in range(1, len(table) + 1):  # [a.b.c] also defines a and a.b
                    self.mark(table[:end], start)
            else:
                parts = self.key()
                self.skip_space()
                self.i += 1  # =
                self.skip_space()
                self.mark(table + parts, start)
                self.value(table + parts)
            self.next_line()


def key_lines(text: str) -> dict[KeyPath, int]:
    """The line (from 1) of every table header, key and array element in a TOML text, by
    path: ("nki", "konfidensnivå"), ("nki", "band", 1), ("nyckelresultat", 2, "mål").
    As many as could be found when the text is not valid TOML."""
    locator = _Locator(text)
    try:
        return locator.scan()
    except (ValueError, IndexError):
        return locator.lines


def line_of(lines: Mapping[KeyPath, int], path: KeyPath) -> int | None:
    """The key's line, or for a missing key the line of the nearest table that holds it."""
    for end in range(len(path), 0, -1):
        if path[:end] in lines:
            return lines[path[:end]]
    return None


# --- the checker -----------------------------------------------------------------------


def as_written(value: Any) -> str:
    """A value as TOML writes it: 95, 0.95, "konverterad", ["lead", "kvalificerad"]."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        text = "[" + ", ".join(as_written(v) for v in value) + "]"
        return text if len(text) <= 80 else text[:76] + " …]"
    if isinstance(value, dict):
        text = "{ " + ", ".join(f"{k} = {as_written(v)}" for k, v in value.items()) + " }"
        return text if len(text) <= 80 else text[:76] + " …}"
    return str(value)


_KINDS = {
    "int": "ett heltal",
    "number": "ett tal",
    "str": "en text inom citattecken",
    "str_list": "en lista med texter",
    "date": "ett datum",
    "table": "ett avsnitt (en tabell)",
    "map": "en tabell",
    "tables": "en lista med tabeller",
}


def expected(key: Key, example: bool = True) -> str:
    """What a key must hold, in words: 'ska vara ett tal mellan 0,5 och 0,999; skriv t.ex. 0.95'."""
    text = key.what or _KINDS[key.kind]
    if key.low is not None and key.high is not None:
        text += f" mellan {_sv(key.low)} och {_sv(key.high)}"
    elif key.low is not None:
        text += f", större än {_sv(key.low)}" if key.above else f", minst {_sv(key.low)}"
    elif key.high is not None:
        text += f", högst {_sv(key.high)}"
    if key.choices:
        text = "en av " + ", ".join(f'"{c}"' for c in key.choices)
    table = key.value if key.kind == "tables" else key
    if table is not None and table.kind == "table":
        required = [name for name, sub in table.items.items() if sub.required]
        if required:
            text += " med " + ", ".join(required)
    if key.example and example:
        text += f"; skriv t.ex. {key.example}"
    return "ska vara " + text


@dataclass(frozen=True)
class _Where:
    path: KeyPath
    label: str  # "[nki] konfidensnivå", "nyckelresultat nr 3"
    header: str | None  # a table written with a header: its dotted name ("" for the file itself)
    note: str = ""  # a list element's id, named with its keys: "nyckelresultat nr 3 (S3): mål"


def _child(parent: _Where, name: str | int, kind: str, table: Any = None) -> _Where:
    """Where a key or list element is, named as a reader finds it in the file."""
    path = parent.path + (name,)
    if isinstance(name, int):
        note = f" ({table['id']})" if isinstance(table, dict) and isinstance(table.get("id"), str) else ""
        return _Where(path, f"{parent.label} nr {name + 1}", None, note)
    if parent.header is None:
        return _Where(path, f"{parent.label}{parent.note}: {name}", None)
    if kind in ("table", "map"):
        dotted = f"{parent.header}.{name}" if parent.header else name
        return _Where(path, f"[{dotted}]", dotted)
    return _Where(path, f"[{parent.header}] {name}" if parent.header else name, None)


def _kind_ok(kind: str, value: Any) -> bool:
    if kind == "int":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "number":
        return _is_number(value)
    if kind == "str":
        return isinstance(value, str)
    if kind == "str_list":
        return isinstance(value, list) and all(isinstance(v, str) for v in value)
    if kind == "date":
        return isinstance(value, datetime.date) and not isinstance(value, datetime.datetime)
    if kind in ("table", "map"):
        return isinstance(value, dict)
    if kind == "tables":
        return isinstance(value, list) and all(isinstance(v, dict) for v in value)
    raise ValueError(f"unknown kind {kind!r}")


def _listed(values) -> str:
    return ", ".join(f'"{v}"' for v in values)


class _Checker:
    """Walks a parsed file and its schema side by side, noting (path, message) per problem."""

    def __init__(self, root: Key, context: Mapping[str, Any]):
        self.root, self.context = root, context
        self.vocabularies: Mapping[str, tuple[str, ...]] = context.get("vocabularies", {})
        self.problems: list[tuple[KeyPath, str]] = []

    def add(self, where: _Where, value: Any, text: str) -> None:
        if isinstance(value, dict):  # a whole table is not worth quoting
            self.problems.append((where.path, f"{where.label}: {text}"))
        else:
            self.problems.append((where.path, f"{where.label} = {as_written(value)} – {text}"))

    def missing(self, where: _Where, text: str) -> None:
        self.problems.append((where.path, f"{where.label} saknas – {text}"))

    def check(self, key: Key, value: Any, where: _Where) -> None:
        if not _kind_ok(key.kind, value):
            whole = key.kind == "int" and _is_number(value)
            self.add(where, value, expected(key) + (" (ett heltal, utan decimaler)" if whole else ""))
        elif key.kind in ("int", "number"):
            self.check_range(key, value, where)
        elif key.kind == "str":
            self.check_text(key, value, where)
        elif key.kind == "str_list":
            self.check_list(key, value, where)
        elif key.kind == "date":
            pass
        elif key.kind == "table":
            self.check_table(key, value, where)
        elif key.kind == "map":
            self.check_map(key, value, where)
        else:
            self.check_tables(key, value, where)

    def check_range(self, key: Key, value: float, where: _Where) -> None:
        low_ok = key.low is None or (value > key.low if key.above else value >= key.low)
        if not (low_ok and (key.high is None or value <= key.high)):
            hint = percent_hint(value, key.low or 0.0, key.high or 1.0) if key.share else ""
            self.add(where, value, expected(key, example=not hint) + hint)

    def check_text(self, key: Key, value: str, where: _Where) -> None:
        allowed = self.vocabularies.get(key.vocabulary) if key.vocabulary else None
        if key.nonempty and not value.strip():
            self.add(where, value, "får inte vara tom")
        elif (key.choices and value not in key.choices) or (key.pattern and not re.fullmatch(key.pattern, value)):
            self.add(where, value, expected(key))
        elif allowed is not None and value not in allowed:
            self.add(where, value, f"ska vara ett av {_listed(allowed)}")

    def check_list(self, key: Key, value: list, where: _Where) -> None:
        allowed = self.vocabularies.get(key.vocabulary) if key.vocabulary else None
        unknown = [v for v in value if allowed is not None and v not in allowed]
        if key.nonempty and not value:
            self.add(where, value, "får inte vara tom")
        elif unknown and allowed is not None:
            self.add(where, value, f"okänt värde {_listed(unknown)}; tillåtna är {_listed(allowed)}")

    def check_table(self, key: Key, table: dict, where: _Where) -> None:
        for name, sub in key.items.items():
            child = _child(where, name, sub.kind)
            if name in table:
                self.check(sub, table[name], child)
            elif sub.required:
                self.missing(child, expected(sub))
        for name, value in table.items():
            if name not in key.items:
                self.add(
                    _child(where, name, "table" if isinstance(value, dict) else ""),
                    value,
                    self.unknown(name, key, where, isinstance(value, dict)),
                )
        self.apply(key, table, where)

    def check_map(self, key: Key, table: dict, where: _Where) -> None:
        assert key.value is not None
        if key.nonempty and not table:
            self.add(where, table, "får inte vara tom")
        for name, value in table.items():
            child = _child(where, name, key.value.kind)
            if key.key_pattern and not re.fullmatch(key.key_pattern, name):
                self.add(child, value, f"nyckeln {name} ska vara {key.key_what}")
            else:
                self.check(key.value, value, child)
        self.apply(key, table, where)

    def check_tables(self, key: Key, tables: list, where: _Where) -> None:
        assert key.value is not None
        if key.nonempty and not tables:
            self.add(where, tables, "får inte vara tom")
        for i, table in enumerate(tables):
            self.check(key.value, table, _child(where, i, "table", table))
        self.apply(key, tables, where)

    def apply(self, key: Key, value: Any, where: _Where) -> None:
        """The key's rule: each problem it finds placed and named as the checker's own."""
        if key.rule is None:
            return
        for below, text in key.rule(value, self.context):
            at, inner, holder = where, value, key
            for step in below:
                if isinstance(step, int):
                    inner = inner[step]
                    holder = holder.value or holder
                    at = _child(at, step, "table", inner)
                else:
                    sub = holder.value if holder.kind == "map" else holder.items.get(step)
                    inner = inner.get(step, _MISSING)
                    at = _child(at, step, sub.kind if sub else "")
                    holder = sub or holder
            if inner is _MISSING:
                self.missing(at, text)
            else:
                self.add(at, inner, text)

    def unknown(self, name: str, key: Key, where: _Where, is_table: bool) -> str:
        """Why an unknown key is an error, and the key it most likely was meant to be."""
        section = where.path == () and is_table
        text = "okänt avsnitt" if section else "okänd nyckel"
        close = difflib.get_close_matches(name, list(key.items), n=1, cutoff=0.6)
        if close:
            return text + f"; menade du {f'[{close[0]}]' if section else close[0]}?"
        homes = [home for home, sub in self.root.items.items() if name in sub.items]
        if where.path == () and homes:
            return f"nyckeln hör till [{homes[0]}]; saknas rubriken [{homes[0]}] ovanför?"
        return text + (f"; kända är {', '.join(key.items)}" if key.items else "")


_MISSING = object()


def problems(raw: dict, text: str, schema: Key, context: Mapping[str, Any] | None = None) -> list[str]:
    """Every problem of a parsed file against its schema, in the order of the file:
    'rad 29: [nki] konfidensnivå = 95 – ska vara ett tal mellan 0,5 och 0,999 …'.
    A problem without a line (a missing section) has none."""
    checker = _Checker(schema, context or {})
    checker.check(schema, raw, _Where((), "", ""))
    lines = key_lines(text)
    found, seen = [], set()
    for path, message in checker.problems:
        if path in seen:
            continue  # one problem per key: the first (its kind, its range) before a rule's
        seen.add(path)
        line = line_of(lines, path)
        found.append((line or 0, f"rad {line}: {message}" if line else message))
    return [message for _, message in sorted(found, key=lambda item: item[0])]


_TOML_ERRORS = {
    "Invalid value": "ogiltigt värde",
    "Invalid statement": "raden kan inte tolkas",
    "Illegal character": "otillåtet tecken",
    "Unclosed array": "en lista [ … ] stängs inte",
    "Unclosed inline table": "en tabell { … } stängs inte",
    "Unterminated string": "en text saknar avslutande citattecken",
    "Cannot overwrite a value": "nyckeln står redan tidigare; varje nyckel får stå en gång i sitt avsnitt",
    "Cannot declare": "avsnittet står redan tidigare; varje avsnitt får stå en gång",
    "Expected '=' after a key in a key/value pair": "förväntade '=' efter nyckeln",
    "Expected newline or end of document after a statement": "oväntad text efter värdet",
    "Expected ']' at the end of a table declaration": "avsnittsrubriken saknar ']'",
}

_POSITION = re.compile(r"\s*\(at (?:line (\d+), column (\d+)|end of document)\)$")


def toml_error(name: str, text: str, message: str) -> str:
    """tomllib's message in Swedish, with the file, the line and the line's text."""
    position = _POSITION.search(message)
    reason = message[: position.start()] if position else message
    swedish = next((sv for en, sv in _TOML_ERRORS.items() if reason.startswith(en)), reason)
    lines = text.splitlines()
    if position and position.group(1):
        number, column = int(position.group(1)), int(position.group(2))
        where = f"rad {number}, kolumn {column}"
    else:
        number = len(lines)
        where = f"rad {number} (filens slut)"
    written = lines[number - 1].strip() if 0 < number <= len(lines) else ""
    hint = ""
    if re.search(r"=\s*[-+]?\d+,\d", written):
        hint = "; decimaltal skrivs med punkt i filen, t.ex. 0.95"
    shown = f": {written}" if written else ""
    return f"{name}, {where}: kan inte läsas som TOML – {swedish}{shown}{hint}"


def report(name: str, found: list[str]) -> str:
    """One line per problem, each naming the file; a count first when there are several."""
    lines = [f"{name}, {p}" if p.startswith("rad ") else f"{name}: {p}" for p in found]
    if len(lines) > 1:
        lines.insert(0, f"{name}: {len(lines)} fel")
    return "\n".join(lines)
