"""The seeded example-data generator: deterministic, committed, loadable, plausible."""

from __future__ import annotations

import datetime as dt
import re

import numpy as np
import pandas as pd
import pytest

from bro_analysis.core.config import EXAMPLE_DATA_DIR, EXAMPLE_MARKER, load_plan
from bro_analysis.input import example_data
from bro_analysis.input.contracts import TABLES
from bro_analysis.input.loading import load_dataset

END = pd.Timestamp(example_data.DATA_END)
SMALL = ("Ljusnarsberg", "Laxå", "Hällefors", "Degerfors")
# Optional columns the example leaves out on purpose: its NKI is SKR Insikt's own export, so
# no row says it came through Kolada (`bro-analysis kolada import` writes källa).
NOT_IN_EXAMPLE = {("nki", "källa"), ("nki_riket", "källa")}


def _example_columns(table) -> list[str]:
    return [c.name for c in table.columns if (table.name, c.name) not in NOT_IN_EXAMPLE]


@pytest.fixture(scope="module")
def generated_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("example")
    example_data.write_example_data(out)
    return out


@pytest.fixture(scope="module")
def ds(generated_dir):
    return load_dataset(generated_dir)


def _files(folder):
    """Every file of the folder and its subfolders (bedomningar/), by relative path."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


# --- determinism and the committed copy ------------------------------------------


def test_same_seed_gives_identical_bytes(generated_dir, tmp_path):
    paths = example_data.write_example_data(tmp_path)
    assert {p.relative_to(tmp_path).as_posix() for p in paths} == {f"{t.stem}.csv" for t in TABLES.values()} | {
        EXAMPLE_MARKER,
        "bedomningar/2025.md",
        "bedomningar/2026-08.md",
    }
    assert _files(tmp_path) == _files(generated_dir)


def test_other_seed_gives_other_data(generated_dir, tmp_path):
    example_data.write_example_data(tmp_path, seed=7)
    assert (tmp_path / "nki.csv").read_bytes() != (generated_dir / "nki.csv").read_bytes()
    load_dataset(tmp_path)  # any seed gives valid data


def test_committed_files_equal_fresh_generation(generated_dir):
    committed = _files(EXAMPLE_DATA_DIR)
    fresh = _files(generated_dir)
    assert sorted(committed) == sorted(fresh), "data/example har andra filer än generatorn skapar"
    stale = [name for name in fresh if committed[name] != fresh[name]]
    assert not stale, f"{stale} skiljer sig från generatorn; kör `make example-data`"


def test_file_format_and_size(generated_dir):
    total = 0
    for table in TABLES.values():
        raw = (generated_dir / f"{table.stem}.csv").read_bytes()
        total += len(raw)
        assert raw.startswith(b"\xef\xbb\xbf")
        header = raw[3:].decode("utf-8").splitlines()[0]
        assert header.split(";") == _example_columns(table)
    assert total < 2_000_000
    assert (generated_dir / "nki_riket.csv").stat().st_size < 1_000_000
    nki = (generated_dir / "nki.csv").read_text(encoding="utf-8-sig")
    assert re.search(r";\d+,\d;", nki)  # decimal comma
    assert ".5;" not in nki
    marker = (generated_dir / EXAMPLE_MARKER).read_text(encoding="utf-8")
    assert "påhittade" in marker and "make example-data" in marker


def test_generate_matches_schema_columns():
    tables = example_data.generate(example_data.DEFAULT_SEED)
    assert list(tables) == list(TABLES)
    for name, frame in tables.items():
        assert list(frame.columns) == _example_columns(TABLES[name])


# --- loading ---------------------------------------------------------------------------


def test_every_table_loads_with_only_the_planted_warning(ds):
    """One record's source says estimate while its flag says not (planted for validate)."""
    assert set(ds.tables) == set(TABLES)
    assert len(ds.warnings) == 1 and 'källa "BRO:s uppskattning" låter som en uppskattning' in ds.warnings[0]
    assert ds.is_example
    for name, frame in ds.tables.items():
        assert len(frame) > 0, name


