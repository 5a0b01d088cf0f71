"""BRO's assessment beside the numbers: quoted numbers checked against the values shown,
page one grouped by the plan's objectives with a Bedömning per key result, the title
block, the draft mark, the template and the plan's objectives and owners."""

from __future__ import annotations

import datetime as dt
import re
from types import SimpleNamespace

import pytest
from fixture_plan import IDS, OKR_TEXT, PLAN, context

from bro_analysis.analysis import assessment, okr, overview
from bro_analysis.core.config import ConfigError, load_plan
from bro_analysis.core.files import write_new
from bro_analysis.core.periods import Period
from bro_analysis.input.assessments import read_assessment
from bro_analysis.presentation.blocks import assessment_html, assessment_list, key_result_table
from bro_analysis.running import cache
from bro_analysis.running.combine import DRAFT_BANNER, area_sections, page_one, running_header


def _row(**more) -> dict:
    row = {
        "id": "S1",
        "area": "Samverkan och näringslivsservice",
        "text": "NKI, länets genomsnitt",
        "value": "77,4 (mätår 2025)",
        "target": "minst 80",
        "previous": "76,8 (mätår 2024)",
        "status": okr.NOT_MET,
        "status_class": okr.status_class(okr.NOT_MET),
        "symbol": okr.SYMBOLS[okr.NOT_MET],
        "qualifier": "",
        "forecast": "2027: 80,7 (78,9–82,5), osäkert",
        "why_full": "2,6 under målet.",
        "why": "2,6 under målet.",
    }
    return {**row, **more}


def _read(tmp_path, text: str, period: str = "2026-08"):
    path = tmp_path / f"{period}.md"
    path.write_text(text, encoding="utf-8")
    return read_assessment(path, IDS, period, name=f"bedomningar/{period}.md")


# --- numbers quoted in the text ------------------------------------------------------


def test_quoted_numbers_skip_years_dates_days_and_ids():
    text = "S1 låg på 77,4 år 2025 (2026-09-15), den 31 augusti; 1\u00a0272 MSEK och 3 projekt, 2026 %."
    assert [(q.text, q.value, q.decimals) for q in assessment.quoted_numbers(text)] == [
        ("77,4", 77.4, 1),
        ("1\u00a0272", 1272.0, 0),
        ("3", 3.0, 0),
        ("2026", 2026.0, 0),  # a year-like number with a unit is a value
    ]


@pytest.mark.parametrize(
    ("written", "values", "current"),
    [
        ("77,4", [77.4], True),
        ("77,4", [77.6], False),  # the data moved on
        ("77", [77.4], True),  # written rounder than shown
        ("78", [77.6], True),
        ("77", [77.6], False),
        ("1 272", [1272.0], True),
        ("12", [], False),
    ],
)
def test_a_quoted_number_is_current_when_it_rounds_to_a_shown_value(written, values, current):
    (number,) = assessment.quoted_numbers(written)
    assert assessment.is_current(number, values) is current


def test_stale_numbers_name_key_line_number_and_value_today(tmp_path):
    judged = _read(
        tmp_path,
        "Diarienummer: RUN 1\n\n## S1\nBedömning: Målet 80 nås 2027.\n"
        "Orsak: Senast 77,4 mot 76,8.\n  Prognosen 80,7 i tolv kommuner, 12 av 12 svarade.\n"
        "Åtgärd: Utbildning för 14 kommuner.\n",
    )
    row = _row(value="77,6 (mätår 2025)")
    stale = assessment.stale_numbers(judged.sections["S1"], row, members=12)
    assert [(s.key, s.line, s.number, s.current) for s in stale] == [
        ("Orsak", 5, "77,4", "utfall 77,6 (mätår 2025), mål minst 80"),
        ("Åtgärd", 7, "14", "utfall 77,6 (mätår 2025), mål minst 80"),
    ]
    warning = assessment.stale_warning(judged, stale[0])
    assert warning.startswith("bedomningar/2026-08.md, rad 5: S1 (Orsak) nämner 77,4")
    assert warning.endswith("stämmer med dagens data (utfall 77,6 (mätår 2025), mål minst 80). Uppdatera texten.")


