"""Paths and the editable configuration (`okr.toml`, `settings.toml`).

Where the plan, the settings, the notebooks and the data are is found in this order
(`find_workdir`, `data_folder`):

1. the command line: `--arbetsmapp MAPP` (and `--data MAPP` for the data);
2. the environment variables `BRO_ARBETSMAPP` (and `BRO_DATA`);
3. the working folder and the folders above it: the first that holds `okr.toml`, directly
   (a working folder made by `bro-analysis init`) or in `data/` (a source checkout);
4. the source checkout the package runs from, if any.

A working folder made by `init` has okr.toml, settings.toml, notebooks/ and data/ (the
analyst's tables); a source checkout keeps okr.toml and settings.toml in data/ and runs
the example data (data/example) unless told otherwise.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from bro_analysis.core import settings_schema

# The source checkout's folders (where the package is run from a clone of the repository).
# A run finds its plan and data through `find_workdir` and `data_folder`, not these.
PROJECT_ROOT = Path(__file__).resolve().parents[2]
DATA_DIR = PROJECT_ROOT / "data"
EXAMPLE_DATA_DIR = DATA_DIR / "example"
NOTEBOOKS_DIR = PROJECT_ROOT / "notebooks"
OUTPUTS_DIR = PROJECT_ROOT / "outputs"
OKR_FILE = DATA_DIR / "okr.toml"
SETTINGS_FILE = DATA_DIR / "settings.toml"
TEMPLATES_DIR = Path(__file__).resolve().parents[1] / "presentation" / "templates"

# The combined committee report of a period.
REPORT_NAME = "BRO_uppfoljning_{period}.html"
# The folder of a period's kommunblad (one per member municipality).
MEMBERS_DIR = "kommuner"
# The output in which the overview notebook publishes the key results for the combined report.
SUMMARY_MIME = "application/vnd.bro.summary+json"

# A data folder holding this file is example data: every report says so.
EXAMPLE_MARKER = "EXEMPELDATA.txt"

TARGET_TYPES = settings_schema.TARGET_TYPES

# The environment variables naming the working folder and the data folder.
ENV_WORKDIR = "BRO_ARBETSMAPP"
ENV_DATA = "BRO_DATA"
PLAN_NAME, SETTINGS_NAME = "okr.toml", "settings.toml"


class MemberError(ValueError):
    """A municipality parameter that is not one of the plan's members."""


class ConfigError(ValueError):
    """The OKR or settings file is wrong; the message names file and entry."""


@dataclass(frozen=True)
class Workdir:
    """Where a run finds its plan, settings, notebooks and data, and writes its outputs.

    `root` holds okr.toml and settings.toml directly (a working folder from `bro-analysis
    init`, whose data/ holds the analyst's tables) or in data/ (a source checkout, whose
    data/example is the data a run takes by default)."""

    root: Path
    found_by: str = ""  # how it was found, for messages: "--arbetsmapp", "BRO_ARBETSMAPP", …

    @property
    def is_checkout(self) -> bool:
        return not (self.root / PLAN_NAME).is_file()

    @property
    def config_dir(self) -> Path:
        return self.root / "data" if self.is_checkout else self.root

    @property
    def plan(self) -> Path:
        return self.config_dir / PLAN_NAME

    @property
    def settings(self) -> Path:
        return self.config_dir / SETTINGS_NAME

    @property
    def data(self) -> Path:
        """The data folder a run reads unless told otherwise."""
        return self.root / "data" / "example" if self.is_checkout else self.root / "data"

    @property
    def example(self) -> Path:
        """Where the example data is kept: data/example in a checkout, exempeldata/ in a working folder."""
        return self.root / "data" / "example" if self.is_checkout else self.root / "exempeldata"

    @property
    def outputs(self) -> Path:
        return self.root / "outputs"

    @property
    def notebooks(self) -> Path:
        """The working folder's notebooks/, or the package's own when it has none."""
        from bro_analysis.core.resources import shipped

        own = self.root / "notebooks"
        return own if any(own.glob("*.ipynb")) else shipped("notebooks")


def _holds_plan(folder: Path) -> Workdir | None:
    """The working folder rooted at `folder` when it holds okr.toml directly or in data/
    (the source checkout's data/ itself counts as the checkout)."""
    if folder == DATA_DIR and (folder / PLAN_NAME).is_file():
        return Workdir(PROJECT_ROOT)
    if (folder / PLAN_NAME).is_file() or (folder / "data" / PLAN_NAME).is_file():
        return Workdir(folder)
    return None


def _named(folder: Path | str, how: str) -> Workdir:
    """The working folder a user named; a ConfigError when it has no plan."""
    path = Path(folder).expanduser().resolve()
    found = _holds_plan(path)
    if found is None:
        raise ConfigError(
            f"{how} {path}: där finns ingen {PLAN_NAME}, varken direkt i mappen eller i {Path('data', PLAN_NAME)}. "
            "Skapa en arbetsmapp med bro-analysis init MAPP."
        )
    return Workdir(found.root, how)


