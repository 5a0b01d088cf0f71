"""Reading BRO's assessment files (bedomningar/<period>.md): values, line numbers, every error at once."""

from __future__ import annotations

import datetime as dt

import fixture_plan
import pytest

from bro_analysis.input.assessments import (
    FOLDER,
    HEADER_KEYS,
    README_SECTION,
    SECTION_KEYS,
    Entry,
    assessment_files,
    assessment_path,
    check_folder,
    load_assessment,
    read_assessment,
)
from bro_analysis.input.loading import DataError

IDS = ("S1", "S2", "I1", "I4", "M2")
NAME = "bedomningar/2026-08.md"

GOOD = """\
# Uppföljning januari–augusti 2026
Diarienummer: RUN 2026/0123
Sammanträde: 2026-10-08
Handläggare: Anna Exempel, anna.exempel@kommun.se
Förslag till beslut: Nämnden godkänner
uppföljningen.
Sammanfattning: Första stycket,
  Obs: indragen rad.

Andra stycket.
<!-- Värde 77,4
status: ej uppnått -->
Fastställd av: BRO:s ledningsgrupp
Fastställd datum: 2026-09-24

## S1 – NKI, länets genomsnitt
<!-- värde 77,4; mål 80 -->
Bedömning: Målet nås troligen 2027.
Orsak:
Kortare handläggning.
BRO:s workshoppar, se https://example.se

Fler e-tjänster.
Åtgärd: Workshoppar.
Ansvarig: Samordnare näringslivsservice

## i4
bedömning  : Risk.
ÅTGÄRD: Kontaktperson utses.
Ansvarig:
"""


def _write(tmp_path, text: str, name: str = "2026-08.md", encoding: str = "utf-8") -> object:
    folder = tmp_path / FOLDER
    folder.mkdir(exist_ok=True)
    path = folder / name
    path.write_bytes(text.encode(encoding))
    return path


def _read(tmp_path, text: str, **kwargs):
    return read_assessment(_write(tmp_path, text, **kwargs), IDS, "2026-08")


def _problems(tmp_path, text: str) -> list[tuple[int | None, str | None, str]]:
    with pytest.raises(DataError) as info:
        _read(tmp_path, text)
    for p in info.value.problems:
        assert p.file == NAME
    return [(p.row, p.value, p.message) for p in info.value.problems]


# --- a good file ---------------------------------------------------------------------


def test_header_values_and_lines(tmp_path):
    a = _read(tmp_path, GOOD)
    assert a.file == NAME and a.period == "2026-08"
    assert list(a.header) == [
        "Diarienummer",
        "Sammanträde",
        "Handläggare",
        "Förslag till beslut",
        "Sammanfattning",
        "Fastställd av",
        "Fastställd datum",
    ]
    assert a.text("Diarienummer") == "RUN 2026/0123"
    assert a.text("Förslag till beslut") == "Nämnden godkänner uppföljningen."
    assert a.header["Förslag till beslut"].lines == ((5, "Nämnden godkänner"), (6, "uppföljningen."))
    summary = a.header["Sammanfattning"]
    assert summary.text == "Första stycket, Obs: indragen rad.\n\nAndra stycket."
    assert summary.line == 7
    assert summary.lines == ((7, "Första stycket,"), (8, "Obs: indragen rad."), (9, ""), (10, "Andra stycket."))
    # the comment on lines 11–12 is skipped and does not shift the numbering
    assert a.header["Fastställd av"].line == 13
    assert a.header["Fastställd datum"].line == 14
    assert a.meeting == dt.date(2026, 10, 8)
    assert a.approved_on == dt.date(2026, 9, 24)
    assert a.approved is True
    assert a.contact == ("Anna Exempel", "anna.exempel@kommun.se")
    assert a.warnings == ()
    assert a.text("Okänd") == ""