def test_join_marks_stale_numbers_and_fills_the_owner_from_the_plan(tmp_path):
    judged = _read(tmp_path, "## S1\nBedömning: NKI 77,5 nu.\nOrsak: Bygglov.\n")
    plan = SimpleNamespace(members=PLAN.members, key_result=lambda i: SimpleNamespace(owner="Samordnare"))
    rows, warnings = assessment.join(judged, plan, [_row(), _row(id="S2", value="lägst 72,6 (mätår 2025)")])
    assert rows[0]["assessment"] == {
        "bedömning": "NKI 77,5 nu.",
        "orsak": "Bygglov.",
        "åtgärd": "",
        "ansvarig": "Samordnare",
        "stale": {"bedömning": [("77,5", "utfall 77,4 (mätår 2025), mål minst 80")]},
    }
    assert rows[1]["assessment"]["bedömning"] == "" and len(warnings) == 1
    assert assessment.missing(rows) == ["S2"]
    assert assessment.missing_text(["S2"], 12) == "BRO:s bedömning saknas ännu för S2."
    assert assessment.missing_text(IDS, 12) == "BRO:s bedömning är inte skriven ännu för något nyckelresultat."


def test_the_file_s_owner_overrides_the_plan_s():
    kr = SimpleNamespace(owner="Marknadschef")
    section = SimpleNamespace(text=lambda key: {"Ansvarig": "Vd"}.get(key, ""))
    assert assessment.section_fields(kr, section)["ansvarig"] == "Vd"
    assert assessment.section_fields(kr, None)["ansvarig"] == "Marknadschef"


@pytest.mark.parametrize(
    ("why", "short"),
    [
        (
            "Målet är nått. 5 kommunresultat ligger under 70 (se avsnittet om NKI).",
            "5 kommunresultat ligger under 70 (se avsnittet om NKI).",
        ),
        ("Insikt 2026 är inte publicerad ännu; utfallet gäller mätår 2025.", "Insikt 2026 är inte publicerad ännu."),
        ("2 mot 2,2 i säsongstakt mot målet den 31 augusti.", "2 mot 2,2 i säsongstakt mot målet."),
        ("−82,8 % mot samma period föregående år. Hela 2025: 1 272 MSEK.", "−82,8 % mot samma period föregående år."),
        ("Målet är nått.", ""),
    ],
)
def test_page_one_says_the_first_reason_beyond_the_status(why, short):
    assert assessment.short_why(why) == short


def test_document_facts_and_draft(tmp_path):
    assert assessment.document(None) == {"utkast": True, "fil": ""}
    judged = _read(
        tmp_path,
        "Diarienummer: RUN 2026/1\nSammanträde: 2026-10-08\nHandläggare: Anna A, anna@example.se\n"
        "Förslag till beslut: Godkänna.\nSammanfattning: Bra.\nFastställd av: Ledningen\n"
        "Fastställd datum: 2026-09-30\n",
    )
    facts = assessment.document(judged)
    assert facts["utkast"] is False and facts["sammanträde"] == "2026-10-08"
    assert (facts["handläggare"], facts["e-post"], facts["fastställd_datum"]) == (
        "Anna A",
        "anna@example.se",
        "2026-09-30",
    )
    draft = _read(tmp_path, "Diarienummer: RUN 2026/1\nFastställd av:\n")
    assert assessment.document(draft)["utkast"] is True


# --- the template --------------------------------------------------------------------


def test_the_template_has_every_key_result_and_reads_back_empty(tmp_path):
    ctx = context("2026-08")
    rows = overview.page_one_rows(ctx, overview.outcomes(ctx))
    text = assessment.template(ctx.period, ctx.plan, rows, dt.date(2026, 12, 6))
    assert re.findall(r"^## (\S+)", text, re.M) == IDS
    assert "Beräknat 2026-12-06: utfall 77,4 (mätår 2025), mål minst 80" in text
    judged = _read(tmp_path, text, "2026-03")  # the template itself is a valid file
    assert list(judged.sections) == IDS and not judged.approved
    assert all(not s.text("Bedömning") for s in judged.sections.values())
    assert assessment.join(judged, ctx.plan, rows)[1] == []  # numbers in comments are not quoted


