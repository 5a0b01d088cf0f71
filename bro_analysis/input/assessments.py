"""BRO's own assessment per period: `bedomningar/<period>.md` in the data folder.

A plain text file analysts write in any editor: a header block of `Nyckel: värde`
lines, then one `## <id>` section per key result with Bedömning, Orsak, Åtgärd and
Ansvarig. Files are only read; every problem of a file is reported at once with
file, line and value.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from bro_analysis.input.loading import DataError, Problem, decode

FOLDER = "bedomningar"
HEADER_KEYS = (
    "Diarienummer",
    "Sammanträde",
    "Handläggare",
    "Förslag till beslut",
    "Sammanfattning",
    "Fastställd av",
    "Fastställd datum",
)
SECTION_KEYS = ("Bedömning", "Orsak", "Åtgärd", "Ansvarig")
DATE_KEYS = ("Sammanträde", "Fastställd datum")
JUDGEMENT_KEYS = ("Bedömning", "Orsak", "Åtgärd")  # a section with none of these filled gets a warning
SUFFIX = ".md"
SHOWN_CHARS = 60

# One to four words, each starting with a letter, then ':' (the "Key:" of a key line).
_KEY_LINE = re.compile(r"(?P<key>[^\W\d_][\w-]*(?:[ \t]+[^\W\d_][\w-]*){0,3})[ \t]*:(?P<rest>.*)")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PERIOD_NAME = re.compile(r"\d{4}(?:-\d{2})?")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_ID_LIKE = re.compile(r"[^\W\d_]{1,3}\d{1,2}")  # 'M1', 'S12': a word that reads as a key result's id


README_SECTION = """## Bedömningar (BRO:s egen bedömning per period, valfri)

Fil: `bedomningar/<period>.md` i datamappen, t.ex. `bedomningar/2025.md` (helår)
eller `bedomningar/2026-08.md` (januari–augusti 2026). Analytikerna skriver den i
Anteckningar eller någon annan textredigerare; rapporten visar bedömningen bredvid
de beräknade värdena. Filen läses bara, den skrivs aldrig över.

- Teckenkodning UTF-8 (med eller utan BOM) eller Windows-1252; radslut som i
  Windows eller Linux.
- Överst ett huvud med raderna `Diarienummer`, `Sammanträde` (datum),
  `Handläggare` (namn och e-postadress), `Förslag till beslut`, `Sammanfattning`,
  `Fastställd av` och `Fastställd datum` (datum).
- Sedan ett avsnitt per nyckelresultat: en rubrik `## <id>` med id:t ur
  `okr.toml` som första ord (`## S1 – NKI, länets genomsnitt` går bra), och
  raderna `Bedömning`, `Orsak`, `Åtgärd` och `Ansvarig` (en roll, inte en person).
- En nyckel skrivs först på raden följd av kolon (`Bedömning: …`). Versaler,
  å/ä/ö och mellanslag runt nyckeln spelar ingen roll (`atgard :` = `Åtgärd:`).
  Värdet får fortsätta på raderna under; en tom rad inom värdet börjar ett nytt
  stycke, och värdet slutar vid nästa nyckel eller rubrik. En fortsättningsrad som själv börjar med `Ord:` ska
  dras in med några mellanslag, annars läses den som en nyckel.
- En tom nyckel går bra (mallen har tomma nycklar). Bedömningen räknas som
  fastställd när `Fastställd av` är ifyllt; till dess, och för en period utan
  fil, står det "Utkast – bedömningen är inte fastställd" på varje sida av
  nämndrapporten, och första sidan säger vilka nyckelresultat som saknar bedömning.
- `Ansvarig` gäller för perioden; utan den visas `ansvarig` ur `okr.toml`.
- En siffra i texten som inte är något av nyckelresultatets värden i rapporten
  (utfall, mål, föregående, prognos) ger en varning från `kontrollera` och `kör`
  med fil, rad, siffran och dagens värde, och rapporten markerar meningen. Årtal
  och datum räknas inte; skriv antal som inte är värden med bokstäver (”tre kommuner”).
