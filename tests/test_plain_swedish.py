"""Plain Swedish in the committee report (issue 26): the main part (everything before the
appendix) uses one word per concept and none of the method's terms, is measurably
readable (tests/readability.py defines sentences, words and LIX), and the appendix holds
an accessibility statement with the parts DIGG requires."""

from __future__ import annotations

import re

import pytest
from readability import main_part, measure, prose_blocks, sentences, words
from report_pages import PERIODS, page_path

from bro_analysis.core.config import load_plan
from bro_analysis.presentation.vocabulary import RETIRED, spelled_out, target_pct
from bro_analysis.running.combine import report_name

MAX_WORDS = 25
MAX_LIX = 40
NAMES = list(load_plan().members.values())
# The method's and the tools' words, allowed only in the appendix.
FILE_OR_TOOL = re.compile(r"\b[\w/]+\.(?:toml|csv|xlsx|json)\b|data/|axe-core|Nu Html Checker")


def _visible_text(html: str) -> str:
    html = re.sub(r"<(style|script)\b.*?</\1>", " ", html, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


@pytest.fixture(scope="module", params=PERIODS)
def report(request, example_run) -> str:
    return page_path(example_run, request.param, report_name(request.param)).read_text(encoding="utf-8")


def test_main_part_uses_none_of_the_retired_words(report):
    text = _visible_text(main_part(report))
    found = {word: RETIRED[word] for word in RETIRED if word.lower() in text.lower()}
    assert not found, f"ersätt i huvuddelen: {found}"


def test_main_part_names_no_files_or_tools(report):
    assert not FILE_OR_TOOL.findall(_visible_text(main_part(report)))


def test_main_part_sentences_are_short_and_lix_is_low(report):
    result = measure(report, NAMES)
    long = [(n, s) for n, s in result["counted"] if n > MAX_WORDS]
    assert not long, "meningar över 25 ord:\n" + "\n".join(f"{n}: {s}" for n, s in long)
    assert result["lix"] <= MAX_LIX, f"LIX {result['lix']:.1f}"


def test_accessibility_statement_has_digg_parts(report):
    statement = report[report.index("Tillgänglighetsredogörelse") :]
    text = _visible_text(statement)
    assert "delvis förenlig" in text and "WCAG 2.1" in text
    assert re.search(r"bedömdes \d{4}-\d{2}-\d{2}", text) and re.search(r"uppdaterades \d{4}-\d{2}-\d{2}", text)
    assert "axe-core" in text and "Nu Html Checker" in text and "manuell" in text
    assert "info@example.se" in text  # the contact in data/settings.toml
    assert 'href="https://www.digg.se/tdosanmalan"' in statement


# The measuring rules themselves, against counts made by hand.


def test_sentences_split_at_full_stops_not_at_colons_or_numbers():
    found = sentences(["Målet är 1 272,0 miljoner kronor: det nås. Nästa år 2026 blir det fler."])
    assert found == ["Målet är 1 272,0 miljoner kronor: det nås.", "Nästa år 2026 blir det fler."]


def test_a_list_of_municipalities_counts_as_one_word():
    assert len(words("Saknas i Laxå, Nora och Örebro i år.", NAMES)) == 5  # Saknas i NAMN i år.
    assert len(words("Värdet 1\u00a0272,0 är högt.", NAMES)) == 4


def test_lix_counts_words_sentences_and_long_words():
    html = '<p>Kommunerna samarbetar. Det går bra.</p><h2 id="bilaga">x</h2>'
    # 5 words, 2 sentences, 2 long words (Kommunerna, samarbetar): 5/2 + 100·2/5 = 42,5
    assert measure(html, NAMES)["lix"] == pytest.approx(42.5)
    assert prose_blocks("<p>a<table><tr><td>inte prosa</td></tr></table></p>") == ["a"]


def test_vocabulary_writes_a_target_and_an_abbreviation_one_way():
    assert target_pct(0.2) == "+20\u00a0%"
    assert spelled_out("MSEK") == "miljoner kronor (MSEK)"


def test_accessibility_contact_comes_from_the_settings():
    from bro_analysis.analysis.summary import accessibility_html

    html = accessibility_html({"namn": "Testbyrån", "telefon": "019-10 00 00", "e-post": ""})
    assert "Kontakta Testbyrån: telefon 019-10 00 00." in html and "mailto" not in html
    assert accessibility_html({})[-200:].count("digg.se/tdosanmalan") == 2  # href and link text
    assert "Kontakta Business Region Örebro." in accessibility_html({})


def test_source_lines_are_not_prose():
    html = '<p class="source">Källa: A, B, C.</p><p>Text här.</p>'
    assert prose_blocks(html) == ["Text här."]


def test_abbreviations_are_spelled_out_once_in_running_text():
    from bro_analysis.presentation.vocabulary import spell_out_abbreviations

    html = "<h1>BRO:s rapport</h1><p>SKR:s NKI var 77. Totalt 1 272 MSEK och 5 MSEK.</p><p>NKI igen.</p>"
    out = spell_out_abbreviations(html)
    assert out.startswith("<h1>BRO:s rapport</h1>")  # headings stay short
    assert "SKR:s (Sveriges Kommuner och Regioner) Nöjd-Kund-Index (NKI) var 77" in out
    assert "1 272 miljoner kronor (MSEK) och 5 MSEK." in out and "<p>NKI igen.</p>" in out


def test_english_words_are_marked_but_not_in_links_or_swedish_inflections():
    from bro_analysis.presentation.vocabulary import mark_english

    out = mark_english('<p>3 leads, leadet, en workshop.</p><a href="lead.html">lead</a>')
    assert out == (
        '<p>3 <span lang="en">leads</span>, leadet, en <span lang="en">workshop</span>.</p><a href="lead.html">lead</a>'
    )


def test_the_glossary_keeps_only_the_terms_the_text_uses():
    from bro_analysis.presentation.vocabulary import used_terms

    glossary = [("Lead", "a"), ("Delår", "b"), ("Konvertering", "c"), ("Status", "d")]
    text = "Konverteringsgraden för 336 leads; status uppnått."
    assert used_terms(glossary, text) == [("Lead", "a"), ("Konvertering", "c"), ("Status", "d")]


def test_the_report_spells_out_each_abbreviation_once_and_marks_english_words():
    from bro_analysis.running.combine import plain_words

    parts = plain_words(["<p>1 272 MSEK från 14 leads.</p>", "<p>Sedan 958 MSEK.</p><h2>MSEK</h2>"])
    assert parts == [
        '<p>1 272 miljoner kronor (MSEK) från 14 <span lang="en">leads</span>.</p>',
        "<p>Sedan 958 MSEK.</p><h2>MSEK</h2>",
    ]


@pytest.mark.e2e
@pytest.mark.parametrize("period", ["2025", "2026-08"])
def test_the_glossary_lists_only_words_the_report_uses(example_run, period):
    import re as _re

    html = (example_run / period / f"BRO_uppfoljning_{period}.html").read_text(encoding="utf-8")
    main = html[: html.index('<h2 id="ord"')]
    terms = _re.findall(r"<dt>(.*?)</dt>", html[html.index('<h2 id="ord"') : html.index('<h2 id="bilaga"')])
    assert terms
    for term in terms:
        stem = term.lower()[:-1] if len(term) > 5 else term.lower()
        assert stem in _re.sub(r"<[^>]+>", " ", main).lower(), term
