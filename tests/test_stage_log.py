"""The investment register's optional stage log (investeringar_skeden): the register as it
stood on a date, the projects that changed since a period, and the loader's checks against
the register. Expected frames are worked out by hand from the small register below."""

import shutil

import pandas as pd
import pytest

from bro_analysis.analysis.investments import stages
from bro_analysis.core.config import EXAMPLE_DATA_DIR
from bro_analysis.core.periods import Period
from bro_analysis.input import example_data
from bro_analysis.input.loading import DataError, load_dataset, stage_log_problems

T = pd.Timestamp

# P1 decided 2025-05-01 and lost 2026-02-01; P2 decided and established; P3 has no log entry;
# P4's log begins after its first contact; P5 decided 2025-03-01 and back in dialogue 2026-01-10.
REGISTER = pd.DataFrame(
    {
        "id": ["P1", "P2", "P3", "P4", "P5"],
        "företag": ["Alfa AB", "Beta AB", "Gamma AB", "Delta AB", "Epsilon AB"],
        "målområde": ["logistik", "logistik", "logistik", "handel", "logistik"],
        "skede": ["förlorad", "etablerad", "beslut", "dialog", "dialog"],
        "investeringsvärde_msek": [100.0, 50.0, 20.0, 5.0, 40.0],
        "första_kontakt": [T("2025-01-10"), T("2024-06-01"), T("2024-01-01"), T("2024-03-01"), T("2025-01-05")],
        "beslutsdatum": [pd.NaT, T("2024-11-01"), T("2025-02-01"), pd.NaT, pd.NaT],
    }
)
LOG = pd.DataFrame(
    [
        ("P1", "lead", "2025-01-10"),
        ("P1", "dialog", "2025-02-01"),
        ("P1", "beslut", "2025-05-01"),
        ("P1", "förlorad", "2026-02-01"),
        ("P2", "dialog", "2024-06-01"),
        ("P2", "beslut", "2024-11-01"),
        ("P2", "etablerad", "2025-06-01"),
        ("p4 ", "dialog", "2025-09-01"),  # the id as someone typed it: case and space do not count
        ("P5", "beslut", "2025-03-01"),
        ("P5", "dialog", "2026-01-10"),
    ],
    columns=["id", "skede", "datum"],
).assign(datum=lambda f: pd.to_datetime(f["datum"]))


def _stages(date: str) -> list[tuple]:
    frame = stages.stages_as_of(REGISTER, LOG, T(date))
    return list(zip(frame["id"], frame["skede"], frame["beslutsdatum"]))


def test_stages_as_of_a_date_in_2025():
    assert _stages("2025-06-30") == [
        ("P1", "beslut", T("2025-05-01")),  # decided then; the register has no beslutsdatum any more
        ("P2", "etablerad", T("2024-11-01")),
        ("P3", "beslut", T("2025-02-01")),  # no log entry: today's stage
        ("P4", "dialog", pd.NaT),  # before its first entry: the earliest entry's stage
        ("P5", "beslut", T("2025-03-01")),
    ]


def test_stages_as_of_an_earlier_and_a_later_date():
    assert _stages("2025-01-31") == [
        ("P1", "lead", pd.NaT),
        ("P2", "beslut", T("2024-11-01")),
        ("P3", "beslut", T("2025-02-01")),
        ("P4", "dialog", pd.NaT),
        ("P5", "beslut", T("2025-03-01")),  # its first entry (beslut) is after the date: still that
    ]
    assert _stages("2026-12-31") == list(zip(REGISTER["id"], REGISTER["skede"], REGISTER["beslutsdatum"]))


def test_stages_as_of_leaves_its_input_as_it_was():
    before = REGISTER.copy()
    stages.stages_as_of(REGISTER, LOG, T("2025-06-30"))
    pd.testing.assert_frame_equal(REGISTER, before)


def test_changed_since_names_projects_decided_then_and_not_now():
    changed = stages.changed_since(REGISTER, LOG, Period(2025), areas=["logistik"])
    assert changed[["id", "skede_då", "skede", "ändrat"]].values.tolist() == [
        ["P5", "beslut", "dialog", T("2026-01-10")],
        ["P1", "beslut", "förlorad", T("2026-02-01")],
    ]
    assert changed["investeringsvärde_msek"].tolist() == [40.0, 100.0]
    assert stages.changed_since(REGISTER, LOG, Period(2024), areas=["logistik"]).empty  # P2 is still decided
    assert stages.changed_since(REGISTER, LOG, Period(2025), areas=["handel"]).empty


def test_the_stage_texts():
    from bro_analysis.analysis.investments import text

    changed = stages.changed_since(REGISTER, LOG, Period(2025), areas=["logistik"])
    assert text.stage_changes_text(changed).replace("\xa0", " ") == (
        "ändrat skede sedan periodens slut: Epsilon AB (40,0 MSEK, beslut 2025-03-01, dialog från 2026-01-10), "
        "Alfa AB (100,0 MSEK, beslut 2025-05-01, förlorad från 2026-02-01)"
    )
    assert text.stage_changes_text(changed.iloc[0:0]) == ""
    assert "ingen skedeshistorik" in text.assumptions(stage_log=False)[1]
    assert not any("skedeshistorik" in t for t in text.assumptions())