def test_no_personal_data_in_leads(ds):
    personal = set(TABLES["leads"].personal_data)
    assert not personal & set(ds["leads"].columns)


# --- kommuner -----------------------------------------------------------------------------


def test_kommuner_population_and_tools(ds):
    k = ds["kommuner"]
    plan = load_plan()
    assert sorted(k["år"].unique()) == list(range(2019, 2027))
    assert (k.groupby("år").size() == len(plan.members)).all()
    pop = k[k["år"] == 2025].set_index("kommun")["folkmängd"]
    assert 150_000 < pop["Örebro"] < 165_000
    assert 27_000 < pop["Karlskoga"] < 33_000
    assert 4_000 < pop["Ljusnarsberg"] < 5_500
    assert pop.idxmin() == "Ljusnarsberg"
    per_year = k.groupby("år")[["syna", "objektvision"]].sum()
    assert per_year["syna"].is_monotonic_increasing and per_year["objektvision"].is_monotonic_increasing
    assert per_year.loc[2019].sum() < per_year.loc[2025].sum()
    k25 = k[k["år"] == 2025]
    assert 1 <= (~(k25["syna"] & k25["objektvision"])).sum() <= 2
    for year in (2025, 2026):
        assert 1 <= (~k[k["år"] == year]["etableringsberedskap"]).sum() <= 2


# --- NKI ---------------------------------------------------------------------------------


def test_nki_years_members_and_gaps(ds):
    nki = ds["nki"]
    assert sorted(nki["mätår"].unique()) == list(range(2019, 2026))
    assert nki["kommun"].nunique() == 12
    assert nki[nki["kommun"] == "Lekeberg"]["mätår"].min() == 2021
    y2020 = set(nki[nki["mätår"] == 2020]["område"])
    assert "markupplåtelse" not in y2020 and "serveringstillstånd" not in y2020
    missing_fire = [(y, m) for (y, m), g in nki.groupby(["mätår", "kommun"]) if "brandskydd" not in set(g["område"])]
    assert len(missing_fire) >= 3 and all(m in SMALL for _, m in missing_fire)
    # every (mätår, kommun, område) has all seven measures
    assert (nki.groupby(["mätår", "kommun", "område"]).size() == 7).all()


def test_nki_levels(ds):
    nki = ds["nki"]
    total = nki[(nki["område"] == "totalt") & (nki["mått"] == "NKI")]
    mean = total.groupby("mätår")["värde"].mean()
    assert 67 <= mean[2019] <= 72
    assert 76 <= mean[2025] < 80
    assert mean[2025] - mean[2019] >= 5
    assert (total[total["mätår"] >= 2023]["värde"] > 80).any()
    areas = nki[(nki["område"] != "totalt") & (nki["mått"] == "NKI") & (nki["mätår"] == 2025)]
    assert (areas["värde"] < 70).any()
    assert nki["värde"].between(60, 85).mean() > 0.7
    factors = nki[nki["mått"] != "NKI"].groupby("mått")["värde"].mean().sort_values()
    assert set(factors.index[:2]) == {"effektivitet", "information"}


def test_nki_responses(ds):
    nki = ds["nki"]
    areas = nki[(nki["område"] != "totalt") & (nki["mått"] == "NKI")]
    assert (areas["antal_svar"] < 7).any()
    few = set(areas[areas["antal_svar"] < 7]["kommun"])
    assert few & set(SMALL) and "Örebro" not in few
    total = nki[(nki["område"] == "totalt") & (nki["mått"] == "NKI") & (nki["mätår"] == 2025)]
    n = total.set_index("kommun")["antal_svar"]
    assert n["Örebro"] > 5 * max(n[m] for m in SMALL)


