"""Kommunblad: one two-page profile per member municipality and period. The municipality
parameter is normalised (code or name, a number that lost its leading zero) and checked
before any cell runs; each profile's figures are the municipality's rows of the area
analyses, checked here against plain pandas on the example data."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from fixture_plan import context, require_live
from report_pages import PERIODS, page_path

from bro_analysis.analysis import overview, profile
from bro_analysis.core.config import EXAMPLE_DATA_DIR, NOTEBOOKS_DIR, MemberError, Plan, load_plan
from bro_analysis.core.periods import Period
from bro_analysis.presentation import blocks
from bro_analysis.presentation.formatting import fmt_msek
from bro_analysis.running import cli
from bro_analysis.running.combine import report_name
from bro_analysis.running.runner import member_stem, run_periods

KOMMUNBLAD = NOTEBOOKS_DIR / "40_kommunblad.ipynb"


@pytest.fixture(scope="module")
def ctx():
    return context("2025")


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
    areas = profile.numbers.service_areas(ctx, "Örebro").set_index("område")["värde"]
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
    nki = context("2025").dataset["nki"]
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


# --- issue 26: the kommunblad tied to the plan ----------------------------------------------------


@pytest.fixture(scope="module")
def parts_2025(ctx):
    results = overview.outcomes(ctx)
    return {code: profile.numbers.key_result_parts(ctx, code, name, results) for code, name in ctx.plan.members.items()}


def _part(parts: pd.DataFrame, kr: str) -> dict:
    return parts.set_index("id").loc[kr].to_dict() | {"id": kr}  # the example plan's ids


def test_the_box_says_who_holds_back_i4_from_the_readiness_column(ctx, parts_2025):
    kom = ctx.dataset["kommuner"]
    year = kom[kom["år"] == 2025]
    not_ready = set(year.loc[year["etableringsberedskap"] == False, "kommunkod"])  # noqa: E712
    assert not_ready == {"1863"}  # Hällefors' "nej" is why I4 fails in the example data
    for code, parts in parts_2025.items():
        expected = "håller tillbaka" if code in not_ready else "bidrar"
        assert _part(parts, "I4")["roll"] == expected, code
    sentence = profile.text.key_result_part(_part(parts_2025["1863"], "I4"), "2025")
    assert sentence == "Håller tillbaka: har inte beredskap."


def test_the_box_says_who_got_no_marketing_support_for_m3(ctx, parts_2025):
    acts = ctx.dataset["aktiviteter"]
    support = acts[(acts["typ"] == "marknadsföringsstöd") & (acts["datum"].dt.year == 2025)]
    supported = {code for codes in support["kommuner"] for code in codes}
    without = set(ctx.plan.members) - supported
    assert without == {"1814"}  # Lekeberg
    for code, parts in parts_2025.items():
        assert _part(parts, "M3")["roll"] == ("håller tillbaka" if code in without else "bidrar"), code


def test_the_box_marks_lekebergs_bygglov_under_the_plans_70(ctx, parts_2025):
    nki = ctx.dataset["nki"]
    row = nki[(nki["kommun"] == "Lekeberg") & (nki["mätår"] == 2025) & (nki["område"] == "bygglov")]
    row = row[row["mått"] == "NKI"].iloc[0]
    assert row["värde"] == pytest.approx(68.5) and row["värde"] < ctx.plan.key_result("S2").target
    s2 = _part(parts_2025["1814"], "S2")
    assert s2["roll"] == "håller tillbaka" and s2["under"] == [("bygglov", pytest.approx(68.5))]
    assert profile.text.key_result_part(s2, "2025") == "Håller tillbaka: bygglov 68,5, under 70."
    areas = profile.tables.service_areas_table(profile.numbers.service_areas(ctx, "Lekeberg"), 70)
    assert areas.set_index("Myndighetsområde").at["bygglov", "Mot planens 70"] == "under 70"


def test_the_box_counts_the_municipalitys_share_of_s3_s5_and_i2(ctx, parts_2025):
    acts = ctx.dataset["aktiviteter"]
    in_2025 = acts[acts["datum"].dt.year == 2025]
    workshops = in_2025[in_2025["typ"] == "workshop"]
    s5 = _part(parts_2025["1880"], "S5")
    assert (s5["antal"], s5["av"]) == (int(workshops["kommuner"].map(lambda c: "1880" in c).sum()), len(workshops))
    projects = in_2025[(in_2025["typ"] == "samverkansprojekt") & (in_2025["kommuner"].map(len) >= 2)]
    s3 = _part(parts_2025["1863"], "S3")
    assert (s3["antal"], s3["av"]) == (int(projects["kommuner"].map(lambda c: "1863" in c).sum()), len(projects))
    assert s3["roll"] == ("deltar" if s3["antal"] else "deltar inte")


def test_a_municipality_with_no_investments_gets_the_zero_sentence(ctx):
    inv = ctx.dataset["investeringar"]
    decided = inv[inv["skede"].isin(["beslut", "etablerad"]) & (inv["beslutsdatum"].dt.year == 2025)]
    assert "1814" not in set(decided["kommunkod"])  # Lekeberg decided nothing in 2025
    text = profile.text.investments_text(
        profile.numbers.investments(ctx, "1814"),
        profile.numbers.stages(ctx, "1814"),
        "2025",
        priority=profile.numbers.priority_investments(ctx, "1814"),
    )
    assert text.startswith("Inga investeringsprojekt beslutades i kommunen under 2025.")
    assert "0 investeringsprojekt" not in text and "0,0" not in text


def test_orebros_investments_are_labelled_all_sectors_beside_the_priority_areas(ctx):
    inv = ctx.dataset["investeringar"]
    decided = inv[
        (inv["kommunkod"] == "1880")
        & inv["skede"].isin(["beslut", "etablerad"])
        & (inv["beslutsdatum"].dt.year == 2025)
    ]
    prioritised = decided[decided["målområde"].isin(list(ctx.plan.priority_areas))]
    priority = profile.numbers.priority_investments(ctx, "1880")
    assert priority["värde_msek"] == pytest.approx(prioritised["investeringsvärde_msek"].sum())
    text = profile.text.investments_text(
        profile.numbers.investments(ctx, "1880"), profile.numbers.stages(ctx, "1880"), "2025", priority=priority
    )
    assert "(alla branscher)" in text and "prioriterade målområden, som nämndrapporten räknar" in text
    frame = profile.numbers.since_previous(ctx, "1880", "Örebro")
    assert "Beslutat investeringsvärde, alla branscher, MSEK" in set(frame["mått"])
    before = profile.text.previous_text(frame, "2024")
    assert "alla branscher" in before and fmt_msek(frame.set_index("mått").iloc[1]["före"]) in before


def test_a_decision_after_the_period_is_not_a_contradiction():
    ctx = context("2026-08")
    # Hällefors' only new project of the period is at beslut today, decided after August
    assert profile.numbers.decided_after(ctx, "1863") == 1
    text = profile.text.investments_text(
        profile.numbers.investments(ctx, "1863"),
        profile.numbers.stages(ctx, "1863"),
        ctx.period.label,
        decided_later=profile.numbers.decided_after(ctx, "1863"),
    )
    assert text.startswith("Inga investeringsprojekt beslutades")
    assert "i dag i skedet beslut. Det beslutades efter periodens slut" in text


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ('Workshop: "Bygglov & miljö" <steg 2>', "Workshop: ”Bygglov & miljö” (steg 2)"),
        ("<b>Fet</b> text", "(b)Fet text"),  # the words stay; only the closing tag goes
        ("a < b > c", "a < b > c"),  # not a tag
        ("  två   mellanslag ", "två mellanslag"),
        (None, ""),
    ],
)
def test_register_text_is_cleaned_without_hiding_content(raw, shown):
    assert profile.text.clean(raw) == shown


def test_numbers_in_the_kommunblad_tables_are_right_aligned(ctx):
    areas = profile.tables.service_areas_table(profile.numbers.service_areas(ctx, "Örebro"), 70)
    html = blocks.table_html(areas, "c", formats=profile.tables.AREA_FORMATS)
    cells = re.findall(r'<td class="num"[^>]*>([^<]+)</td>', html)
    assert len(cells) == 2 * len(areas) and all(re.fullmatch(r"\d+,\d", c) for c in cells)


def test_the_nki_chart_alt_text_states_every_value(ctx):
    history = profile.numbers.nki_history(ctx, "Örebro")
    nki = ctx.dataset["nki"]
    own = nki[(nki["kommun"] == "Örebro") & (nki["område"] == "totalt") & (nki["mått"] == "NKI")]
    alt = profile.text.nki_years_alt(history, "Örebro", 80)
    for year, value in zip(own["mätår"], own["värde"]):
        assert f"{year} {value:.1f}".replace(".", ",") in alt
    profile.figures.nki_years(history, "Örebro", 80, 2022)  # draws without error


def test_the_footer_links_back_to_the_report_and_names_the_contact(ctx):
    html = profile.text.footer(profile.numbers.report_href(ctx), {"namn": "BRO", "e-post": "a@b.se", "telefon": "<1>"})
    assert f'href="../{report_name("2025")}"' in html
    assert '<a href="mailto:a@b.se">a@b.se</a>' in html and "&lt;1&gt;" in html


@pytest.mark.e2e
@pytest.mark.parametrize("period", PERIODS)
def test_every_kommunblad_has_the_key_result_box_and_links_back(example_run, period):
    pages = sorted((example_run / period / "kommuner").glob("*.html"))
    assert len(pages) == len(load_plan().members)
    headings = set()
    for path in pages:
        page = path.read_text(encoding="utf-8")
        headings.add(re.search(r"<h1>([^<]+)</h1>", page).group(1))
        assert page.index("<h2>Kommunen och planens nyckelresultat</h2>") < page.index("<h2>Myndighetsservice (NKI)")
        href = re.search(r'<a href="(\.\./[^"]+)">Hela nämndrapporten', page).group(1)
        assert (path.parent / href).resolve() == (example_run / period / report_name(period)).resolve()
        assert "&lt;steg 2&gt;" not in page and "mailto:" in page
        assert re.search(r'<td class="num"[^>]*>\d+,\d</td>', page) and '<img alt="Linjediagram över' in page
    assert len(headings) == len(load_plan().members)


@pytest.mark.e2e
def test_the_kommunblad_name_the_municipality_that_holds_a_key_result_back(example_run):
    def page(stem: str) -> str:
        return (example_run / "2025" / "kommuner" / f"{stem}.html").read_text(encoding="utf-8")

    require_live("I4", "M3", "S2")
    assert "Håller tillbaka: har inte beredskap." in page("1863_Hallefors")
    lekeberg = page("1814_Lekeberg")
    assert "Håller tillbaka: fick inget stöd under perioden." in lekeberg
    assert "Håller tillbaka: bygglov 68,5, under 70." in lekeberg
    assert "Inga investeringsprojekt beslutades i kommunen under 2025." in lekeberg
    assert "(alla branscher)" in page("1880_Orebro")


@pytest.mark.e2e
def test_the_twelve_kommunblad_titles_are_unique(example_run):
    titles = {
        re.search(r"<title>([^<]+)</title>", p.read_text(encoding="utf-8")).group(1)
        for p in (example_run / "2025" / "kommuner").glob("*.html")
    }
    assert len(titles) == len(load_plan().members)