# --- the loader -------------------------------------------------------------------------------


def _problems(log: pd.DataFrame, rows=None):
    log = log.copy()
    log.attrs["file_rows"] = rows or [i + 2 for i in range(len(log))]
    tables = {"investeringar": REGISTER, "investeringar_skeden": log}
    return stage_log_problems(tables, {"investeringar": "investeringar.xlsx", "investeringar_skeden": "sk.csv"})


def test_a_consistent_log_has_no_problems():
    assert _problems(LOG) == []
    assert stage_log_problems({"investeringar": REGISTER}, {}) == []  # no log: nothing to check


def test_unknown_id_early_date_and_a_latest_stage_other_than_the_register_are_named():
    bad = pd.concat(
        [
            LOG,
            pd.DataFrame({"id": ["P9"], "skede": ["dialog"], "datum": [T("2025-01-01")]}),
            pd.DataFrame({"id": ["P3"], "skede": ["dialog"], "datum": [T("2023-12-01")]}),
        ],
        ignore_index=True,
    )
    problems = _problems(bad)
    assert [(p.file, p.row, p.column, p.value) for p in problems] == [
        ("sk.csv", 12, "id", "P9"),
        ("sk.csv", 13, "datum", "2023-12-01"),
        ("sk.csv", 13, "skede", "dialog"),  # P3's latest stage here is dialog, beslut in the register
    ]
    assert "finns inte i investeringar.xlsx" in problems[0].message
    assert "före projektets första kontakt (2024-01-01 i investeringar.xlsx)" in problems[1].message
    assert "i investeringar.xlsx är det 'beslut'" in problems[2].message and "sk.csv" in problems[2].message


def test_the_rows_are_the_file_rows():
    bad = LOG.assign(skede=LOG["skede"].where(LOG.index != 3, "beslut"))  # P1 ends at beslut
    problems = _problems(bad, rows=[10 + i for i in range(len(bad))])
    assert [(p.row, p.column, p.value) for p in problems] == [(13, "skede", "beslut")]


def test_a_bad_log_in_a_data_folder_exits_with_the_file_row_and_value(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(EXAMPLE_DATA_DIR, data)
    path = data / "investeringar_skeden.csv"
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    lines.append("INV-1999-001;dialog;2025-01-01")
    lines.append(lines[1].rsplit(";", 1)[0] + ";" + lines[2].rsplit(";", 1)[1])  # a second stage on one day
    path.write_text("\n".join(lines) + "\n", encoding="utf-8-sig")
    with pytest.raises(DataError) as raised:
        load_dataset(data)
    text = str(raised.value)
    assert f"investeringar_skeden.csv, rad {len(lines)}, kolumn 'id, datum'" in text
    lines.pop()  # the duplicate is found first, on its own; without it the id is checked
    path.write_text("\n".join(lines) + "\n", encoding="utf-8-sig")
    with pytest.raises(DataError) as raised:
        load_dataset(data)
    assert f"investeringar_skeden.csv, rad {len(lines)}, kolumn 'id': värdet 'INV-1999-001'" in str(raised.value)


def test_without_the_log_the_report_says_the_stages_are_todays(tmp_path):
    from bro_analysis.analysis import assumptions
    from bro_analysis.analysis.context import open_context

    data = tmp_path / "data"
    shutil.copytree(EXAMPLE_DATA_DIR, data)
    (data / "investeringar_skeden.csv").unlink()
    texts = [t for _, t in assumptions.log(open_context("2025", data))]
    assert any(t.startswith("Investeringsregistret har ingen skedeshistorik") for t in texts)
    with_log = [t for _, t in assumptions.log(open_context("2025", EXAMPLE_DATA_DIR))]
    assert any("3 projekt som räknades som beslutade" in t for t in with_log)


# --- the example data ----------------------------------------------------------------------------


def test_the_example_log_agrees_with_the_register_and_has_changes_of_mind():
    tables = example_data.generate()
    register, log = tables["investeringar"], tables["investeringar_skeden"]
    assert stage_log_problems(tables, {}) == []
    assert not log.duplicated(["id", "datum"]).any()
    assert set(log["id"]) == set(register["id"])
    assert log["datum"].max() <= pd.Timestamp(example_data.DATA_END)
    changed = stages.changed_since(register, log, Period(2025))
    assert len(changed) == example_data.REVERSED_LOST + example_data.REVERSED_POSTPONED
    assert sorted(changed["skede"]) == ["dialog", "förlorad", "förlorad"]
    assert (changed["ändrat"].dt.year == 2026).all() and (changed["beslutsdatum"].dt.year == 2025).all()
