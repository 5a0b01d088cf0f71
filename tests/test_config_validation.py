"""settings.toml and okr.toml are held to a schema (core/settings_schema.py): a wrong
value is a ConfigError (exit 2) naming the file, the key with its section, its line
and what was expected, every problem of a file at once; the committed files pass.

Each test writes an edited copy of a committed file to tmp_path and points the command
line at it (a working folder named by $BRO_ARBETSMAPP); the real files are never touched."""

from __future__ import annotations

import re
from pathlib import Path

import fixture_plan
import pytest

from bro_analysis.core import settings_schema
from bro_analysis.core.config import (
    DATA_DIR,
    OKR_FILE,
    SETTINGS_FILE,
    ConfigError,
    check_settings,
    display_name,
    load_plan,
    load_settings,
)
from bro_analysis.running import cli

SETTINGS_TEXT = (DATA_DIR / "settings.toml").read_text(encoding="utf-8")
OKR_TEXT = (DATA_DIR / "okr.toml").read_text(encoding="utf-8")
FIXTURE_OKR = fixture_plan.OKR_TEXT  # a test's edits are made to a plan that stays as they expect


def _edited(text: str, *replacements: tuple[str, str]) -> str:
    for old, new in replacements:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text


def _line(text: str, fragment: str) -> int:
    """The line (from 1) of the only line holding `fragment`."""
    hits = [i + 1 for i, line in enumerate(text.splitlines()) if fragment in line]
    assert len(hits) == 1, (fragment, hits)
    return hits[0]


def _validate(tmp_path, monkeypatch, capsys, settings: str = SETTINGS_TEXT, okr: str = OKR_TEXT) -> str:
    """`bro-analysis validate` with these files; asserts exit 2 and returns its message."""
    (tmp_path / "settings.toml").write_text(settings, encoding="utf-8")
    (tmp_path / "okr.toml").write_text(okr, encoding="utf-8")
    monkeypatch.setenv("BRO_ARBETSMAPP", str(tmp_path))
    assert cli.main(["validate"]) == 2
    return capsys.readouterr().err


# --- the committed files ---------------------------------------------------------------


def test_the_committed_files_pass():
    plan = load_plan(OKR_FILE)
    assert len(plan.members) == 12 and plan.first_year <= plan.last_year
    settings = check_settings(SETTINGS_FILE, cli._vocabularies(), len(plan.members))
    assert settings == load_settings(SETTINGS_FILE)
    cli.check_plan()


def test_validate_still_prints_ok_for_the_example_data(capsys):
    assert cli.main(["validate"]) == 0
    out = capsys.readouterr().out
    assert "OK  nki.csv" in out and "OK  leads.csv" in out


def test_every_key_of_the_committed_files_is_found_on_its_line():
    for text in (SETTINGS_TEXT, OKR_TEXT):
        lines = text.splitlines()
        found = settings_schema.key_lines(text)
        for path, number in found.items():
            name = path[-1]
            if isinstance(name, str):
                assert name in lines[number - 1], (path, number, lines[number - 1])
    found = settings_schema.key_lines(SETTINGS_TEXT)
    levels = [i + 1 for i, line in enumerate(SETTINGS_TEXT.splitlines()) if line.startswith('"konfidensnivå"')]
    sections = ("nki", "prognos", "marknadsföring")
    assert [found[(section, "konfidensnivå")] for section in sections] == levels
    assert found[("nki", "band", 1)] == _line(SETTINGS_TEXT, '{ namn = "högt"')
    assert found[("kolada", "kpi", "U07451", "mått")] == _line(SETTINGS_TEXT, '"mått" = "NKI"')
    okr = settings_schema.key_lines(OKR_TEXT)
    for i, kr in enumerate(load_plan(OKR_FILE).key_results):
        assert okr[("nyckelresultat", i, "id")] == _line(OKR_TEXT, f'id = "{kr.id}"')
    fixture = settings_schema.key_lines(FIXTURE_OKR)
    assert fixture[("nyckelresultat", 10, "mål")] == _line(FIXTURE_OKR, '"mål" = 0.20')
    assert fixture[("medlemskommuner", "1880")] == _line(FIXTURE_OKR, '"1880" = "Örebro"')


