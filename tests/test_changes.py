"""'Sedan förra rapporten' with hand-made pairs of reports: only changes of substance,
never a calendar effect; a plan change said, not shown as a result; revisions."""

from __future__ import annotations

import pytest

from bro_analysis.analysis import changes
from bro_analysis.analysis.forecast import Rules

NAMES = {"S1": "NKI", "S3": "Samverkansprojekt", "S4": "Verktyg", "I3": "Företag", "M3": "Stöd", "M2": "Konvertering"}


def rec(kr_id: str, period: str, status: str, value, **more) -> dict:
    base = {
        "id": kr_id,
        "text": f"{kr_id} text",
        "typ": "minst",
        "mål": 3,
        "utfall": value,
        "enhet": "projekt",
        "status": status,
        "mätår": None,
        "prognos_år": None,
        "prognos_chans": None,
        "period": period,
        "saknas": [],
        "löpande": True,
    }
    return {**base, **more}


@pytest.mark.parametrize(
    ("before", "now", "expected"),
    [
        ("2025", "2026", True),  # two full years
        ("2025", "2026-08", False),  # eight months against twelve
        ("2025-08", "2026-08", True),  # the same part of last year
        ("2026-04", "2026-08", True),  # the previous part-year report, both judged on forecasts
        ("2025-04", "2026-08", False),  # other lengths in other years
        ("2026-08", "2026", False),
    ],
)
def test_a_count_is_comparable_only_over_the_same_kind_of_period(before, now, expected):
    assert changes.comparable(rec("S3", before, "risk", 1), rec("S3", now, "risk", 1)) is expected


def test_nki_is_comparable_only_on_a_new_matar():
    old = rec("S1", "2025", "ej uppnått", 77.4, mätår=2025)
    assert not changes.comparable(old, rec("S1", "2026-08", "kan inte bedömas", 77.4, mätår=2025))
    assert changes.comparable(old, rec("S1", "2026", "uppnått", 80.2, mätår=2026))


def test_full_year_then_part_year_lists_no_calendar_effect():
    """The 2026-08 report against the 2025 one: 4 projects → 2, 11 supported → 7 and
    'ej uppnått → risk' are eight months against twelve; only a target reached and a
    state that changed are news."""
    before = [
        rec("S1", "2025", "ej uppnått", 77.4, mätår=2025, enhet="NKI", mål=80),
        rec("S3", "2025", "uppnått", 4),
        rec(
            "S4",
            "2025",
            "ej uppnått",
            10,
            typ="alla",
            mål=12,
            enhet="kommuner",
            löpande=False,
            saknas=["Laxå", "Ljusnarsberg"],
        ),
        rec("I3", "2025", "ej uppnått", 14, mål=15, enhet="företag"),
        rec("M3", "2025", "ej uppnått", 11, typ="alla", mål=12, enhet="kommuner", saknas=["Lekeberg"]),
    ]
    now = [
        rec("S1", "2026-08", "kan inte bedömas", 77.4, mätår=2025, enhet="NKI", mål=80),
        rec("S3", "2026-08", "på väg", 2),
        rec("S4", "2026-08", "risk", 11, typ="alla", mål=12, enhet="kommuner", löpande=False, saknas=["Laxå"]),
        rec("I3", "2026-08", "uppnått", 16, mål=15, enhet="företag"),
        rec("M3", "2026-08", "risk", 7, typ="alla", mål=12, enhet="kommuner", saknas=["Askersund", "Örebro"]),
    ]
    found = changes.since(now, before, NAMES)
    assert [(c.id, c.kind, c.text) for c in found] == [
        ("I3", "nått", "I3 Företag har nått helårsmålet: 16 företag (minst 15)."),
        ("S4", "kommuner", "Ljusnarsberg uppfyller nu S4 Verktyg."),
    ]
    assert changes.lead(found, "rapporten för 2025") == (
        "Det viktigaste sedan rapporten för 2025: I3 Företag har nått helårsmålet: 16 företag (minst 15); "
        "Ljusnarsberg uppfyller nu S4 Verktyg."
    )