def test_sections_in_file_order_with_plan_spelling(tmp_path):
    a = _read(tmp_path, GOOD)
    assert list(a.sections) == ["S1", "I4"]
    s1, i4 = a.sections["S1"], a.sections["I4"]
    assert (s1.id, s1.line, i4.id, i4.line) == ("S1", 16, "I4", 27)
    assert s1.text("Bedömning") == "Målet nås troligen 2027."
    assert s1.entries["Bedömning"].line == 18
    orsak = s1.entries["Orsak"]
    assert orsak.text == "Kortare handläggning. BRO:s workshoppar, se https://example.se\n\nFler e-tjänster."
    assert orsak.lines == (
        (19, ""),
        (20, "Kortare handläggning."),
        (21, "BRO:s workshoppar, se https://example.se"),
        (22, ""),
        (23, "Fler e-tjänster."),
    )
    assert s1.text("Ansvarig") == "Samordnare näringslivsservice"
    # keys in any case and with spaces before the colon
    assert i4.text("Bedömning") == "Risk."
    assert i4.text("Åtgärd") == "Kontaktperson utses."
    assert i4.text("Ansvarig") == "" and "Ansvarig" in i4.entries
    assert i4.text("Orsak") == "" and "Orsak" not in i4.entries


def test_comment_inside_a_value_is_not_a_paragraph_break(tmp_path):
    a = _read(tmp_path, "Sammanfattning: ett\n<!-- x -->\ntvå <!-- y --> tre\n#1 och #2\nHandläggare: A, a@b.se\n")
    assert a.text("Sammanfattning") == "ett två tre #1 och #2"
    assert a.header["Sammanfattning"].lines == ((1, "ett"), (3, "två  tre"), (4, "#1 och #2"))
    assert a.header["Handläggare"].line == 5


def test_crlf_bom_and_cp1252(tmp_path):
    crlf = "\ufeff" + GOOD.replace("\n", "\r\n")
    a = _read(tmp_path, crlf)
    assert a.sections["S1"].entries["Orsak"].lines[-1] == (23, "Fler e-tjänster.")
    assert a.text("Sammanfattning") == "Första stycket, Obs: indragen rad.\n\nAndra stycket."
    old = _read(tmp_path, GOOD.replace("–", "-"), name="2025.md", encoding="cp1252")
    assert old.file == "bedomningar/2025.md"
    assert old.sections["S1"].text("Åtgärd") == "Workshoppar."
    assert old.text("Fastställd av") == "BRO:s ledningsgrupp"


def test_empty_template_reads_with_warnings(tmp_path):
    template = "Diarienummer:\nSammanträde:\nFastställd av:\nFastställd datum:\n\n## S1\nBedömning:\nOrsak:\nÅtgärd:\n"
    a = _read(tmp_path, template)
    assert a.meeting is None and a.approved is False and a.contact == ("", "")
    assert a.sections["S1"].text("Bedömning") == ""
    assert a.warnings == (f"{NAME}, rad 6: avsnittet S1 har varken Bedömning, Orsak eller Åtgärd ifyllt",)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Anna Exempel <anna@x.se>", ("Anna Exempel", "anna@x.se")),
        ("Anna Exempel, anna@x.se", ("Anna Exempel", "anna@x.se")),
        ("anna@x.se", ("", "anna@x.se")),
        ("Anna Exempel", ("Anna Exempel", "")),
    ],
)
def test_contact(tmp_path, text, expected):
    assert _read(tmp_path, f"Handläggare: {text}\n").contact == expected


def test_warnings(tmp_path):
    a = _read(tmp_path, "Handläggare: Anna Exempel\nFastställd av: Ledningen\n")
    assert a.warnings == (
        f"{NAME}, rad 2: 'Fastställd av' är ifyllt men 'Fastställd datum' saknas",
        f"{NAME}, rad 1: 'Handläggare' saknar e-postadress; skriv t.ex. 'Anna Exempel, anna.exempel@kommun.se'",
    )
    b = _read(tmp_path, "Fastställd datum: 2026-09-01\n")
    assert b.approved is False
    assert b.warnings == (
        f"{NAME}, rad 1: 'Fastställd datum' är ifyllt men 'Fastställd av' saknas; "
        "bedömningen räknas inte som fastställd",
    )