def test_lines_are_found_past_multiline_strings_arrays_and_dotted_keys():
    text = "\n".join(
        [
            'a = """',  # 1
            "b = 1",  # 2: inside a string, not a key
            '"""',  # 3
            "c = [  # [not a header]",  # 4
            "  [1, 2],",  # 5: an element, not a header
            "  { x = 1 },",  # 6
            "]",  # 7
            "[t]",  # 8
            "d.e = 2",  # 9
            "[[k]]",  # 10
            "id = 'x'",  # 11
            "[[k]]",  # 12
            "id = 'y'",  # 13
            "[k.sub]",  # 14
            "f = 3",  # 15
        ]
    )
    found = settings_schema.key_lines(text)
    assert found[("a",)] == 1 and ("b",) not in found
    assert found[("c", 0)] == 5 and found[("c", 1, "x")] == 6
    assert found[("t",)] == 8 and found[("t", "d", "e")] == 9
    assert found[("k", 0, "id")] == 11 and found[("k", 1, "id")] == 13
    assert found[("k", 1, "sub", "f")] == 15
    assert settings_schema.line_of(found, ("t", "saknas")) == 8


# --- settings.toml ---------------------------------------------------------------------


def test_confidence_level_95_names_file_key_line_and_the_fix(tmp_path, monkeypatch, capsys):
    settings = _edited(SETTINGS_TEXT, ('"konfidensnivå" = 0.95\n# Trend', '"konfidensnivå" = 95\n# Trend'))
    err = _validate(tmp_path, monkeypatch, capsys, settings=settings)
    line = _line(settings, '"konfidensnivå" = 95')
    assert (
        f"{tmp_path / 'settings.toml'}, rad {line}: [nki] konfidensnivå = 95 – ska vara ett tal mellan 0,5 och 0,999"
        in err
    )
    assert "Skriv då 0.95" in err


def test_marketing_confidence_level_is_checked_too(tmp_path, monkeypatch, capsys):
    anchor = '"konfidensnivå" = 0.95\n# Konverteringsgraden'
    settings = _edited(SETTINGS_TEXT, (anchor, anchor.replace("0.95", "1.5")))
    err = _validate(tmp_path, monkeypatch, capsys, settings=settings)
    assert f"rad {_line(settings, '= 1.5')}: [marknadsföring] konfidensnivå = 1.5 – ska vara ett tal mellan 0,5" in err


def test_marketing_width_rule_and_follow_up_time_are_checked(tmp_path, monkeypatch, capsys):
    settings = _edited(
        SETTINGS_TEXT,
        ('"största_intervallkvot" = 3.0', '"största_intervallkvot" = 1'),
        ('"uppföljningstid_dagar" = 60', '"uppföljningstid_dagar" = "60"'),
    )
    err = _validate(tmp_path, monkeypatch, capsys, settings=settings)
    ratio, days = _line(settings, '"största_intervallkvot" = 1'), _line(settings, '"uppföljningstid_dagar" = "60"')
    assert (
        f"rad {ratio}: [marknadsföring] största_intervallkvot = 1 – ska vara ett tal mellan 1,5 och 20; skriv t.ex. 3.0"
        in err
    )
    assert f'rad {days}: [marknadsföring] uppföljningstid_dagar = "60" – ska vara ett heltal' in err


def test_broken_toml_names_the_line(tmp_path, monkeypatch, capsys):
    settings = _edited(SETTINGS_TEXT, ('"konfidensnivå" = 0.95\n# Trend', '"konfidensnivå" = 0,95\n# Trend'))
    err = _validate(tmp_path, monkeypatch, capsys, settings=settings)
    line = _line(settings, "0,95")
    assert f"settings.toml, rad {line}, kolumn" in err and "kan inte läsas som TOML" in err
    assert '"konfidensnivå" = 0,95' in err and "decimaltal skrivs med punkt" in err


