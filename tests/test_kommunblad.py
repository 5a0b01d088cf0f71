"""Kommunblad: one two-page profile per member municipality and period. The municipality
parameter is normalised (code or name, a number that lost its leading zero) and checked
before any cell runs; each profile's figures are the municipality's rows of the area
analyses, checked here against plain pandas on the example data."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from report_pages import PERIODS, page_path

from bro_analysis.analysis import profile
from bro_analysis.analysis.context import open_context
from bro_analysis.core.config import EXAMPLE_DATA_DIR, NOTEBOOKS_DIR, MemberError, Plan, load_plan
from bro_analysis.core.periods import Period
from bro_analysis.running import cli
from bro_analysis.running.combine import report_name
from bro_analysis.running.runner import member_stem, run_periods

KOMMUNBLAD = NOTEBOOKS_DIR / "40_kommunblad.ipynb"


@pytest.fixture(scope="module")
def ctx():
    return open_context("2025", EXAMPLE_DATA_DIR)


def _plan_with(members: dict[str, str]) -> Plan:
    plan = load_plan()
    return Plan(plan.name, plan.first_year, plan.last_year, 10.0, members, plan.priority_areas, (), plan.key_results)


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("0127", ("0127", "Botkyrka")),
        (127, ("0127", "Botkyrka")),  # papermill's -p kommun 0127 gives the number 127
        (127.0, ("0127", "Botkyrka")),
        (" botkyrka ", ("0127", "Botkyrka")),
        ("ÖREBRO", ("1880", "Örebro")),
        (1880, ("1880", "Örebro")),
    ],
)
def test_the_municipality_parameter_is_normalised(given, expected):
    assert _plan_with({"0127": "Botkyrka", "1880": "Örebro"}).member(given) == expected


@pytest.mark.parametrize("given", ["9999", "", "Stockholm", "0180", 87, "1880x"])
def test_a_municipality_that_is_no_member_is_a_clear_error(given):
    with pytest.raises(MemberError, match="ingen medlemskommun; ange kod eller namn: 0127 Botkyrka, 1880 Örebro"):
        _plan_with({"0127": "Botkyrka", "1880": "Örebro"}).member(given)


def test_an_unknown_kommun_exits_2_before_any_notebook_runs(tmp_path, capsys):
    out = tmp_path / "out"
    assert cli.main(["run", "--period", "2025", "--out", str(out), "--kommun", "Stockholm"]) == 2
    assert "'Stockholm' är ingen medlemskommun" in capsys.readouterr().err
    assert not out.exists()


def test_file_names_are_code_and_ascii_name():
    assert member_stem("1880", "Örebro") == "1880_Orebro"
    assert member_stem("1863", "Hällefors") == "1863_Hallefors"


# --- the profile's figures are the municipality's rows of the area analyses ----------------------


def _nki_rows(nki, year, name=None, area=None):
    rows = nki[(nki["mätår"] == year) & (nki["mått"] == "NKI")]
    if name is not None:
        rows = rows[rows["kommun"] == name]
    return rows if area is None else rows[rows["område"] == area]


def test_nki_is_the_municipalitys_row(ctx):
    nki = ctx.dataset["nki"]
    own = _nki_rows(nki, 2025, "Örebro", "totalt")
    total = profile.numbers.nki_total(ctx, "Örebro")
    assert total["värde"] == own["värde"].iloc[0] and total["antal_svar"] == own["antal_svar"].iloc[0]
    assert total["föregående"] == _nki_rows(nki, 2024, "Örebro", "totalt")["värde"].iloc[0]
    county = _nki_rows(nki, 2025, area="totalt")
    assert total["länet"] == pytest.approx(county["värde"].mean())  # all twelve publishable in 2025
    areas = profile.numbers.nki_areas(ctx, "Örebro").set_index("område")["värde"]
    by_hand = _nki_rows(nki, 2025, "Örebro")
    by_hand = by_hand[by_hand["område"] != "totalt"]
    assert areas.to_dict() == by_hand.set_index("område")["värde"].to_dict()


def test_investments_are_the_municipalitys_rows(ctx):
    inv = ctx.dataset["investeringar"]
    decided = inv[
        (inv["kommunkod"] == "1880")
        & inv["skede"].isin(["beslut", "etablerad"])
        & (inv["beslutsdatum"].dt.year == 2025)
    ]
    row = profile.numbers.investments(ctx, "1880")
    assert row["projekt"] == len(decided)
    assert row["värde_msek"] == pytest.approx(decided["investeringsvärde_msek"].sum())
    assert row["arbetstillfällen"] == decided["arbetstillfällen"].sum()
    started = inv[(inv["kommunkod"] == "1880") & (inv["första_kontakt"].dt.year == 2025)]
    assert profile.numbers.stages(ctx, "1880").to_dict() == {
        s: int((started["skede"] == s).sum()) for s in ("lead", "dialog", "beslut", "etablerad", "förlorad")
    }


def test_joint_work_tools_support_and_contribution_are_the_municipalitys_rows(ctx):
    acts = ctx.dataset["aktiviteter"]
    in_2025 = acts[(acts["datum"].dt.year == 2025) & acts["kommuner"].map(lambda c: "1880" in c)]
    counts = profile.numbers.joint_counts(ctx, "1880")
    assert counts == {
        "Samverkansprojekt": int((in_2025["typ"] == "samverkansprojekt").sum()),
        "Workshop": int((in_2025["typ"] == "workshop").sum()),
        "Utbildning": int((in_2025["typ"] == "utbildning").sum()),
    }
    kom = ctx.dataset["kommuner"]
    row = kom[(kom["kommunkod"] == "1880") & (kom["år"] == 2025)].iloc[0]
    tools = profile.numbers.tools_and_readiness(ctx, "Örebro")
    assert (tools["Insikt"], tools["Syna"], tools["Objektvision"]) == (row["insikt"], row["syna"], row["objektvision"])
    contribution = profile.numbers.contribution(ctx, "Örebro")
    assert contribution == {"folkmängd": row["folkmängd"], "bidrag_kr": row["folkmängd"] * 10}
    support = acts[(acts["typ"] == "marknadsföringsstöd") & (acts["datum"].dt.year == 2025)]
    assert profile.numbers.support(ctx, "Örebro") == int(support["kommuner"].map(lambda c: "1880" in c).sum())


def test_since_previous_compares_the_same_months_a_year_earlier(ctx):
    frame = profile.numbers.since_previous(ctx, "1880", "Örebro").set_index("mått")
    assert (
        frame.at["Beslutade investeringsprojekt, alla branscher", "före"]
        == profile.numbers.investments(ctx, "1880", Period(2024))["projekt"]
    )


# --- end to end -------------------------------------------------------------------------------------


@pytest.mark.e2e
@pytest.mark.parametrize("period", PERIODS)
def test_every_member_gets_a_kommunblad_naming_it_and_the_report_links_them(example_run, period):
    plan = load_plan()
    html = page_path(example_run, period, report_name(period)).read_text(encoding="utf-8")
    links = re.findall(r'<a href="(kommuner/[^"]+\.html)">Kommunblad för ([^<]+)</a>', html)
    assert sorted(name for _, name in links) == sorted(plan.members.values())
    for href, name in links:
        page = (example_run / period / href).read_text(encoding="utf-8")
        assert f"<h1>Kommunblad: {name}</h1>" in page
        assert "Exempeldata" in page and "Källa:" in page


@pytest.mark.e2e
def test_the_kommunblad_nki_is_the_municipalitys_row_in_the_nki_analysis(example_run):
    nki = open_context("2025", EXAMPLE_DATA_DIR).dataset["nki"]
    rows = nki[(nki["mätår"] == 2025) & (nki["område"] == "totalt") & (nki["mått"] == "NKI")]
    for name, value in zip(rows["kommun"], rows["värde"]):
        code = next(c for c, n in load_plan().members.items() if n == name)
        page = (example_run / "2025" / "kommuner" / f"{member_stem(code, name)}.html").read_text(encoding="utf-8")
        shown = f"{value:.1f}".replace(".", ",")
        assert f"NKI mätår 2025 är {shown}" in page, name


@pytest.mark.e2e
def test_one_kommunblad_by_name(tmp_path):
    results = run_periods(
        [Period(2025)], EXAMPLE_DATA_DIR, tmp_path, notebooks=[KOMMUNBLAD], members=["1884"], combine=False
    )
    assert [r.notebook for r in results] == ["40_kommunblad-1884_Nora"] and results[0].ok
    assert sorted(p.name for p in (tmp_path / "2025" / "kommuner").glob("*.html")) == ["1884_Nora.html"]


def test_the_leads_register_has_no_municipality_so_the_profile_says_so():
    assert "kommun" not in pd.Index(load_plan().members) and "kan inte delas upp per kommun" in (
        profile.text.marketing_text(0, "2025")
    )


def test_the_genitive_of_a_name_ending_in_s_takes_no_extra_s():
    assert [profile.text.genitive(n) for n in ("Örebro", "Hällefors", "Laxå")] == ["Örebros", "Hällefors", "Laxås"]