# --- bad files: every problem at once, with line and value -----------------------------


def test_every_problem_of_a_file_at_once(tmp_path):
    text = """\
Diarienummer: RUN 1
Diarenummer: RUN 2
Bedömning: i huvudet
Sammanträde: 2026-02-30
Fastställd datum: 8 oktober
Diarienummer: RUN 3
## S1
Här står text utan nyckel.
som fortsätter
Bedömning: ok
Obs: inte indragen
Orsak: a
Orsak: b
Sammanfattning: fel plats
### Underrubrik
## S9 – okänt
Bedömning: x
## s1
"""
    problems = _problems(tmp_path, text)
    assert [(row, value) for row, value, _ in problems] == [
        (2, "Diarenummer"),
        (3, "Bedömning"),
        (4, "2026-02-30"),
        (5, "8 oktober"),
        (6, "Diarienummer"),
        (8, "Här står text utan nyckel."),
        (11, "Obs"),
        (13, "Orsak"),
        (14, "Sammanfattning"),
        (15, "### Underrubrik"),
        (16, "S9"),
        (18, "s1"),
    ]
    messages = [m for _, _, m in problems]
    assert messages[0] == (
        "okänd nyckel; menade du 'Diarienummer'? I huvudet (före första ##-rubriken) finns: "
        + ", ".join(HEADER_KEYS)
        + ". Fortsätter raden föregående värde? Dra då in den med några mellanslag."
    )
    assert messages[1] == "'Bedömning' hör till ett nyckelresultats avsnitt, under en rubrik som '## S1'"
    assert messages[2] == "'Sammanträde': datumet finns inte i kalendern; kontrollera dag och månad (ÅÅÅÅ-MM-DD)"
    assert messages[3] == "'Fastställd datum' ska vara ett datum som ÅÅÅÅ-MM-DD, t.ex. 2026-10-08"
    assert messages[4] == "'Diarienummer' finns redan på rad 1 i samma huvud; skriv den en gång"
    assert messages[5].startswith("texten under rubriken hör inte till någon nyckel")
    assert messages[6].startswith("okänd nyckel; I ett nyckelresultats avsnitt finns: " + ", ".join(SECTION_KEYS))
    assert messages[6].endswith("Dra då in den med några mellanslag.")
    assert messages[7] == "'Orsak' finns redan på rad 12 i samma avsnitt; skriv den en gång"
    assert messages[8] == "'Sammanfattning' hör till huvudet överst i filen, före första ##-rubriken"
    assert "###" in messages[9]
    assert messages[10] == (
        "okänt nyckelresultat; menade du S1? Planens id (okr.toml): S1, S2, I1, I4, M2. "
        "Har nyckelresultatet tagits bort ur planen: skriv id:t i listan utgångna under [plan] i okr.toml "
        '("utgångna" = ["S9"]), så visas avsnittet inte och filen får vara kvar som den är.'
    )
    assert messages[11] == "avsnittet för S1 finns redan på rad 7; varje nyckelresultat får bara ett avsnitt"


def test_the_error_text_names_file_line_and_value(tmp_path):
    with pytest.raises(DataError) as info:
        _read(tmp_path, "## S1\nAtgärder: x\n")
    assert str(info.value) == (
        "1 fel i indata:\n"
        f"  {NAME}, rad 2: värdet 'Atgärder' – okänd nyckel; menade du 'Åtgärd'? I ett nyckelresultats avsnitt finns: "
        "Bedömning, Orsak, Åtgärd, Ansvarig. Fortsätter raden föregående värde? Dra då in den med några mellanslag."
    )


def test_unknown_id_without_a_near_one(tmp_path):
    assert _problems(tmp_path, "## Kommunerna\n") == [
        (
            1,
            "Kommunerna",
            "okänt nyckelresultat; Planens id (okr.toml): S1, S2, I1, I4, M2. "
            "Har nyckelresultatet tagits bort ur planen: skriv id:t i listan utgångna under [plan] i okr.toml "
            '("utgångna" = ["M1"]), så visas avsnittet inte och filen får vara kvar som den är.',
        )
    ]