def test_two_full_years_list_status_changes_members_and_targets_out_of_reach():
    before = [
        rec("S3", "2025", "uppnått", 4),
        rec("M3", "2025", "ej uppnått", 11, typ="alla", mål=12, enhet="kommuner", saknas=["Lekeberg"]),
        rec("M2", "2025", "uppnått", 16.0, typ="ökning", mål=20, enhet="%"),
    ]
    now = [
        rec("S3", "2026", "ej uppnått", 2),
        rec("M3", "2026", "ej uppnått", 11, typ="alla", mål=12, enhet="kommuner", saknas=["Nora"]),
        rec("M2", "2026", "ej uppnått", 17.0, typ="ökning", mål=20, enhet="%"),
    ]
    texts = [c.text for c in changes.since(now, before, NAMES)]
    assert texts == [
        "S3 Samverkansprojekt når inte målet: 2 projekt (minst 3).",
        "M2 Konvertering når inte målet: 17 % (minst +20\u00a0%).",
        "Lekeberg uppfyller nu M3 Stöd.",
        "Nora uppfyller inte längre M3 Stöd.",
    ]


def test_a_changed_target_is_said_and_not_shown_as_a_result():
    before = [rec("S3", "2025", "uppnått", 4, mål=3)]
    now = [rec("S3", "2026", "ej uppnått", 4, mål=5)]
    (change,) = changes.since(now, before, NAMES)
    assert change.kind == "plan"
    assert change.text == (
        "Planen har ändrat målet för S3 Samverkansprojekt från minst 3 till minst 5; statusen jämförs därför inte."
    )


def test_new_and_removed_key_results_and_a_forecast_turning_unlikely():
    before = [rec("M1", "2026-04", "på väg", 1), rec("S3", "2026-04", "på väg", 1, prognos_år=2026, prognos_chans=0.5)]
    now = [rec("S3", "2026-08", "på väg", 1, prognos_år=2026, prognos_chans=0.1), rec("X1", "2026-08", "på väg", 1)]
    texts = [c.text for c in changes.since(now, before, NAMES, Rules())]
    assert texts == [
        "S3 Samverkansprojekt: prognosen säger nu att målet 2026 troligen inte nås.",
        "Nytt i planen: X1 X1 text.",
        "Finns inte längre i planen: M1 M1 text.",
    ]


def test_nothing_of_substance_is_said_in_one_sentence():
    before = [rec("S3", "2025", "uppnått", 4)]
    now = [rec("S3", "2026-08", "på väg", 2)]
    assert changes.since(now, before, NAMES) == []
    assert changes.lead([], "rapporten för 2025").startswith(
        "Inget nyckelresultat har ändrats i sak sedan rapporten för 2025"
    )


def test_revisions_of_a_published_report():
    published = [
        rec("I1", "2025", "ej uppnått", 1272, enhet="MSEK", typ="ökning", mål=0),
        rec("S3", "2025", "uppnått", 4),
    ]
    today = [
        rec("I1", "2025", "ej uppnått", 1205.4, enhet="MSEK", typ="ökning", mål=0),
        rec("S3", "2025", "uppnått", 4),
    ]
    (change,) = changes.revisions(published, today, "för 2025", "ändrade indata: investeringar.csv")
    assert change.kind == "revidering" and change.id == "I1"
    assert change.text == (
        "Reviderat sedan rapporten för 2025: I1 1\u00a0272 MSEK → 1\u00a0205,4 MSEK, ändrade indata: investeringar.csv."
    )
    assert changes.revisions(published, published, "för 2025") == []


def test_okr_csv_writes_the_members_missing_as_names():
    from bro_analysis.running.combine import summary_csv

    text = summary_csv([{"id": "S4", "saknas": ["Laxå", "Nora"], "löpande": False}]).decode("utf-8-sig")
    assert text == "id;saknas;löpande\nS4;Laxå, Nora;nej\n"