def test_a_missing_key_names_its_section_line(tmp_path, monkeypatch, capsys):
    settings = _edited(SETTINGS_TEXT, ("minsta_antal_kommuner = 10\n", ""))
    err = _validate(tmp_path, monkeypatch, capsys, settings=settings)
    assert (
        f"settings.toml, rad {_line(settings, '[nki]')}: [nki] minsta_antal_kommuner saknas – ska vara ett heltal"
        in err
    )


def test_a_wrong_type_names_key_line_and_type(tmp_path, monkeypatch, capsys):
    settings = _edited(SETTINGS_TEXT, ("mognadstid_dagar = 0", 'mognadstid_dagar = "0"'))
    err = _validate(tmp_path, monkeypatch, capsys, settings=settings)
    line = _line(settings, 'mognadstid_dagar = "0"')
    assert f'rad {line}: [marknadsföring] mognadstid_dagar = "0" – ska vara ett heltal' in err


def test_a_decimal_where_a_count_belongs_is_an_error(tmp_path, monkeypatch, capsys):
    settings = _edited(SETTINGS_TEXT, ("minsta_antal_svar = 7", "minsta_antal_svar = 7.5"))
    err = _validate(tmp_path, monkeypatch, capsys, settings=settings)
    assert f"rad {_line(settings, '= 7.5')}: [nki] minsta_antal_svar = 7.5 – ska vara ett heltal" in err


def test_bands_must_descend(tmp_path, monkeypatch, capsys):
    settings = _edited(SETTINGS_TEXT, ('{ namn = "godkänt", "från" = 62 }', '{ namn = "godkänt", "från" = 75 }'))
    err = _validate(tmp_path, monkeypatch, capsys, settings=settings)
    line = _line(settings, '"från" = 75')
    assert f"rad {line}: [nki] band nr 3: från = 75 – ska vara lägre än bandet före (70)" in err


def test_a_band_without_a_lower_limit(tmp_path, monkeypatch, capsys):
    settings = _edited(SETTINGS_TEXT, ('{ namn = "lågt", "från" = 0 }', '{ namn = "lågt" }'))
    err = _validate(tmp_path, monkeypatch, capsys, settings=settings)
    line = _line(settings, 'namn = "lågt"')
    assert f"rad {line}: [nki] band nr 4: från saknas – ska vara ett tal mellan 0 och 100" in err


def test_converted_stage_must_be_a_lead_stage(tmp_path, monkeypatch, capsys):
    settings = _edited(
        SETTINGS_TEXT, ('lead_steg = ["lead", "kvalificerad", "konverterad"]', 'lead_steg = ["lead", "kvalificerad"]')
    )
    err = _validate(tmp_path, monkeypatch, capsys, settings=settings)
    line = _line(settings, 'konverterat_steg = "konverterad"')
    assert f'rad {line}: [marknadsföring] konverterat_steg = "konverterad" – ska vara ett av stegen i lead_steg' in err


def test_an_unknown_converted_stage(tmp_path, monkeypatch, capsys):
    settings = _edited(SETTINGS_TEXT, ('konverterat_steg = "konverterad"', 'konverterat_steg = "konverterat"'))
    err = _validate(tmp_path, monkeypatch, capsys, settings=settings)
    line = _line(settings, 'konverterat_steg = "konverterat"')
    assert f'rad {line}: [marknadsföring] konverterat_steg = "konverterat" – ska vara ett av' in err
    assert '"konverterad"' in err


def test_a_missing_section(tmp_path, monkeypatch, capsys):
    start, end = SETTINGS_TEXT.index("[nki]"), SETTINGS_TEXT.index("# Kolada")
    err = _validate(tmp_path, monkeypatch, capsys, settings=SETTINGS_TEXT[:start] + SETTINGS_TEXT[end:])
    # A section that is not there has no line of its own: the message names the file and the section.
    assert f"{tmp_path / 'settings.toml'}: [nki] saknas – ska vara ett avsnitt" in err
    assert "minsta_antal_kommuner" in err  # the keys it must hold


