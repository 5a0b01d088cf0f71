"""data/README.md is generated from the contracts and must be current."""

from bro_analysis.core.config import DATA_DIR
from bro_analysis.input.contracts import TABLES
from bro_analysis.input.docs import data_readme


def test_data_readme_is_up_to_date():
    current = (DATA_DIR / "README.md").read_text(encoding="utf-8")
    assert current == data_readme(), "run `bro-analysis dokumentera` to regenerate data/README.md"


def test_every_column_is_documented():
    text = data_readme()
    for table in TABLES.values():
        assert f"`{table.stem}.csv`" in text
        for col in table.columns:
            assert f"| `{col.name}` |" in text
