"""Readability of the committee report's main part, shared by test_plain_swedish.py and
runnable by hand: `.venv/bin/python tests/readability.py REPORT.html …` prints LIX, the
longest sentence and every sentence over the limit.

Definitions (the test's contract):
- The main part is the report's HTML before `<h2 id="bilaga">`.
- Its prose is the text of every <p>, <li>, <figcaption> and <dd> (tables, headings,
  alt texts, scripts and styles are not prose; a <p> inside a <li> is read once). A source
  line (<p class="source">) is a list of names, a citation, not prose.
- A block of at most 4 words with no ".", "!" or "?" (a label such as "Orsak:", a name,
  a date) is not a sentence and is left out.
- A sentence ends at ".", "!" or "?" followed by a space and an upper-case letter, a digit
  or a quote, or at the end of its element; a colon or a semicolon does not end one.
- A word is a run of characters between spaces holding a letter or a digit; a number
  written with thin or non-breaking spaces ("1 272,0") is one word.
- Names: each member municipality's name, and a list of them joined by commas, "och" or
  "samt", counts as one word (a list of places is one item to the reader).
- A long word has more than 6 letters (digits are not letters).
- LIX = words / sentences + 100 · long words / words.
"""

from __future__ import annotations

import re
import sys
from html.parser import HTMLParser
from pathlib import Path

PROSE = {"p", "li", "figcaption", "dd"}
SKIP = {"script", "style", "table", "h1", "h2", "h3", "h4", "svg", "nav"}
MAIN_END = '<h2 id="bilaga">'

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZÅÄÖÉ0-9”\"'«(–-])")
_NUMBER_SPACE = re.compile(r"(?<=\d)[\u00a0\u202f](?=\d)")


class _Prose(HTMLParser):
    """Collects the text of each outermost prose element outside skipped ones."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self._skip = 0
        self._depth = 0
        self._buf: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in SKIP:
            self._skip += 1
        elif tag in PROSE and not self._skip:
            if self._depth:  # a nested prose element ends the outer one's sentence
                self._buf.append("\n")
            self._depth += 1
        elif tag == "br":
            self._buf.append("\n")

    def handle_endtag(self, tag):
        if tag in SKIP and self._skip:
            self._skip -= 1
        elif tag in PROSE and not self._skip and self._depth:
            self._depth -= 1
            self._buf.append("\n")
            if not self._depth:
                self.blocks.extend(b for b in "".join(self._buf).split("\n") if b.strip())
                self._buf = []

    def handle_data(self, data):
        if self._depth and not self._skip:
            self._buf.append(data)


def main_part(html: str) -> str:
    """The report's HTML before the appendix."""
    at = html.find(MAIN_END)
    assert at > 0, "rapporten saknar bilagans rubrik"
    return html[:at]


def prose_blocks(html: str) -> list[str]:
    """Each prose element's text, whitespace collapsed."""
    parser = _Prose()
    parser.feed(re.sub(r'<p class="source">.*?</p>', " ", html, flags=re.S))
    return [" ".join(b.split()) for b in parser.blocks]


def _names_as_one(text: str, names: list[str]) -> str:
    """Each name and each list of names becomes one token ('NAMN')."""
    alternatives = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    name = rf"(?:{alternatives})"
    return re.sub(rf"{name}(?:(?:,\s*|\s+och\s+|\s+samt\s+){name})*", "NAMN", text)


def sentences(blocks: list[str]) -> list[str]:
    """The sentences of the prose blocks (labels, names and dates left out)."""
    out: list[str] = []
    for block in blocks:
        if not re.search(r"[.!?]", block) and len(block.split()) <= 4:
            continue
        out.extend(s.strip() for s in _SENTENCE_END.split(block) if s.strip())
    return out


def words(sentence: str, names: list[str]) -> list[str]:
    """The sentence's words, names and lists of names as one."""
    text = _names_as_one(_NUMBER_SPACE.sub("", sentence), names)
    return [w for w in text.split() if any(c.isalnum() for c in w)]


def is_long(word: str) -> bool:
    return sum(c.isalpha() for c in word) > 6


def measure(html: str, names: list[str]) -> dict:
    """LIX, the longest sentence's word count and every sentence with its count."""
    found = sentences(prose_blocks(main_part(html)))
    counted = [(len(words(s, names)), s) for s in found]
    all_words = [w for s in found for w in words(s, names)]
    lix = len(all_words) / len(found) + 100 * sum(map(is_long, all_words)) / len(all_words)
    return {
        "lix": lix,
        "sentences": len(found),
        "words": len(all_words),
        "longest": max(n for n, _ in counted),
        "counted": counted,
    }


def _member_names() -> list[str]:
    from bro_analysis.core.config import load_plan

    return list(load_plan().members.values())


if __name__ == "__main__":
    limit = 25
    for arg in sys.argv[1:]:
        result = measure(Path(arg).read_text(encoding="utf-8"), _member_names())
        print(
            f"{arg}: LIX {result['lix']:.1f}, {result['sentences']} meningar, {result['words']} ord, "
            f"längsta mening {result['longest']} ord"
        )
        for n, s in sorted(result["counted"], reverse=True):
            if n > limit:
                print(f"  {n}: {s}")
