"""Everything an area needs is in its package: the appendix's caveats and the word list's
entries come from each area package's `about` module, so copying a package copies them and
the shared modules hold none of an area's words."""

import inspect
import tomllib
from pathlib import Path
from types import SimpleNamespace

import pytest

from bro_analysis.analysis import assumptions, registry, summary
from bro_analysis.analysis.context import open_context

ROOT = Path(__file__).parents[1]
EXAMPLE = ROOT / "data" / "example"


@pytest.fixture(scope="module")
def ctx():
    return open_context("2025", EXAMPLE)


def _plan_order() -> list[str]:
    """The area packages in the order okr.toml first names one of their mått, read with tomllib."""
    plan = tomllib.loads((ROOT / "data" / "okr.toml").read_text(encoding="utf-8"))
    owner = {metric: area.__name__ for area in registry.AREAS for metric in area.METRICS}
    order: list[str] = []
    for kr in plan["nyckelresultat"]:
        if owner[kr["mått"]] not in order:
            order.append(owner[kr["mått"]])
    return order


def test_every_area_of_the_plan_states_its_own_caveats_and_words():
    for name in _plan_order():
        area = next(a for a in registry.AREAS if a.__name__ == name)
        assert callable(area.about.caveats) and callable(area.about.glossary), name


def test_the_appendix_takes_each_areas_caveats_in_the_plans_order(ctx):
    general = [item for item in assumptions.log(ctx) if item[0] == "Allmänt"]
    expected = list(general)
    for name in _plan_order():
        area = next(a for a in registry.AREAS if a.__name__ == name)
        expected += area.about.caveats(ctx)
    assert assumptions.log(ctx) == expected
    assert _plan_order()[:2] == ["bro_analysis.analysis.nki", "bro_analysis.analysis.collaboration"]


def test_a_copied_area_brings_its_caveats_and_words(ctx, monkeypatch):
    about = SimpleNamespace(
        caveats=lambda ctx: [("Kompetensförsörjning", "Räknas från aktivitetsregistret.")],
        glossary=lambda ctx: [("Kompetensförsörjning", "Att företag hittar den kompetens de behöver.")],
    )
    copied = SimpleNamespace(__name__="bro_analysis.analysis.skills", METRICS={"kompetensinsatser": None}, about=about)
    monkeypatch.setattr(registry, "AREAS", (*registry.AREAS, copied))
    assert assumptions.log(ctx)[-1] == ("Kompetensförsörjning", "Räknas från aktivitetsregistret.")
    assert ("Kompetensförsörjning", "Att företag hittar den kompetens de behöver.") in summary.glossary(ctx)


def test_the_shared_modules_hold_no_areas_words():
    shared = inspect.getsource(assumptions) + inspect.getsource(summary.glossary)
    for word in ("Investeringar", "Marknadsföring", "Samverkan", "Etableringsberedskap", "Konvertering", "Mätår"):
        assert word not in shared, word


def test_every_kommunblad_line_comes_from_an_area_package():
    from bro_analysis.analysis import profile

    owner = {metric: area for area in registry.AREAS for metric in area.METRICS}
    assert profile.numbers.member_metrics()  # the plan's kommunblad has key results to show
    for metric in profile.numbers.member_metrics():
        about = owner[metric].about  # declared by the package computing it
        assert metric in about.MEMBER_PARTS
        lines, counts = getattr(about, "MEMBER_LINES", {}), getattr(about, "MEMBER_COUNTS", {})
        assert (metric in lines) != (metric in counts), metric  # a line or a counted word, not both
    for area in registry.AREAS:  # a package declares parts only for what it computes
        assert set(getattr(getattr(area, "about", None), "MEMBER_PARTS", {})) <= set(area.METRICS), area.__name__
    shared = inspect.getsource(profile.text.key_result_part)
    for words in ("beredskap", "verktygen", "NKI", "stöd under perioden", "utbildningsinsatser"):
        assert words not in shared, words
    part = {"roll": "håller tillbaka", "mått": "kommuner_med_etableringsberedskap", "mål": None}
    assert profile.text.key_result_part(part, "2025") == "Håller tillbaka: har inte beredskap."