def test_write_new_never_replaces_a_file(tmp_path):
    path = write_new(tmp_path / "a" / "2026-03.md", "ett\n")
    assert path.read_text(encoding="utf-8") == "ett\n"
    with pytest.raises(FileExistsError):
        write_new(path, "två\n")
    assert path.read_text(encoding="utf-8") == "ett\n" and [p.name for p in path.parent.iterdir()] == ["2026-03.md"]


# --- page one, the sections and the running header ------------------------------------


def _info(**document) -> dict:
    rows = [
        {
            **_row(),
            "assessment": {
                "bedömning": "Nås 2027.",
                "orsak": "Bygglov.",
                "åtgärd": "Kurser.",
                "ansvarig": "Vd",
                "stale": {},
            },
        },
        {
            **_row(id="M2", area="Marknadsföring", text="Konverteringsgrad"),
            "assessment": {"bedömning": "", "orsak": "", "åtgärd": "", "ansvarig": "", "stale": {}},
        },
    ]
    return {
        "label": "januari–augusti 2026",
        "period": "2026-08",
        "example": False,
        "headline": "1 av 2 nyckelresultat är uppnått.",
        "baseline": "",
        "rows": rows,
        "objectives": [
            ["Samverkan och näringslivsservice", "BRO är en ledande kraft."],
            ["Marknadsföring", "Vi positionerar."],
        ],
        "document": {"utkast": True, **document},
        "missing": "BRO:s bedömning saknas ännu för M2.",
    }


def test_page_one_groups_key_results_under_the_objectives_with_bro_s_assessment():
    html = page_one(
        _info(
            utkast=False,
            diarienummer="RUN 2026/0123",
            handläggare="Anna A",
            **{"e-post": "anna@example.se"},
            förslag="Nämnden godkänner.",
            sammanfattning="Det går bra.",
            fastställd_av="Ledningen",
            fastställd_datum="2026-09-30",
        ),
        dt.date(2026, 12, 6),
    )
    groups = re.findall(r'<tr class="objective"><th scope="rowgroup" colspan="8">(.*?)</th></tr>', html)
    assert [re.sub(r"<[^>]+>", "", g) for g in groups] == [
        "Samverkan och näringslivsservice: BRO är en ledande kraft.",
        "Marknadsföring: Vi positionerar.",
    ]
    assert '<td class="assessment" data-label="BRO:s bedömning"><p>Nås 2027.</p></td>' in html
    assert '<td class="assessment missing" data-label="BRO:s bedömning">Ej skriven</td>' in html
    assert "RUN 2026/0123" in html and 'href="mailto:anna@example.se"' in html and "av Ledningen 2026-09-30" in html
    assert html.index("Förslag till beslut") < html.index("Sammanfattning") < html.index('class="key-results"')
    assert "Nämnden godkänner." in html and "Det går bra." in html and "saknas ännu för M2" in html
    assert DRAFT_BANNER not in html


def test_a_draft_says_so_on_page_one_and_in_the_running_header():
    info = _info(diarienummer="RUN 2026/0123")
    assert DRAFT_BANNER in page_one(info, dt.date(2026, 12, 6))
    assert running_header(info) == (
        "Uppföljning av verksamhetsplanen januari–augusti 2026 · Dnr RUN 2026/0123 · "
        "Utkast – bedömningen är inte fastställd"
    )
    approved = {**info, "example": True, "document": {"utkast": False}}
    assert running_header(approved) == "Uppföljning av verksamhetsplanen januari–augusti 2026 · Exempeldata"


def test_a_stale_sentence_is_marked_with_the_value_today():
    html = assessment_html("NKI var 77,5. Målet nås.\n\nNytt stycke.", [("77,5", "77,4 (mätår 2025)")])
    assert html == (
        '<p><mark class="stale">NKI var 77,5.</mark> <span class="stale-note">[⚠ 77,5 stämmer inte med dagens '
        "data: 77,4 (mätår 2025)]</span> Målet nås.</p><p>Nytt stycke.</p>"
    )