- Kommentarer `<!-- … -->`, även över flera rader, läses inte. Mallen från
  `bro-analysis bedömning --period P` har periodens värde, status och prognos
  som kommentarer.
- En rubrik `# Titel` går bra och läses inte; `###`-rubriker används inte.

```
# Uppföljning januari–augusti 2026
Diarienummer: RUN 2026/0123
Sammanträde: 2026-10-08
Handläggare: Anna Exempel, anna.exempel@kommun.se
Förslag till beslut: Nämnden godkänner uppföljningen.
Sammanfattning: Två av tre mål nås.
  Prognosen: 3 projekt vid årets slut.
Fastställd av: BRO:s ledningsgrupp
Fastställd datum: 2026-09-24

## S1 – NKI, länets genomsnitt
Bedömning: Målet nås troligen 2027 om takten håller.
Orsak: Kortare handläggningstider inom bygglov.

Fler kommuner har infört e-tjänster.
Åtgärd: Nya workshoppar om bemötande under hösten.
Ansvarig: Samordnare näringslivsservice
```

Fel som stoppar körningen, med fil, rad och värde: en okänd nyckel, en nyckel
två gånger i samma avsnitt, en huvudnyckel i ett avsnitt (eller tvärtom), ett
okänt id, samma nyckelresultat två gånger, text som inte hör till någon nyckel,
ett datum som inte är ett giltigt `ÅÅÅÅ-MM-DD` och en kommentar som aldrig
avslutas. Varningar: `Fastställd av` utan `Fastställd datum` (eller tvärtom),
`Handläggare` utan e-postadress, ett avsnitt där varken Bedömning, Orsak eller
Åtgärd är ifyllt, och en fil i mappen vars namn inte är en period.

När ett nyckelresultat tas bort ur planen får tidigare perioders filer vara kvar
som de är: skriv dess id i listan `utgångna` under `[plan]` i `okr.toml`
(`"utgångna" = ["M1"]`). Ett avsnitt för ett sådant id visas inte och ger bara en
varning; ett id som varken finns i planen eller bland de utgångna är ett fel.
"""


def _fold(text: str) -> str:
    """Lower case without accents or extra spaces: ' Fastställd  av' -> 'faststalld av'."""
    text = unicodedata.normalize("NFKD", text.strip().lower())
    return " ".join("".join(ch for ch in text if not unicodedata.combining(ch)).split())


_KEYS = {_fold(k): k for k in (*HEADER_KEYS, *SECTION_KEYS)}


@dataclass(frozen=True)
class Entry:
    """One `Nyckel: värde` of the file, with the lines it came from."""

    key: str  # as spelled in HEADER_KEYS / SECTION_KEYS
    text: str  # paragraphs joined by a blank line, the lines of a paragraph by one space; may be ""
    line: int  # 1-based line of the "Key:" line
    lines: tuple[tuple[int, str], ...]  # (line, text of that line without "Key:" and comments), blank ones as ""


@dataclass(frozen=True)
class Section:
    """One key result's `## <id>` section."""

    id: str  # as the plan spells it
    line: int  # line of the heading
    entries: Mapping[str, Entry]

    def text(self, key: str) -> str:
        """The value of a section key, "" when absent."""
        entry = self.entries.get(key)
        return entry.text if entry else ""


@dataclass(frozen=True)
class Assessment:
    """The assessment file of one period."""

    file: str  # as messages name it: "bedomningar/2026-08.md"
    period: str  # "2026-08"
    header: Mapping[str, Entry]
    sections: Mapping[str, Section]  # in file order
    warnings: tuple[str, ...] = ()

    def text(self, key: str) -> str:
        """The value of a header key, "" when absent."""
        entry = self.header.get(key)
        return entry.text if entry else ""

    @property
    def approved(self) -> bool:
        """Someone is named under 'Fastställd av'."""
        return bool(self.text("Fastställd av"))

    @property
    def meeting(self) -> dt.date | None:
        return _date(self.text("Sammanträde"))

    @property
    def approved_on(self) -> dt.date | None:
        return _date(self.text("Fastställd datum"))

    @property
    def contact(self) -> tuple[str, str]:
        """(name, e-mail) from Handläggare; the e-mail "" when none is given."""
        return split_contact(self.text("Handläggare"))