def test_a_retired_id_is_left_out_with_a_warning_and_an_unknown_one_stays_an_error(tmp_path):
    text = "Diarienummer: 1\n\n## S1\nBedömning: Bra.\n\n## m1 – Arenor\nBedömning: Nått.\n\n## S2\nBedömning: Ja.\n"
    path = _write(tmp_path, text)
    judged = read_assessment(path, IDS, "2026-08", retired=("M1",))
    assert list(judged.sections) == ["S1", "S2"]  # M1's lines do not spill into another section
    assert judged.sections["S1"].text("Bedömning") == "Bra." and judged.sections["S2"].text("Bedömning") == "Ja."
    assert judged.warnings[0] == (
        f"{FOLDER}/2026-08.md, rad 6: M1 finns inte längre i planen (utgångna i okr.toml); avsnittet visas inte"
    )
    with pytest.raises(DataError, match=r"rad 6: värdet 'm1' – okänt nyckelresultat"):
        read_assessment(path, IDS, "2026-08")  # not retired: still exit 2
    with pytest.raises(DataError, match=r"rad 6: värdet 'm1' – okänt nyckelresultat"):
        read_assessment(path, IDS, "2026-08", retired=("M11",))
    assert load_assessment(tmp_path, "2026-08", IDS, ("M1",)).warnings == judged.warnings
    assert check_folder(tmp_path, IDS, ("M1",))[0][0].warnings == judged.warnings


def test_text_in_the_header_before_any_key(tmp_path):
    assert _problems(tmp_path, "# Titel\nUppföljning 2026\nDiarienummer: 1\n") == [
        (
            2,
            "Uppföljning 2026",
            "texten i huvudet hör inte till någon nyckel; skriv den efter en nyckel som 'Sammanfattning:' "
            "eller gör den till en kommentar <!-- … -->",
        )
    ]


def test_heading_without_id(tmp_path):
    assert _problems(tmp_path, "##\nBedömning: x\n") == [
        (1, "##", "rubriken saknar nyckelresultatets id; skriv t.ex. '## S1'")
    ]


def test_unclosed_comment_names_its_line(tmp_path):
    problems = _problems(tmp_path, "Diarienummer: 1\n\n<!-- glömd\n## S9\n")
    assert problems == [
        (3, "<!-- glömd", "kommentaren '<!--' avslutas aldrig; skriv '-->' där kommentaren slutar"),
    ]


def test_not_a_text_file(tmp_path):
    path = _write(tmp_path, "x")
    path.write_bytes(b"PK\x03\x04\x00\x00binary")
    with pytest.raises(DataError) as info:
        read_assessment(path, IDS, "2026-08")
    [problem] = info.value.problems
    assert (problem.file, problem.row) == (NAME, None)
    assert problem.message.startswith("är ingen textfil")


def test_utf16_from_notepad_is_text(tmp_path):
    a = _read(tmp_path, "Diarienummer: RUN 7\n", encoding="utf-16")
    assert a.text("Diarienummer") == "RUN 7"


# --- the folder ---------------------------------------------------------------------


def test_paths_and_missing_file(tmp_path):
    assert assessment_path(tmp_path, "2026-08") == tmp_path / "bedomningar" / "2026-08.md"
    assert load_assessment(tmp_path, "2026-08", IDS) is None
    assert assessment_files(tmp_path) == []
    assert check_folder(tmp_path, IDS) == ([], [])
    _write(tmp_path, GOOD)
    a = load_assessment(tmp_path, "2026-08", IDS)
    assert a is not None and a.text("Diarienummer") == "RUN 2026/0123"
    assert load_assessment(tmp_path, "2025", IDS) is None


