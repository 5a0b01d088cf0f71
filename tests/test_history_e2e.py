"""Issue 25's 'done when' for "Sedan förra rapporten" and revisions, through the command
line: 2025 published, then January–August 2026 run against it; then one 2025 investment
lost, and the 2026-08 run lists I1's revision for 2025."""

from __future__ import annotations

import html as html_lib
import json
import re

import pytest
from bad_inputs.support import cli, copy_example, copy_outputs, read_rows, write_rows

from bro_analysis.running.combine import report_name

pytestmark = pytest.mark.e2e


def _section(out, period: str) -> list[str]:
    """'Sedan förra rapporten' as its lead sentence and items, plain text."""
    page = (out / period / report_name(period)).read_text(encoding="utf-8")
    part = page[page.index('id="sedan-forra"') : page.index("<nav")]
    lead = re.search(r'<p class="lead">(.*?)</p>', part, re.S)
    items = re.findall(r"<li>(.*?)</li>", part, re.S)
    return [html_lib.unescape(t) for t in ([lead.group(1)] if lead else []) + items]


@pytest.fixture
def published(example_run, tmp_path):
    """A copy of the example data and of the shared run, with 2025 published (each test its
    own: one of them changes the data)."""
    root = tmp_path
    data, out = copy_example(root / "data"), copy_outputs(example_run, root / "out")
    done = cli("publicera", "--period", "2025", "--data", str(data), "--out", str(out))
    assert done.returncode == 0, done.stderr
    return data, out


def test_since_the_published_full_year_lists_no_calendar_effect(published):
    data, out = published
    done = cli("run", "--period", "2026-08", "--data", str(data), "--out", str(out), "--utan-kommunblad")
    assert done.returncode == 0, done.stderr
    lead, *items = _section(out, "2026-08")
    assert lead.startswith("Det viktigaste sedan rapporten för 2025 (publicerad ")
    assert items == [
        "I3 Strategiska företag i samarbete har nått helårsmålet: 16 företag (minst 15).",
        "Ljusnarsberg uppfyller nu S4 Gemensamma verktyg i alla kommuner.",
        "Ljusnarsberg uppfyller inte längre I4 Etableringsberedskap i alla kommuner.",
    ]
    records = json.loads((out / "2026-08" / "okr.json").read_text(encoding="utf-8"))
    assert all(r["revidering"] == "" for r in records)
    for r in records:  # every Föregående names its period
        assert r["föregående_utfall"] is None or r["föregående_period"], r["id"]


def test_a_lost_2025_investment_is_listed_as_a_revision_of_i1(published):
    data, out = published
    rows = read_rows(data / "investeringar.csv")
    row = next(r for r in rows if r[0] == "INV-2023-015")  # logistik, decided 2025-10-02, 91,3 MSEK
    row[rows[0].index("skede")] = "förlorad"
    write_rows(data / "investeringar.csv", rows)
    log = read_rows(data / "investeringar_skeden.csv")
    write_rows(data / "investeringar_skeden.csv", [*log, ["INV-2023-015", "förlorad", "2026-05-10"]])
    done = cli("run", "--period", "2026-08", "--data", str(data), "--out", str(out), "--utan-kommunblad")
    assert done.returncode == 0, done.stderr
    published_i1 = json.loads(next((out / "arkiv" / "2025").glob("*/okr.json")).read_text(encoding="utf-8"))
    before = next(r for r in published_i1 if r["id"] == "I1")["utfall"]
    revision = [t for t in _section(out, "2026-08") if t.startswith("Reviderat")]
    assert len(revision) == 1
    assert revision[0].startswith("Reviderat sedan rapporten för 2025 (publicerad ")
    assert f": I1 {before:,.0f}".replace(",", "\u00a0") in revision[0]
    assert "INV-2023-015 skede beslut → förlorad" in revision[0]
    i1 = next(r for r in json.loads((out / "2026-08" / "okr.json").read_text(encoding="utf-8")) if r["id"] == "I1")
    assert i1["revidering"] == revision[0]