def test_nki_totalt_is_weighted_mean_of_included_areas(ds):
    nki = ds["nki"][ds["nki"]["mått"] == "NKI"]
    mandatory = set(example_data.MANDATORY_FROM_2024)
    for (year, kommun), g in nki.groupby(["mätår", "kommun"]):
        areas = g[g["område"] != "totalt"]
        if year >= 2024:
            areas = areas[areas["område"].isin(mandatory)]
        total = g[g["område"] == "totalt"].iloc[0]
        expected = np.average(areas["värde"], weights=areas["antal_svar"])
        assert abs(total["värde"] - expected) <= 0.1, (year, kommun)
        assert total["antal_svar"] == areas["antal_svar"].sum()
    assert {"brandskydd", "markupplåtelse"} <= set(nki[nki["mätår"] == 2025]["område"])


def test_nki_confidence_intervals(ds):
    nki = ds["nki"]
    has_ci = nki["ki_nedre"].notna() & nki["ki_övre"].notna()
    assert has_ci.mean() > 0.5
    blank_years = set(nki.loc[~has_ci, "mätår"])
    assert blank_years and (nki.groupby("mätår").apply(lambda g: g["ki_nedre"].isna().all())[sorted(blank_years)]).all()
    ci = nki[has_ci]
    assert ((ci["ki_nedre"] <= ci["värde"]) & (ci["värde"] <= ci["ki_övre"])).all()
    assert ci["ki_nedre"].min() >= 0 and ci["ki_övre"].max() <= 100
    half = 1.96 * 18 / np.sqrt(ci["antal_svar"].astype(float))
    unclipped = (ci["värde"] - half > 0) & (ci["värde"] + half < 100)
    width = (ci["ki_övre"] - ci["ki_nedre"])[unclipped]
    assert np.allclose(width, 2 * half[unclipped], atol=0.15)


def test_nki_riket(ds):
    riket = ds["nki_riket"]
    nki = ds["nki"]
    plan = load_plan()
    assert 280 <= riket["kommunkod"].nunique() <= 300
    assert riket["kommunkod"].str.fullmatch(r"\d{4}").all()
    assert set(plan.members) <= set(riket["kommunkod"])
    assert riket["kommunkod"].str.startswith("01").any()
    assert set(riket["område"]) == {"totalt"} and set(riket["mått"]) == {"NKI"}
    assert sorted(riket["mätår"].unique()) == list(range(2019, 2026))
    median = riket.groupby("mätår")["värde"].median()
    assert median.between(69.5, 74.5).all()
    own = nki[(nki["område"] == "totalt") & (nki["mått"] == "NKI")].set_index(["mätår", "kommunkod"])
    theirs = riket[riket["kommunkod"].isin(plan.members)].set_index(["mätår", "kommunkod"])
    assert sorted(own.index) == sorted(theirs.index)
    assert (own.loc[theirs.index, "värde"] == theirs["värde"]).all()
    assert (own.loc[theirs.index, "antal_svar"] == theirs["antal_svar"]).all()


# --- investments ------------------------------------------------------------------------


def test_investments(ds):
    inv = ds["investeringar"]
    plan = load_plan()
    assert inv["id"].str.fullmatch(r"INV-\d{4}-\d{3}").all() and inv["id"].is_unique
    per_year = inv.groupby(inv["första_kontakt"].dt.year).size()
    assert list(per_year.index) == list(range(2019, 2027))
    assert per_year.drop(2026).between(25, 45).all() and per_year[2026] >= 15
    assert inv["första_kontakt"].max() <= END
    assert inv["kommun"].nunique() >= 10
    assert inv["kommun"].value_counts().idxmax() == "Örebro"
    assert inv["målområde"].isin(plan.priority_areas).mean() > 0.6
    assert inv["målområde"].isin(plan.other_areas).any()
    assert set(inv["skede"]) == {"lead", "dialog", "beslut", "etablerad", "förlorad"}
    old = inv[inv["första_kontakt"].dt.year <= 2021]
    new = inv[inv["första_kontakt"].dt.year >= 2025]
    closed = ("beslut", "etablerad", "förlorad")
    assert old["skede"].isin(closed).mean() > new["skede"].isin(closed).mean() + 0.2
    decided = inv[inv["skede"].isin(["beslut", "etablerad"])]
    assert decided["beslutsdatum"].notna().all()
    assert (decided["beslutsdatum"] > decided["första_kontakt"]).all()
    assert inv["beslutsdatum"].max() <= END


