"""The report's words: each concept has one word, used by every text function, so the
committee reads the same thing the same way everywhere. RETIRED lists the synonyms the
main part of the report may no longer use (tests/test_plain_swedish.py checks them);
the method's own terms are allowed only in the appendix."""

from __future__ import annotations

import re

from bro_analysis.presentation.formatting import NBSP, fmt_int, fmt_number

# The interval around an estimate, in the main text.
MARGIN = "osäkerhetsmarginal"
# What an interval that holds the target means for the reader.
CHANCE = "kan bero på slumpen"
# The status of a target that was not reached in a finished year.
NOT_REACHED = "ej uppnått"
# The plain mean of the municipalities' values (one value per municipality).
UNWEIGHTED = "ovägt"

# Synonyms the main part may not use, with the word that replaces them.
RETIRED: dict[str, str] = {
    "95 %-intervall": MARGIN,
    "95 % säkerhet": MARGIN,
    "95 % konfidens": MARGIN,
    "konfidensintervall": MARGIN,
    "osäkerhetsintervall": MARGIN,
    "statistiskt säkerställd": CHANCE,
    "svarsviktade": "med hänsyn till antalet svar",
    "relativ förändring": "förändring i procent",
    "procentenheter": "förändring i procent",
    "inte uppnådda": NOT_REACHED,
    "säkert inte nått": NOT_REACHED,
    "oviktade": UNWEIGHTED,
    "ovägda": UNWEIGHTED,
    "minsta kvadratmetoden": "(bara i bilagan)",
    "Wilson": "(bara i bilagan)",
    "Katz": "(bara i bilagan)",
}

# Abbreviations spelled out at their first use in a document.
ABBREVIATIONS: dict[str, str] = {
    "MSEK": "miljoner kronor",
    "SKR": "Sveriges Kommuner och Regioner",
    "BRO": "Business Region Örebro",
    "RUS": "den regionala utvecklingsstrategin",
    "BRP": "bruttoregionprodukt",
    "NKI": "Nöjd-Kund-Index",
}


def spelled_out(abbreviation: str) -> str:
    """'miljoner kronor (MSEK)': the abbreviation's first use in a document."""
    return f"{ABBREVIATIONS[abbreviation]} ({abbreviation})"


def target_pct(share: float) -> str:
    """A relative target (0.2) written one way everywhere: '+20 %'."""
    return f"+{fmt_number(100 * share, 0)}{NBSP}%"


# The singular of the plan's units (okr.toml `enhet`) and of the counted words the texts use,
# for a count of one: "1 insats", "0 insatser". A key result's `enhet_ental` in okr.toml wins;
# a word that is neither here nor given there keeps its plural ("projekt", "företag" are both).
SINGULAR: dict[str, str] = {
    "insatser": "insats",
    "utbildningsinsatser": "utbildningsinsats",
    "workshops": "workshop",
    "arenor": "arena",
    "kommuner": "kommun",
    "medlemskommuner": "medlemskommun",
    "leads": "lead",
    "aktiviteter": "aktivitet",
    "dialoger": "dialog",
    "erfarenhetsutbyten": "erfarenhetsutbyte",
}


def unit_word(count, unit: str, singular: str = "") -> str:
    """The unit for a whole count: its singular for exactly 1 (`singular`, else SINGULAR's,
    else the unit itself), the plural otherwise: unit_word(1, 'insatser') -> 'insats'."""
    if count is None or count != 1:
        return unit
    return singular or SINGULAR.get(unit, unit)


def count_text(count, unit: str, singular: str = "") -> str:
    """A whole count with its unit: '1 insats', '2 insatser', '0 workshops'; no unit: '1'."""
    word = unit_word(count, unit, singular)
    return f"{fmt_int(count)} {word}" if word else fmt_int(count)


# English words the reader meets (the plan's own words, so they stay), marked for screen
# readers; Swedish inflections ("leadet", "leadsen") are Swedish words and stay unmarked.
ENGLISH = ("leads", "lead", "workshops", "workshop", "pipeline", "tech")

# Text inside these elements is left as it is: headings and captions name things briefly,
# links and code must stay exact.
_KEEP = {"head", "title", "script", "style", "h1", "h2", "h3", "h4", "h5", "h6", "a", "code", "nav", "svg", "th"}
_TAG = re.compile(r"(<[^>]+>)")
_NAME = re.compile(r"</?\s*([a-zA-Z0-9]+)")


def _text_nodes(html: str):
    """(index, kept) for each text between tags in _TAG.split(html); kept when inside _KEEP."""
    parts = _TAG.split(html)
    stack: list[str] = []
    for i, part in enumerate(parts):
        if i % 2:  # a tag
            name = _NAME.match(part)
            tag = name.group(1).lower() if name else ""
            if tag in _KEEP and not part.endswith("/>"):
                if part.startswith("</"):
                    if tag in stack:
                        stack.remove(tag)
                else:
                    stack.append(tag)
        else:
            yield i, bool(stack)


def spell_out_abbreviations(html: str) -> str:
    """The first use of each abbreviation in running text spelled out: '1 272 miljoner
    kronor (MSEK)', and for a genitive 'SKR:s (Sveriges Kommuner och Regioner)'."""
    pending = dict(ABBREVIATIONS)
    parts = _TAG.split(html)
    for i, kept in _text_nodes(html):
        if kept or not pending:
            continue
        text = parts[i]
        for short in list(pending):
            found = re.search(rf"\b{short}(:s)?\b", text)
            if not found:
                continue
            long = pending.pop(short)
            new = f"{short}:s ({long})" if found.group(1) else f"{long} ({short})"
            text = text[: found.start()] + new + text[found.end() :]
        parts[i] = text
    return "".join(parts)


def mark_english(html: str) -> str:
    """English words in running text wrapped in <span lang="en"> (WCAG 3.1.2)."""
    words = "|".join(ENGLISH)
    pattern = re.compile(rf"(?<![\w-])({words})(?![\w-])", re.IGNORECASE)
    parts = _TAG.split(html)
    for i, kept in _text_nodes(html):
        if not kept:
            parts[i] = pattern.sub(r'<span lang="en">\1</span>', parts[i])
    return "".join(parts)


def used_terms(glossary: list[tuple[str, str]], text: str) -> list[tuple[str, str]]:
    """The glossary's entries whose term the text uses (an inflected form counts:
    'Lead' matches 'leads', 'Konvertering' 'konverteringsgraden'), in the glossary's order."""
    lowered = text.lower()
    return [(term, meaning) for term, meaning in glossary if _stem(term) in lowered]


def _stem(term: str) -> str:
    word = term.lower()
    return word[:-1] if len(word) > 5 else word
