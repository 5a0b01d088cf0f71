"""Paths and the editable configuration (`data/okr.toml`, `data/settings.toml`)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

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

# A data folder holding this file is example data: every report says so.
EXAMPLE_MARKER = "EXEMPELDATA.txt"

TARGET_TYPES = ("minst", "alla", "ökning")


class ConfigError(ValueError):
    """The OKR or settings file is wrong; the message names file and entry."""


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


def target_words(kind: str, target: float) -> str:
    """The target as a key result's text states it: '80', '3', '20 %' for an increase of 0.20."""
    value = 100 * target if kind == "ökning" else target
    number = f"{value:.0f}" if float(value).is_integer() else f"{value:.1f}".replace(".", ",")
    return f"{number} %" if kind == "ökning" else number


def _read_toml(path: Path) -> dict:
    try:
        with open(path, "rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        raise ConfigError(f"{path}: filen finns inte") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: kan inte läsas som TOML: {exc}") from None


def _require(mapping: dict, key: str, path: Path, where: str):
    if key not in mapping:
        raise ConfigError(f"{path}: {where} saknar '{key}'")
    return mapping[key]


def _key_result(raw: dict, path: Path, index: int) -> KeyResult:
    where = f"nyckelresultat nr {index}"
    kind = _require(raw, "typ", path, where)
    if kind not in TARGET_TYPES:
        raise ConfigError(f"{path}: {where}: typ '{kind}', förväntade en av {', '.join(TARGET_TYPES)}")
    target = raw.get("mål")
    if kind != "alla" and not isinstance(target, (int, float)):
        raise ConfigError(f"{path}: {where}: 'mål' måste vara ett tal för typ '{kind}', fick {target!r}")
    text = _require(raw, "text", path, where)
    if "{mål}" in text and target is None:
        raise ConfigError(f"{path}: {where}: texten använder {{mål}} men nyckelresultatet har inget 'mål'")
    return KeyResult(
        id=str(_require(raw, "id", path, where)),
        area=_require(raw, "område", path, where),
        text=text.replace("{mål}", target_words(kind, float(target))) if target is not None else text,
        metric=_require(raw, "mått", path, where),
        kind=kind,
        target=float(target) if target is not None else None,
        unit=raw.get("enhet", ""),
        where=f"{path}, {where} ({raw.get('id')})",
    )


@lru_cache(maxsize=8)
def load_plan(path: Path | str = OKR_FILE) -> Plan:
    """Read and check the OKR file."""
    path = Path(path)
    raw = _read_toml(path)
    plan = _require(raw, "plan", path, "filen")
    members = {str(k).zfill(4): v for k, v in _require(raw, "medlemskommuner", path, "filen").items()}
    areas = _require(raw, "målområden", path, "filen")
    krs = tuple(_key_result(k, path, i + 1) for i, k in enumerate(_require(raw, "nyckelresultat", path, "filen")))
    ids = [k.id for k in krs]
    if len(set(ids)) != len(ids):
        raise ConfigError(f"{path}: nyckelresultatens id måste vara unika: {ids}")
    return Plan(
        name=_require(plan, "namn", path, "[plan]"),
        first_year=int(_require(plan, "första_år", path, "[plan]")),
        last_year=int(_require(plan, "sista_år", path, "[plan]")),
        contribution_per_inhabitant=float(_require(plan, "driftsbidrag_kr_per_invånare", path, "[plan]")),
        members=members,
        priority_areas=tuple(areas.get("prioriterade", ())),
        other_areas=tuple(areas.get("övriga", ())),
        key_results=krs,
    )


@lru_cache(maxsize=8)
def load_settings(path: Path | str = SETTINGS_FILE) -> dict:
    """Read the analysis settings (NKI bands, Kolada mapping, conversion definitions)."""
    return _read_toml(Path(path))


def is_example_data(data_dir: Path | str) -> bool:
    """True when the data folder is marked as example data."""
    return (Path(data_dir) / EXAMPLE_MARKER).exists()