def test_check_folder_warns_about_stray_names_and_reads_the_rest(tmp_path):
    _write(tmp_path, GOOD)
    _write(tmp_path, "Diarienummer: RUN 2026/0001\n", name="2025.md")
    _write(tmp_path, "## S9\n", name="utkast.md")
    _write(tmp_path, "# om mappen\n", name="README.md")
    _write(tmp_path, "Diarienummer: 2\n", name="2026-03.txt")
    before = sorted(p.name for p in (tmp_path / FOLDER).iterdir())
    assert [p.name for p in assessment_files(tmp_path)] == ["2025.md", "2026-08.md", "utkast.md"]
    assessments, warnings = check_folder(tmp_path, IDS)
    assert [(a.file, a.period) for a in assessments] == [
        ("bedomningar/2025.md", "2025"),
        ("bedomningar/2026-08.md", "2026-08"),
    ]
    assert warnings == [
        "bedomningar/utkast.md: filnamnet är ingen period och filen lästes inte; "
        "döp den till perioden, t.ex. 2025.md (helår) eller 2026-08.md (januari–augusti)",
        "bedomningar/2026-03.txt: lästes inte – bedömningar läses bara från .md-filer; döp den till 2026-03.md",
    ]
    assert sorted(p.name for p in (tmp_path / FOLDER).iterdir()) == before  # nothing written


def test_check_folder_collects_problems_of_every_file(tmp_path):
    _write(tmp_path, "## S9\n", name="2025.md")
    _write(tmp_path, "Sammanträde: 2026-13-01\n", name="2026-08.md")
    with pytest.raises(DataError) as info:
        check_folder(tmp_path, IDS)
    assert [(p.file, p.row, p.value) for p in info.value.problems] == [
        ("bedomningar/2025.md", 1, "S9"),
        ("bedomningar/2026-08.md", 1, "2026-13-01"),
    ]


def test_folder_spelled_with_o_umlaut_gets_a_warning(tmp_path):
    (tmp_path / "Bedömningar").mkdir()
    assert check_folder(tmp_path, IDS) == (
        [],
        [
            "Bedömningar: mappen lästes inte – bedömningarna ska ligga i mappen 'bedomningar' "
            "(utan å/ä/ö, små bokstäver)"
        ],
    )


def test_readme_section_documents_every_key():
    assert README_SECTION.startswith("## Bedömningar")
    for key in (*HEADER_KEYS, *SECTION_KEYS):
        assert f"`{key}`" in README_SECTION
    assert "bedomningar/2026-08.md" in README_SECTION


def test_readme_example_reads_without_problems(tmp_path):
    example = README_SECTION.split("```\n")[1]
    a = _read(tmp_path, example)
    assert a.text("Sammanfattning") == "Två av tre mål nås. Prognosen: 3 projekt vid årets slut."
    assert (
        a.sections["S1"].text("Orsak")
        == "Kortare handläggningstider inom bygglov.\n\nFler kommuner har infört e-tjänster."
    )
    assert a.approved and a.warnings == ()


def test_keys_without_accents_or_space_after_the_colon(tmp_path):
    a = _read(
        tmp_path,
        "fastställd  AV :Ledningen\nFaststalld datum: 2026-09-01\n## m2\nAtgard: Fler mässor.\nBedomning:Osäkert.\n",
    )
    assert a.text("Fastställd av") == "Ledningen"
    assert a.approved_on == dt.date(2026, 9, 1)
    assert a.sections["M2"].entries["Åtgärd"] == Entry(
        key="Åtgärd", text="Fler mässor.", line=4, lines=((4, "Fler mässor."),)
    )
    assert a.sections["M2"].text("Bedömning") == "Osäkert."


# --- the example data's files ----------------------------------------------------------