def test_a_missing_header_points_at_the_keys_left_without_it(tmp_path, monkeypatch, capsys):
    settings = _edited(SETTINGS_TEXT, ("[nki]\n", ""))
    err = _validate(tmp_path, monkeypatch, capsys, settings=settings)
    assert "[nki] saknas" in err
    line = _line(settings, "minsta_antal_svar = 7")
    assert f"rad {line}: minsta_antal_svar = 7 – nyckeln hör till [nki]; saknas rubriken [nki] ovanför?" in err


def test_a_misspelled_key_is_not_silently_ignored(tmp_path, monkeypatch, capsys):
    settings = _edited(SETTINGS_TEXT, ('"troligt_från" = 0.8', "troligt_fran = 0.8"))
    err = _validate(tmp_path, monkeypatch, capsys, settings=settings)
    line = _line(settings, "troligt_fran")
    assert f"rad {line}: [prognos] troligt_fran = 0.8 – okänd nyckel; menade du troligt_från?" in err


def test_probabilities_in_order(tmp_path, monkeypatch, capsys):
    settings = _edited(SETTINGS_TEXT, ('"osannolikt_till" = 0.2', '"osannolikt_till" = 0.9'))
    err = _validate(tmp_path, monkeypatch, capsys, settings=settings)
    line = _line(settings, '"osannolikt_till" = 0.9')
    assert f"rad {line}: [prognos] osannolikt_till = 0.9 – ska vara mindre än troligt_från (0,8)" in err


def test_contract_values_and_the_plan_are_checked_by_the_command_line(tmp_path, monkeypatch, capsys):
    settings = _edited(
        SETTINGS_TEXT,
        ('"mått" = "NKI"', '"mått" = "nki"'),
        ("minsta_antal_kommuner = 10", "minsta_antal_kommuner = 13"),
    )
    err = _validate(tmp_path, monkeypatch, capsys, settings=settings)
    measure, members = _line(settings, '"mått" = "nki"'), _line(settings, "= 13")
    assert f'rad {measure}: [kolada.kpi.U07451] mått = "nki" – ska vara ett av "NKI"' in err
    assert (
        f"rad {members}: [nki] minsta_antal_kommuner = 13 – ska vara högst antalet medlemskommuner i okr.toml (12)"
        in err
    )


def test_several_problems_are_reported_together(tmp_path, monkeypatch, capsys):
    settings = _edited(
        SETTINGS_TEXT,
        ('"konfidensnivå" = 0.95\n# Trend', '"konfidensnivå" = 95\n# Trend'),
        ("minsta_antal_svar_rankning = 20\n", ""),
        ('"ny_total_från_mätår" = 2024', '"ny_total_från_mätår" = 24'),
        ("max_sidor = 200", "max_sidor = 0"),
    )
    err = _validate(tmp_path, monkeypatch, capsys, settings=settings)
    assert "settings.toml: 4 fel" in err
    problems = [line for line in err.splitlines() if ", rad " in line]
    assert len(problems) == 4
    assert "[nki] minsta_antal_svar_rankning saknas" in problems[0]  # in the order of the file
    assert "[nki] ny_total_från_mätår = 24 – ska vara ett årtal mellan 2000 och 2100" in problems[1]
    assert "[nki] konfidensnivå = 95" in problems[2]
    assert "[kolada] max_sidor = 0 – ska vara ett heltal, minst 1" in problems[3]


def test_load_settings_checks_too_so_a_notebook_gets_the_same_error(tmp_path):
    path = tmp_path / "settings.toml"
    path.write_text(_edited(SETTINGS_TEXT, ('"ny_total_från_mätår" = 2024', '"ny_total_från_mätår" = "2024"')))
    with pytest.raises(ConfigError, match=r'rad \d+: \[nki\] ny_total_från_mätår = "2024" – ska vara ett årtal'):
        load_settings(path)