def test_each_area_section_opens_with_cause_action_and_owner():
    nb = SimpleNamespace(metadata={"bro": {"area": "Samverkan och näringslivsservice"}}, cells=[])
    info = _info()
    sections = area_sections([nb], ["Samverkan och näringslivsservice"], info["rows"])
    assert sections == []  # an area without committee cells is left out, its assessment with it
    listed = assessment_list(info["rows"][:1])
    assert (
        re.sub(r"<[^>]+>", "", listed)
        == "S1 NKI, länets genomsnitt – ✘ ej uppnåttOrsak: Bygglov. Åtgärd: Kurser. Ansvarig: Vd"
    )


def test_key_result_table_without_objectives_groups_by_area():
    html = key_result_table([_row(assessment={})], "Tabell")
    assert '<th scope="rowgroup" colspan="8">Samverkan och näringslivsservice</th>' in html


# --- the plan's objectives and owners -------------------------------------------------


def test_the_plan_names_three_objectives_in_its_order():
    assert PLAN.areas == ("Samverkan och näringslivsservice", "Investering & etablering", "Marknadsföring")
    assert PLAN.objectives["Marknadsföring"].startswith("Vi positionerar Örebroregionen")


def _plan_file(tmp_path, old: str, new: str):
    text = OKR_TEXT
    assert old in text
    path = tmp_path / "okr.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def test_a_misspelt_area_of_a_key_result_is_an_error_naming_the_objective(tmp_path):
    path = _plan_file(
        tmp_path, '"område" = "Marknadsföring"\ntext = "Delta', '"område" = "Marknadsförning"\ntext = "Delta'
    )
    with pytest.raises(
        ConfigError, match=r"område = \"Marknadsförning\" – är inget planområde.*menade du Marknadsföring"
    ):
        load_plan(path)


def test_an_owner_per_key_result(tmp_path):
    path = _plan_file(tmp_path, 'id = "M1"\n', 'id = "M1"\nansvarig = "Marknadschef"\n')
    assert load_plan(path).key_result("M1").owner == "Marknadschef"
    assert PLAN.key_result("M1").owner == ""


def test_an_edited_assessment_is_a_new_cache_key(tmp_path):
    (tmp_path / "a.csv").write_text("x\n", encoding="utf-8")
    (tmp_path / "bedomningar").mkdir()
    before = cache.input_digest(tmp_path)
    (tmp_path / "bedomningar" / "2026-08.md").write_text("Diarienummer: 1\n", encoding="utf-8")
    assert cache.input_digest(tmp_path) != before


def test_records_carry_the_assessment(tmp_path):
    ctx = context("2026-08")
    records = overview.summary_records(ctx, overview.outcomes(ctx))
    i4 = next(r for r in records if r["id"] == "I4")
    assert i4["bedömning"] and i4["orsak"] and i4["åtgärd"] and i4["ansvarig"]
    assert i4["bedömning_fastställd"] is True
    assert list(records[0]) == list(okr.SUMMARY_FIELDS)
    no_file = SimpleNamespace(plan=PLAN, assessment=None, period=Period(2026, 3), dataset=ctx.dataset)
    assert all(
        r["bedömning"] == "" and r["bedömning_fastställd"] is False
        for r in overview.summary_records(no_file, overview.outcomes(ctx))
    )


def test_the_analyst_sees_where_the_assessment_stands(tmp_path):
    period = Period(2026, 3)
    assert assessment.analyst_note(None, [], period).startswith(
        "Ingen bedömning för januari–mars 2026: skapa mallen med bro-analysis bedömning --period 2026-03"
    )
    judged = _read(tmp_path, "## S1\nBedömning: NKI 77,5.\n")
    rows, _ = assessment.join(judged, PLAN, [_row(), _row(id="S2")])
    assert assessment.analyst_note(judged, rows, period) == (
        "Bedömningen i bedomningar/2026-08.md är ett utkast (Fastställd av är tom). "
        "BRO:s bedömning saknas ännu för S2. 1 siffra i texten stämmer inte längre med data; "
        "se varningarna från bro-analysis kontrollera."
    )