def split_contact(text: str) -> tuple[str, str]:
    """'Anna Exempel, anna@x.se' or 'Anna Exempel <anna@x.se>' -> ('Anna Exempel', 'anna@x.se')."""
    match = _EMAIL.search(text)
    if not match:
        return text.strip(), ""
    name = (text[: match.start()] + " " + text[match.end() :]).replace("<>", " ").replace("()", " ")
    return " ".join(name.split()).strip(" ,;:<>()–-"), match.group(0)


def _date(text: str) -> dt.date | None:
    """A valid ÅÅÅÅ-MM-DD, else None."""
    if not _DATE.fullmatch(text):
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


# --- where the files are ---------------------------------------------------------


def assessment_path(data_dir: Path, period_key: str) -> Path:
    """Where the period's file belongs: <data>/bedomningar/<period>.md."""
    return Path(data_dir) / FOLDER / f"{period_key}{SUFFIX}"


def assessment_files(data_dir: Path) -> list[Path]:
    """The .md files of the folder (README.md excluded), sorted; [] without a folder."""
    folder = Path(data_dir) / FOLDER
    if not folder.is_dir():
        return []
    return sorted(
        p for p in folder.iterdir() if p.suffix.lower() == SUFFIX and p.stem.lower() != "readme" and not p.is_dir()
    )


def load_assessment(
    data_dir: Path, period_key: str, ids: Sequence[str], retired: Sequence[str] = ()
) -> Assessment | None:
    """The period's assessment, None when there is no file for it. A section for a `retired`
    id (okr.toml's utgångna) is left out with a warning; any other id not in `ids` is an error."""
    path = assessment_path(data_dir, period_key)
    if not path.exists():  # also 2026-08.MD
        path = next((p for p in assessment_files(data_dir) if p.name.lower() == path.name.lower()), path)
    if not path.exists() and not path.is_symlink():
        return None
    return read_assessment(path, ids, period_key, retired=retired)


def check_folder(data_dir: Path, ids: Sequence[str], retired: Sequence[str] = ()) -> tuple[list[Assessment], list[str]]:
    """Read every assessment file of the folder; DataError listing every problem of every file.

    The warnings are about the folder (a file whose name is not a period, a file
    saved as .txt); each assessment carries its own warnings.
    """
    folder = Path(data_dir) / FOLDER
    warnings = _folder_warnings(Path(data_dir))
    assessments: list[Assessment] = []
    problems: list[Problem] = []
    for path in assessment_files(data_dir):
        name = f"{FOLDER}/{path.name}"
        if not _is_period_key(path.stem):
            warnings.append(
                f"{name}: filnamnet är ingen period och filen lästes inte; "
                "döp den till perioden, t.ex. 2025.md (helår) eller 2026-08.md (januari–augusti)"
            )
            continue
        try:
            assessments.append(read_assessment(path, ids, path.stem, retired=retired))
        except DataError as exc:
            problems += exc.problems
    if problems:
        raise DataError(problems)
    if folder.is_dir():
        for path in sorted(folder.iterdir()):
            base, dot, rest = path.name.partition(".")
            if dot and rest.lower() != "md" and _is_period_key(base) and path.is_file():
                warnings.append(
                    f"{FOLDER}/{path.name}: lästes inte – bedömningar läses bara från .md-filer; döp den till {base}.md"
                )
    return assessments, warnings


def _folder_warnings(data_dir: Path) -> list[str]:
    """A folder spelled 'bedömningar' or 'Bedomningar' is not read; say so."""
    if (data_dir / FOLDER).is_dir() or not data_dir.is_dir():
        return []
    return [
        f"{p.name}: mappen lästes inte – bedömningarna ska ligga i mappen '{FOLDER}' (utan å/ä/ö, små bokstäver)"
        for p in sorted(data_dir.iterdir())
        if p.is_dir() and _fold(p.name) == FOLDER
    ]