# Each key result's values in the example data (value, previous, target, forecast and its bounds),
# as the committee report prints them; a number quoted in a section must be one of these.
EXAMPLE_NUMBERS = {
    "2025": {
        "S1": {"77,4", "76,8", "80", "80,7", "78,9", "82,5"},
        "S2": {"72,6", "72,3", "70"},
        "S3": {"4", "2", "3"},
        "S4": {"10", "9", "12"},
        "S5": {"5", "4"},
        "I1": {"1 272", "5 063"},
        "I2": {"6", "5"},
        "I3": {"14", "15", "18"},
        "I4": {"11", "12"},
        "M1": {"4"},
        "M2": {"13,4", "13,3", "20"},
        "M3": {"11", "12"},
    },
    "2026-08": {
        "S1": {"77,4", "79,3", "77,7", "80,9", "80"},
        "S2": {"72,6", "70"},
        "S3": {"2", "3"},
        "S4": {"11", "12"},
        "S5": {"2", "3", "4"},
        "I1": {"165", "958"},
        "I2": {"2", "4", "6"},
        "I3": {"16", "15"},
        "I4": {"10", "12"},
        "M1": {"2", "4"},
        "M2": {"17,1", "16,4", "20"},
        "M3": {"7", "12"},
    },
}


@pytest.mark.parametrize("period", ["2025", "2026-08"])
def test_example_assessments_read_cleanly_and_quote_only_current_numbers(tmp_path, period):
    """The example files were written for the plan 2026–2027 (the fixture plan): a section
    for each of its key results, quoting only that key result's values."""
    import re

    from bro_analysis.input.example_assessments import write_example_assessments

    assert list(EXAMPLE_NUMBERS[period]) == fixture_plan.IDS
    write_example_assessments(tmp_path)
    a = load_assessment(tmp_path, period, fixture_plan.IDS)
    assert a is not None and a.warnings == () and a.approved
    assert a.contact == ("Analytiker Exempel", "analys@example.se")
    assert a.approved_on is not None and a.meeting is not None and a.approved_on < a.meeting
    assert list(a.header) == list(HEADER_KEYS)
    assert list(a.sections) == fixture_plan.IDS
    for sentence in re.split(r"(?<=\.) ", a.text("Sammanfattning")):
        assert len(sentence.split()) <= 20, sentence
    for section in a.sections.values():
        assert list(section.entries) == list(SECTION_KEYS)
        assert all(section.text(k) for k in SECTION_KEYS)
        assert len(section.text("Bedömning").split()) <= 15, section.id
        for key in ("Orsak", "Åtgärd"):
            assert 1 <= len(re.findall(r"\.(?: |$)", section.text(key))) <= 2, (section.id, key)
        numbers = {
            n
            for k in SECTION_KEYS
            for n in re.findall(r"\d+(?: \d{3})*(?:,\d+)?", section.text(k))
            if n not in ("2024", "2025", "2026", "2027")
        }
        assert numbers <= EXAMPLE_NUMBERS[period][section.id], section.id


def test_example_folder_holds_the_generated_assessments():
    from bro_analysis.core.config import EXAMPLE_DATA_DIR

    assessments, warnings = check_folder(EXAMPLE_DATA_DIR, fixture_plan.IDS)
    assert [a.period for a in assessments] == ["2025", "2026-08"]
    assert warnings == [] and all(a.warnings == () for a in assessments)


def test_the_example_folder_reads_under_the_live_plan():
    """Whatever data/okr.toml holds now, the example files read: a section is shown for each
    of the plan's ids, and one of a retired id is left out with a warning (exit 0)."""
    import re

    from bro_analysis.core.config import EXAMPLE_DATA_DIR, load_plan

    plan = load_plan()
    ids = [kr.id for kr in plan.key_results]
    assessments, _ = check_folder(EXAMPLE_DATA_DIR, ids, plan.retired)
    for a in assessments:
        text = (EXAMPLE_DATA_DIR / a.file).read_text(encoding="utf-8")
        headings = re.findall(r"^## (\w+)", text, re.M)
        assert list(a.sections) == [h for h in headings if h in ids]
        left_out = [h for h in headings if h not in ids]
        assert [w.split(": ")[1].split()[0] for w in a.warnings if "finns inte längre i planen" in w] == left_out