def find_workdir(chosen: Path | str | None = None, cwd: Path | str | None = None) -> Workdir:
    """The working folder, in the documented order (see the module's docstring): `chosen`
    (the command line's --arbetsmapp), $BRO_ARBETSMAPP, `cwd` (default: the current folder)
    and the folders above it, the source checkout. A ConfigError listing every place looked
    when none holds a plan."""
    if chosen:
        return _named(chosen, "--arbetsmapp")
    if os.environ.get(ENV_WORKDIR):
        return _named(os.environ[ENV_WORKDIR], ENV_WORKDIR)
    here = Path(cwd or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        found = _holds_plan(folder)
        if found is not None:
            return Workdir(found.root, "arbetsmappen")
    if (PROJECT_ROOT / "data" / PLAN_NAME).is_file():
        return Workdir(PROJECT_ROOT, "källkoden")
    folders = ", ".join(str(f) for f in (here, *here.parents))
    looked = [
        "kommandoradens --arbetsmapp: inte angiven",
        f"miljövariabeln {ENV_WORKDIR}: inte satt",
        f"mappen du står i och mapparna ovanför ({folders}): ingen har {PLAN_NAME} direkt eller i data/",
        f"källkoden paketet körs från: {PROJECT_ROOT / 'data' / PLAN_NAME} finns inte (paketet är installerat)",
    ]
    raise ConfigError(
        f"Hittar ingen arbetsmapp med planen ({PLAN_NAME}) och inställningarna ({SETTINGS_NAME}). Letade här:\n"
        + "\n".join(f"  {i}. {place}" for i, place in enumerate(looked, 1))
        + "\nSkapa en arbetsmapp med 'bro-analysis init MAPP' och kör kommandot i den, "
        f"eller ange mappen med --arbetsmapp MAPP eller {ENV_WORKDIR}."
    )


def data_folder(chosen: Path | str | None = None) -> Path:
    """The data folder: `chosen` (the command line's --data), $BRO_DATA, the working folder's."""
    if chosen:
        return Path(chosen)
    if os.environ.get(ENV_DATA):
        return Path(os.environ[ENV_DATA]).expanduser()
    return find_workdir().data


@dataclass(frozen=True)
class KeyResult:
    """One key result of the plan, as written in okr.toml."""

    id: str
    area: str
    text: str
    metric: str
    kind: str
    target: float | None
    unit: str
    where: str = ""  # "data/okr.toml, nyckelresultat nr 3 (S3)", for error messages
    short: str = ""  # a few words for the committee's first page; the text when okr.toml has none
    reading: str = ""  # for a result over areas: "region" (pooled) or "varje kommun" (see okr.toml)
    owner: str = ""  # who answers for it, a role (okr.toml `ansvarig`); a period's assessment may override
    unit_one: str = ""  # the unit for a count of 1 (okr.toml `enhet_ental`); "" -> vocabulary.SINGULAR's


@dataclass(frozen=True)
class Plan:
    """The plan: members, target areas, key results and the operating contribution."""

    name: str
    first_year: int
    last_year: int
    contribution_per_inhabitant: float
    members: dict[str, str]
    priority_areas: tuple[str, ...]
    other_areas: tuple[str, ...]
    key_results: tuple[KeyResult, ...]
    objectives: Mapping[str, str] = field(default_factory=dict)  # planområde -> its objective (okr.toml)
    retired: tuple[str, ...] = ()  # ids of key results an earlier plan had (okr.toml [plan] utgångna)

    @property
    def areas(self) -> tuple[str, ...]:
        """The plan's areas (planområden) in the plan's order: those with an objective, then any
        other a key result names."""
        return tuple(dict.fromkeys([*self.objectives, *(kr.area for kr in self.key_results)]))

    @property
    def target_areas(self) -> tuple[str, ...]:
        return self.priority_areas + self.other_areas

    def key_result(self, kr_id: str) -> KeyResult:
        """The key result with this id; a ConfigError when the plan has none."""
        for kr in self.key_results:
            if kr.id == kr_id:
                return kr
        raise ConfigError(f"planen har inget nyckelresultat med id '{kr_id}'")

    def by_metric(self, metric: str) -> KeyResult | None:
        """The first key result measured by `metric` (its mått), or None when the plan has none."""
        return next((k for k in self.key_results if k.metric == metric), None)

    def member(self, value) -> tuple[str, str]:
        """(code, name) of a member municipality given as code or name, the way a parameter
        arrives: '1880', 1880 (a number loses its leading zero: 180 -> '0180'), 1880.0,
        'Örebro', ' örebro '. Anything else is a MemberError listing the members."""
        text = str(value).strip()
        if isinstance(value, float) and value.is_integer():
            text = str(int(value))
        if text.isdigit():
            code = text.zfill(4)
            if code in self.members:
                return code, self.members[code]
        by_name = {name.casefold(): code for code, name in self.members.items()}
        if text.casefold() in by_name:
            code = by_name[text.casefold()]
            return code, self.members[code]
        known = ", ".join(f"{code} {name}" for code, name in self.members.items())
        raise MemberError(f"'{value}' är ingen medlemskommun; ange kod eller namn: {known}")


def target_words(kind: str, target: float) -> str:
    """The target as a key result's text states it: '80', '3', '20 %' for an increase of 0.20."""
    value = 100 * target if kind == "ökning" else target
    number = f"{value:.0f}" if float(value).is_integer() else f"{value:.1f}".replace(".", ",")
    return f"{number} %" if kind == "ökning" else number


def display_name(path: Path) -> str:
    """A file as messages name it: data/settings.toml inside the project, else as given."""
    try:
        return str(path.resolve().relative_to(PROJECT_ROOT))
    except ValueError:
        return str(path)


def _read_toml(path: Path) -> tuple[dict, str]:
    """The parsed file and its text; a ConfigError naming the file and line when it cannot be read."""
    name = display_name(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ConfigError(f"{name}: filen finns inte") from None
    try:
        text = data.decode("utf-8-sig")  # a byte-order mark (Notepad) is harmless
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ConfigError(f"{name}, rad {line}: filen är inte sparad som UTF-8; spara den som UTF-8") from None
    try:
        return tomllib.loads(text), text
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(settings_schema.toml_error(name, text, str(exc))) from None


def _read_checked(path: Path, schema: settings_schema.Key, context: Mapping[str, Any] | None = None) -> dict:
    """The parsed file, held to its schema: a ConfigError listing every problem, each with its line."""
    raw, text = _read_toml(path)
    found = settings_schema.problems(raw, text, schema, context)
    if found:
        raise ConfigError(settings_schema.report(display_name(path), found))
    return raw


def _key_result(raw: dict, path: Path, index: int) -> KeyResult:
    """One checked [[nyckelresultat]] entry."""
    kind, target, text = raw["typ"], raw.get("mål"), raw["text"]
    text = text.replace("{mål}", target_words(kind, float(target))) if target is not None else text
    return KeyResult(
        id=raw["id"],
        area=raw["område"],
        text=text,
        short=raw.get("kort") or text,
        metric=raw["mått"],
        kind=kind,
        target=float(target) if target is not None else None,
        unit=raw.get("enhet", ""),
        unit_one=raw.get("enhet_ental", ""),
        reading=raw.get("läsning", ""),
        owner=raw.get("ansvarig", ""),
        where=f"{path}, nyckelresultat nr {index} ({raw['id']})",
    )


def load_plan(path: Path | str | None = None) -> Plan:
    """Read the OKR file (default: the working folder's, see find_workdir) and check it
    against its schema (settings_schema.OKR_SCHEMA)."""
    return _load_plan(Path(path) if path else find_workdir().plan)


@lru_cache(maxsize=8)
def _load_plan(path: Path) -> Plan:
    raw = _read_checked(path, settings_schema.OKR_SCHEMA)
    plan, areas = raw["plan"], raw["målområden"]
    return Plan(
        name=plan["namn"],
        first_year=int(plan["första_år"]),
        last_year=int(plan["sista_år"]),
        contribution_per_inhabitant=float(plan["driftsbidrag_kr_per_invånare"]),
        members={str(k).zfill(4): v for k, v in raw["medlemskommuner"].items()},
        priority_areas=tuple(areas.get("prioriterade", ())),
        other_areas=tuple(areas.get("övriga", ())),
        key_results=tuple(_key_result(k, path, i + 1) for i, k in enumerate(raw["nyckelresultat"])),
        objectives={a["namn"]: a["mål"] for a in raw.get("planområde", [])},
        retired=tuple(plan.get("utgångna", ())),
    )


def load_settings(path: Path | str | None = None) -> dict:
    """Read the analysis settings (NKI bands, Kolada mapping, conversion definitions;
    default: the working folder's, see find_workdir), checked against their schema
    (settings_schema.SETTINGS_SCHEMA)."""
    return _load_settings(Path(path) if path else find_workdir().settings)


@lru_cache(maxsize=8)
def _load_settings(path: Path) -> dict:
    return _read_checked(path, settings_schema.SETTINGS_SCHEMA)


def check_settings(
    path: Path | str | None = None,
    vocabularies: Mapping[str, tuple[str, ...]] | None = None,
    members: int | None = None,
) -> dict:
    """The settings checked also against what lower layers cannot know: the allowed values
    from the data contracts (`vocabularies`, see settings_schema) and the plan's number of
    member municipalities. Not cached: the command line calls it once per run."""
    context = {"vocabularies": dict(vocabularies or {}), "antal_medlemskommuner": members}
    return _read_checked(Path(path) if path else find_workdir().settings, settings_schema.SETTINGS_SCHEMA, context)


def is_example_data(data_dir: Path | str) -> bool:
    """True when the data folder is marked as example data."""
    return (Path(data_dir) / EXAMPLE_MARKER).exists()