def _is_period_key(stem: str) -> bool:
    """'2025' or '2026-08' (months 01–11; '2026-12' is the full year '2026')."""
    if not _PERIOD_NAME.fullmatch(stem):
        return False
    return len(stem) == 4 or 1 <= int(stem[5:]) <= 11


# --- reading one file --------------------------------------------------------------


def read_assessment(
    path: Path, ids: Sequence[str], period_key: str, name: str | None = None, retired: Sequence[str] = ()
) -> Assessment:
    """Read and check one assessment file; DataError listing every problem of it. A section
    for a `retired` id is left out with a warning."""
    path = Path(path)
    name = name or f"{FOLDER}/{path.name}"
    try:
        raw = path.read_bytes()
    except OSError as exc:
        message = "är en mapp, inte en fil" if path.is_dir() else f"kan inte läsas ({exc.strerror or exc})"
        raise DataError([Problem(name, message=message)]) from None
    text = decode(raw)
    if "\x00" in text:
        raise DataError(
            [Problem(name, message="är ingen textfil; spara bedömningen som vanlig text (.md) i t.ex. Anteckningar")]
        )
    reader = _Reader(name, ids, retired)
    reader.read(text)
    if reader.problems:
        raise DataError(reader.problems)
    header = reader.header
    sections = {s.id: s for s in reader.sections}
    warnings = reader.left_out + _warnings(name, header, reader.sections)
    return Assessment(file=name, period=period_key, header=header, sections=sections, warnings=tuple(warnings))


def _strip_comments(text: str, file: str, problems: list[Problem]) -> str:
    """The text with every <!-- … --> removed, its line breaks kept so line numbers stay the file's."""
    out = []
    pos = 0
    while (start := text.find("<!--", pos)) >= 0:
        out.append(text[pos:start])
        end = text.find("-->", start + 4)
        if end < 0:
            line = len(_LINE_BREAK.findall(text[:start])) + 1
            problems.append(
                Problem(
                    file,
                    row=line,
                    value=_shown(_LINE_BREAK.split(text[start:], maxsplit=1)[0]),
                    message="kommentaren '<!--' avslutas aldrig; skriv '-->' där kommentaren slutar",
                )
            )
            end = len(text) - 3
        comment = text[start : end + 3]
        out.append("\n" * len(_LINE_BREAK.findall(comment)))
        pos = end + 3
    out.append(text[pos:])
    return "".join(out)


def _nearest(word: str, choices: Sequence[str], cutoff: float) -> str | None:
    """The choice most like `word` (the first of equals), None when none is alike."""
    scores = [difflib.SequenceMatcher(None, _fold(word), _fold(c)).ratio() for c in choices]
    best = max(scores, default=0.0)
    return choices[scores.index(best)] if best >= cutoff else None


def _shown(text: str) -> str:
    text = text.strip()
    return text if len(text) <= SHOWN_CHARS else text[: SHOWN_CHARS - 1] + "…"


@dataclass
class _Open:
    """The entry being read: its key (None when it is not kept) and its lines."""

    key: str | None
    line: int
    lines: list[tuple[int, str]] = field(default_factory=list)