def test_investment_values_heavy_tailed(ds):
    inv = ds["investeringar"]
    value = inv["investeringsvärde_msek"].dropna()
    assert 10 <= value.median() <= 40
    assert 3 <= (value >= 1000).sum() <= 6 and value.max() <= 5000
    assert value.mean() > 2 * value.median()
    big = inv[inv["investeringsvärde_msek"] >= 1000]
    assert big["målområde"].isin(["logistik", "industri", "innovation och tech"]).all()
    blank = inv[inv["investeringsvärde_msek"].isna()]
    assert len(blank) > 0 and blank["skede"].isin(["lead", "dialog"]).all()
    jobs = inv.dropna(subset=["investeringsvärde_msek", "arbetstillfällen"])
    assert jobs["investeringsvärde_msek"].corr(jobs["arbetstillfällen"].astype(float), method="spearman") > 0.5
    estimate = inv.groupby("skede")["uppskattat_värde"].mean()
    assert estimate["lead"] > estimate["etablerad"]
    assert inv["uppskattat_värde"].any() and not inv["uppskattat_värde"].all()


# --- leads and arenas --------------------------------------------------------------------


def _conversion(frame):
    return (frame["steg"] == "konverterad").mean()


def test_leads(ds):
    leads = ds["leads"]
    assert leads["id"].is_unique
    assert leads["datum"].min() >= pd.Timestamp(2019, 1, 1) and leads["datum"].max() <= END
    per_year = leads.groupby(leads["datum"].dt.year).size()
    assert per_year.drop(2026).between(250, 400).all()
    full = leads[leads["datum"].dt.year < 2026]
    per_month = full.groupby(full["datum"].dt.month).size()
    assert per_month[7] < 0.6 * per_month.mean()
    late_dec = full[(full["datum"].dt.month == 12) & (full["datum"].dt.day >= 20)]
    early_dec = full[(full["datum"].dt.month == 12) & (full["datum"].dt.day < 20)]
    assert len(late_dec) < 0.3 * len(early_dec)
    assert set(leads["steg"]) == {"lead", "kvalificerad", "konverterad"}


def test_lead_conversion_by_channel_and_year(ds):
    leads = ds["leads"]
    by_channel = leads.groupby("kanal").apply(_conversion)
    assert len(by_channel) >= 5
    assert by_channel.idxmax() == "Partnerförmedlat"
    assert by_channel.idxmin() == "LinkedIn-kampanj"
    assert by_channel.max() > 4 * by_channel.min()
    by_year = leads.groupby(leads["datum"].dt.year).apply(_conversion)
    assert by_year.between(0.075, 0.16).all()
    change = by_year.pct_change().dropna()
    assert (change >= 0.20).any() and (change < 0.20).any()


def test_leads_refer_to_arenas(ds):
    leads, arenor = ds["leads"], ds["arenor"]
    tied = leads[leads["arena"].notna()]
    assert 0.05 < len(tied) / len(leads) < 0.4
    assert set(tied["arena"]) <= set(arenor["namn"])


def test_arenas(ds):
    arenor = ds["arenor"]
    per_year = arenor.groupby(arenor["datum"].dt.year).size()
    assert list(per_year.index) == list(range(2019, 2027))
    assert per_year.between(3, 7).all()
    assert set(arenor["typ"]) == {"nationell", "internationell"}
    assert {"Expo Real", "Almedalen", "Logistikdagarna", "MIPIM"} <= set(arenor["namn"])
    assert (~arenor["mål_formulerade"]).any()
    assert (~arenor["uppföljning_gjord"]).any()
    recent = arenor[arenor["datum"] >= pd.Timestamp(example_data.NO_FOLLOW_UP_FROM)]
    assert len(recent) > 0 and not recent["uppföljning_gjord"].any()
    assert arenor["datum"].max() <= END


