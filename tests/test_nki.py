"""NKI computations against hand-computed values."""
import pandas as pd
import pytest

from bro_analysis import nki


def _rows(records):
    return pd.DataFrame(records, columns=["mätår", "kommun", "område", "mått", "värde"])


def test_county_mean_is_unweighted_and_skips_missing_years():
    frame = _rows([
        (2023, "Kumla", "totalt", "NKI", 70.0),
        (2023, "Nora", "totalt", "NKI", 80.0),
        (2023, "Nora", "bygglov", "NKI", 10.0),        # other area: ignored
        (2023, "Nora", "totalt", "bemötande", 99.0),    # other measure: ignored
        (2025, "Kumla", "totalt", "NKI", 75.0),
    ])
    county = nki.county_mean(frame)
    assert county["mätår"].tolist() == [2023, 2025]  # 2024 is a gap, not a zero
    assert county["medel"].tolist() == pytest.approx([75.0, 75.0])
    assert county["antal_kommuner"].tolist() == [2, 1]


def test_county_text_states_target_and_change():
    county = pd.DataFrame({"mätår": [2023, 2025], "medel": [74.0, 81.25], "antal_kommuner": [12, 12]})
    text = nki.county_text(county, 2025, 80)
    assert "81,3" in text and "når målet 80" in text and "+7,3" in text
    assert "inget NKI-resultat" in nki.county_text(county, 2022, 80)