@dataclass
class _Reader:
    """Reads the lines of one file block by block, collecting entries and problems."""

    file: str
    ids: Sequence[str]
    retired: Sequence[str] = ()
    problems: list[Problem] = field(default_factory=list)
    left_out: list[str] = field(default_factory=list)  # warnings for the sections of retired ids
    header: dict[str, Entry] = field(default_factory=dict)
    sections: list[Section] = field(default_factory=list)

    def read(self, text: str) -> None:
        original = _LINE_BREAK.split(text)
        cleaned = _LINE_BREAK.split(_strip_comments(text, self.file, self.problems))
        self._block: dict[str, Entry] | None = self.header  # None: a section that is not kept
        self._in_section = False
        self._seen: dict[str, int] = {}
        self._open: _Open | None = None
        self._section_lines: dict[str, int] = {}
        for number, (line, before) in enumerate(zip(cleaned, original), start=1):
            if not line.strip() and before.strip():
                continue  # a line holding only a comment: not even a paragraph break
            self._line(number, line)
        self._close()

    def _line(self, number: int, line: str) -> None:
        if line.startswith("##") or line.startswith("# ") or line.rstrip() == "#":  # not '#1 prioritet'
            self._heading(number, line)
            return
        match = _KEY_LINE.fullmatch(line)
        if match and self._is_key_line(match):
            self._key(number, match.group("key"), match.group("rest"))
        elif self._open is not None:
            self._open.lines.append((number, line.strip()))
        elif line.strip():
            where = "under rubriken" if self._in_section else "i huvudet"
            self.problems.append(
                Problem(
                    self.file,
                    row=number,
                    value=_shown(line),
                    message=(
                        f"texten {where} hör inte till någon nyckel; skriv den efter en nyckel som "
                        f"'{'Bedömning' if self._in_section else 'Sammanfattning'}:' eller gör den till en kommentar "
                        "<!-- … -->"
                    ),
                )
            )
            self._open = _Open(None, number)  # the rest of the paragraph gives no more errors

    @staticmethod
    def _is_key_line(match: re.Match) -> bool:
        """'BRO:s' or 'https://' starts no key; 'Bedömning:Text' (a known key) does."""
        rest = match.group("rest")
        return not rest or rest[0] in " \t" or _fold(match.group("key")) in _KEYS

    def _heading(self, number: int, line: str) -> None:
        level = len(line) - len(line.lstrip("#"))
        title = line[level:].strip()
        if level == 1:
            self._close()
            return
        if level > 2:
            self.problems.append(
                Problem(
                    self.file,
                    row=number,
                    value=_shown(line),
                    message="rubriker med ### eller fler används inte; varje nyckelresultat får en rubrik '## <id>'",
                )
            )
            return
        self._close()
        self._in_section = True
        self._seen = {}
        self._block = None
        word = re.match(r"\w+", title)
        if not word:
            self.problems.append(
                Problem(
                    self.file,
                    row=number,
                    value=_shown(line),
                    message=f"rubriken saknar nyckelresultatets id; skriv t.ex. '## {self._example_id()}'",
                )
            )
            return
        kr_id = self._plan_id(word.group(0))
        retired = self._retired_id(word.group(0))
        if kr_id is None and retired is not None:
            self.left_out.append(
                f"{self.file}, rad {number}: {retired} finns inte längre i planen (utgångna i okr.toml); "
                "avsnittet visas inte"
            )
        elif kr_id is None:
            self.problems.append(
                Problem(self.file, row=number, value=word.group(0), message=self._unknown_id(word.group(0)))
            )
        elif kr_id in self._section_lines:
            self.problems.append(
                Problem(
                    self.file,
                    row=number,
                    value=word.group(0),
                    message=(
                        f"avsnittet för {kr_id} finns redan på rad {self._section_lines[kr_id]}; "
                        "varje nyckelresultat får bara ett avsnitt"
                    ),
                )
            )
        else:
            self._section_lines[kr_id] = number
            self._block = {}
            self.sections.append(Section(id=kr_id, line=number, entries=self._block))

    def _plan_id(self, word: str) -> str | None:
        return next((i for i in self.ids if i.casefold() == word.casefold()), None)

    def _retired_id(self, word: str) -> str | None:
        return next((i for i in self.retired if i.casefold() == word.casefold()), None)

    def _example_id(self) -> str:
        return self.ids[0] if self.ids else "S1"

    def _unknown_id(self, word: str) -> str:
        near = _nearest(word, self.ids, cutoff=0.5)
        hint = f"menade du {near}? " if near else ""
        example = f'"utgångna" = ["{word}"]' if _ID_LIKE.fullmatch(word) else '"utgångna" = ["M1"]'
        return (
            f"okänt nyckelresultat; {hint}Planens id (okr.toml): {', '.join(self.ids)}. "
            "Har nyckelresultatet tagits bort ur planen: skriv id:t i listan utgångna under [plan] i okr.toml "
            f"({example}), så visas avsnittet inte och filen får vara kvar som den är."
        )

    def _key(self, number: int, written: str, rest: str) -> None:
        self._close()
        key = _KEYS.get(_fold(written))
        message = self._key_problem(written, key)
        if message or key is None:
            self.problems.append(Problem(self.file, row=number, value=written.strip(), message=message or ""))
            self._open = _Open(None, number)  # its value lines give no more errors
            return
        self._seen[key] = number
        self._open = _Open(key, number, [(number, rest.strip())])

    def _key_problem(self, written: str, key: str | None) -> str | None:
        """What is wrong with a key at this place, None when it is right."""
        allowed = SECTION_KEYS if self._in_section else HEADER_KEYS
        if key is None:
            near = _nearest(written, allowed, cutoff=0.6)
            hint = f"menade du '{near}'? " if near else ""
            where = "ett nyckelresultats avsnitt" if self._in_section else "huvudet (före första ##-rubriken)"
            return (
                f"okänd nyckel; {hint}I {where} finns: {', '.join(allowed)}. "
                "Fortsätter raden föregående värde? Dra då in den med några mellanslag."
            )
        if key not in allowed and self._in_section:
            return f"'{key}' hör till huvudet överst i filen, före första ##-rubriken"
        if key not in allowed:
            return f"'{key}' hör till ett nyckelresultats avsnitt, under en rubrik som '## {self._example_id()}'"
        if key in self._seen:
            where = "avsnitt" if self._in_section else "huvud"
            return f"'{key}' finns redan på rad {self._seen[key]} i samma {where}; skriv den en gång"
        return None

    def _close(self) -> None:
        """Store the open entry (when kept), checking a date's form."""
        entry, self._open = self._open, None
        if entry is None or entry.key is None or self._block is None:
            return
        lines = entry.lines
        while len(lines) > 1 and not lines[-1][1]:
            lines.pop()
        paragraphs = " ".join(text if text else "\n" for _, text in lines).split("\n")
        value = "\n\n".join(" ".join(p.split()) for p in paragraphs if p.strip())
        if entry.key in DATE_KEYS and value and _date(value) is None:
            self.problems.append(
                Problem(
                    self.file,
                    row=entry.line,
                    value=_shown(value),
                    message=(
                        f"'{entry.key}': datumet finns inte i kalendern; kontrollera dag och månad (ÅÅÅÅ-MM-DD)"
                        if _DATE.fullmatch(value)
                        else f"'{entry.key}' ska vara ett datum som ÅÅÅÅ-MM-DD, t.ex. 2026-10-08"
                    ),
                )
            )
        self._block[entry.key] = Entry(key=entry.key, text=value, line=entry.line, lines=tuple(lines))


def _warnings(file: str, header: Mapping[str, Entry], sections: Sequence[Section]) -> list[str]:
    """Things that may be meant but are worth a look; never an error."""
    out = []

    def text(key: str) -> str:
        return header[key].text if key in header else ""

    by, on = text("Fastställd av"), text("Fastställd datum")
    if by and not on:
        out.append(
            f"{file}, rad {header['Fastställd av'].line}: 'Fastställd av' är ifyllt men 'Fastställd datum' saknas"
        )
    if on and not by:
        out.append(
            f"{file}, rad {header['Fastställd datum'].line}: 'Fastställd datum' är ifyllt men 'Fastställd av' saknas; "
            "bedömningen räknas inte som fastställd"
        )
    contact = text("Handläggare")
    if contact and not split_contact(contact)[1]:
        out.append(
            f"{file}, rad {header['Handläggare'].line}: 'Handläggare' saknar e-postadress; "
            "skriv t.ex. 'Anna Exempel, anna.exempel@kommun.se'"
        )
    for section in sections:
        if not any(section.text(k) for k in JUDGEMENT_KEYS):
            out.append(
                f"{file}, rad {section.line}: avsnittet {section.id} har varken Bedömning, Orsak eller Åtgärd ifyllt"
            )
    return out
