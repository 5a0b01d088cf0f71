"""The report's words: each concept has one word, used by every text function, so the
committee reads the same thing the same way everywhere. RETIRED lists the synonyms the
main part of the report may no longer use (tests/test_plain_swedish.py checks them);
the method's own terms are allowed only in the appendix."""

from __future__ import annotations

from bro_analysis.presentation.formatting import NBSP, fmt_number

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