# --- activities ------------------------------------------------------------------------


def test_activities(ds):
    akt = ds["aktiviteter"]
    plan = load_plan()
    assert akt["id"].is_unique and akt["datum"].max() <= END
    counts = akt.groupby([akt["datum"].dt.year, "typ"]).size().unstack(fill_value=0)
    assert list(counts.index) == list(range(2019, 2027))
    assert counts["workshop"].between(2, 6).all()
    assert counts["utbildning"].between(3, 8).all()
    assert counts["samverkansprojekt"].between(1, 4).all()
    assert (akt[akt["typ"] == "samverkansprojekt"]["kommuner"].map(len) >= 2).all()
    dialog = akt[akt["typ"] == "företagsdialog"]
    assert dialog["företag"].notna().all()
    distinct = dialog.groupby(dialog["datum"].dt.year)["företag"].nunique()
    assert distinct.between(10, 20).all()
    assert (dialog.groupby(dialog["datum"].dt.year).size() > distinct).any()  # repeats within a year
    assert dialog["företag"].nunique() < len(dialog)
    support = akt[akt["typ"] == "marknadsföringsstöd"]
    assert (support["kommuner"].map(len) == 1).all()
    supported = support.groupby(support["datum"].dt.year)["kommuner"].apply(lambda s: len({c for t in s for c in t}))
    assert (supported == len(plan.members)).any() and (supported < len(plan.members)).any()
    assert (akt["titel"] == example_data.HTML_TITLE).sum() == 1
    assert akt["titel"].str.contains(r'[<>&"]').sum() == 1


# --- scaling ----------------------------------------------------------------------------


def test_scale_multiplies_rows_and_stays_valid(tmp_path):
    tables = example_data.generate()
    scaled = example_data.scale(tables, 10)
    for name, frame in tables.items():
        factor = 10 if name in example_data.SCALED_TABLES else 1
        assert len(scaled[name]) == factor * len(frame), name
    example_data.write_tables(scaled, tmp_path)
    ds = load_dataset(tmp_path)
    for name in example_data.SCALED_TABLES:
        assert len(ds[name]) == 10 * len(tables[name])
        assert ds[name]["id"].is_unique
    assert len(example_data.scale(tables, 1)["leads"]) == len(tables["leads"])
    with pytest.raises(ValueError):
        example_data.scale(tables, 0)


def test_generation_does_not_depend_on_today():
    # The data ends at a fixed date, not at the current date.
    tables = example_data.generate()
    assert tables["leads"]["datum"].max() <= END
    assert dt.date(2026, 10, 31) == example_data.DATA_END


@pytest.mark.parametrize(
    "values, weights, expected",
    [
        ([74.9, 74.8], [1, 1], 74.9),  # exactly 74,85: half up, on every machine
        ([1.1, 1.2], [1, 1], 1.2),  # (1.1 + 1.2) / 2 is stored as 1.14999… in binary floating point
        ([0.1, 0.2], [3, 1], 0.1),  # 0,125 -> 0,1
        ([70.0, 80.0, 90.0], [2, 1, 1], 77.5),
        ([80.0], [7], 80.0),
    ],
)
def test_weighted_mean_is_exact_and_rounds_half_up(values, weights, expected):
    assert example_data.weighted_mean_1dp(values, weights) == expected


def test_weighted_mean_does_not_depend_on_floating_point():
    """Where float arithmetic lands a hair below the tie, the exact mean still rounds up."""
    values, weights = [1.1, 1.2], [1, 1]
    assert round(float(np.dot(values, weights) / sum(weights)), 1) == 1.1  # what floats give here
    assert example_data.weighted_mean_1dp(values, weights) == 1.2