# --- okr.toml --------------------------------------------------------------------------


def test_an_increase_target_of_20_suggests_a_share(tmp_path, monkeypatch, capsys):
    okr = _edited(FIXTURE_OKR, ('"mål" = 0.20', '"mål" = 20'))
    err = _validate(tmp_path, monkeypatch, capsys, okr=okr)
    line = _line(okr, '"mål" = 20')
    assert f"{tmp_path / 'okr.toml'}, rad {line}: nyckelresultat nr 11 (M2): mål = 20 – ska vara en andel" in err
    assert "Skriv då 0.20" in err


def test_okr_problems_are_reported_together(tmp_path, monkeypatch, capsys):
    okr = _edited(
        FIXTURE_OKR,
        ('"sista_år" = 2027', '"sista_år" = 2025'),
        ('"1814" = "Lekeberg"', '"18140" = "Lekeberg"'),
        ('id = "S2"', 'id = "S1"'),
        ('"mål" = 3\n', '"mål" = -3\n'),
    )
    err = _validate(tmp_path, monkeypatch, capsys, okr=okr)
    assert "okr.toml: 4 fel" in err
    last, code = _line(okr, '"sista_år" = 2025'), _line(okr, '"18140"')
    assert f"rad {last}: [plan] sista_år = 2025 – ska vara minst första_år (2026)" in err
    assert (
        f'rad {code}: [medlemskommuner] 18140 = "Lekeberg" – nyckeln 18140 ska vara en kommunkod med fyra siffror'
        in err
    )
    assert re.search(r'rad \d+: nyckelresultat nr 2 \(S1\): id = "S1" – id:t finns redan', err)
    assert f"rad {_line(okr, '= -3')}: nyckelresultat nr 3 (S3): mål = -3 – ska vara ett tal, minst 0" in err


def test_a_missing_target_names_the_key_results_line(tmp_path, monkeypatch, capsys):
    okr = _edited(FIXTURE_OKR, ('"mål" = 80\n', ""))
    err = _validate(tmp_path, monkeypatch, capsys, okr=okr)
    line = _line(okr, 'id = "S1"') - 1  # the [[nyckelresultat]] header above it
    assert f'rad {line}: nyckelresultat nr 1 (S1): mål saknas – krävs för typ "minst"' in err


def test_problems_in_both_files_are_reported_together(tmp_path, monkeypatch, capsys):
    settings = _edited(SETTINGS_TEXT, ('"konfidensnivå" = 0.95\n# Trend', '"konfidensnivå" = 95\n# Trend'))
    okr = _edited(FIXTURE_OKR, ('"mål" = 0.20', '"mål" = 20'))
    err = _validate(tmp_path, monkeypatch, capsys, settings=settings, okr=okr)
    assert "okr.toml, rad" in err and "settings.toml, rad" in err


def test_run_stops_before_any_notebook(tmp_path, monkeypatch, capsys):
    settings = tmp_path / "settings.toml"
    settings.write_text(_edited(SETTINGS_TEXT, ('"konfidensnivå" = 0.95\n# Trend', '"konfidensnivå" = 95\n# Trend')))
    (tmp_path / "okr.toml").write_text(OKR_TEXT, encoding="utf-8")
    monkeypatch.setenv("BRO_ARBETSMAPP", str(tmp_path))
    out = tmp_path / "out"
    assert cli.main(["run", "--period", "2025", "--out", str(out)]) == 2
    assert "[nki] konfidensnivå = 95" in capsys.readouterr().err
    assert not out.exists()


def test_the_committed_files_are_named_as_in_the_project():
    assert display_name(SETTINGS_FILE) == str(Path("data", "settings.toml"))
    assert display_name(OKR_FILE) == str(Path("data", "okr.toml"))
