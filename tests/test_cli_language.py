"""The command line speaks Swedish throughout: argparse's own headings and errors, a help
text for every option, Swedish command and option names with the English ones they had (and
an ASCII spelling of a name with å, ä or ö) kept as aliases."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import pytest

from bro_analysis.running import cli

ROOT = Path(__file__).resolve().parents[1]

ENGLISH = ("usage:", "positional arguments", "options:", "optional arguments", "show this help", "show program")


def _commands(
    parser: argparse.ArgumentParser, path: tuple[str, ...] = ()
) -> list[tuple[tuple[str, ...], argparse.ArgumentParser]]:
    """Every parser of the command line with the words that reach it: ('kolada', 'hämta')."""
    found = [(path, parser)]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            seen = set()
            for name, sub in action.choices.items():
                if id(sub) not in seen:  # an alias names the same parser
                    seen.add(id(sub))
                    found += _commands(sub, (*path, name))
    return found


COMMANDS = _commands(cli.build_parser())


@pytest.fixture(autouse=True)
def _terminal_width(monkeypatch):
    """Help laid out for a common terminal's width, whatever terminal runs the tests."""
    monkeypatch.setenv("COLUMNS", "80")


def test_every_command_is_checked():
    names = {" ".join(path) for path, _ in COMMANDS}
    assert names == {"", *(" ".join(command) for command in ALIASES), "init", "mallar", "publicera", "kolada"}


@pytest.mark.parametrize("path", [path for path, _ in COMMANDS], ids=lambda p: " ".join(p) or "bro-analysis")
def test_help_has_no_english_heading(path, capsys):
    with pytest.raises(SystemExit) as done:
        cli.main([*path, "--help"])
    assert done.value.code == 0
    text = capsys.readouterr().out
    assert text.startswith("användning: bro-analysis")
    assert "flaggor:" in text and "visa den här hjälpen och avsluta" in text
    found = [word for word in ENGLISH if word in text]
    assert not found, (found, text)


@pytest.mark.parametrize("path", [path for path, _ in COMMANDS], ids=lambda p: " ".join(p) or "bro-analysis")
def test_every_option_and_argument_has_help(path):
    parser = dict(COMMANDS)[path]
    missing = [a.dest for a in parser._actions if not a.help or a.help == argparse.SUPPRESS]
    assert not missing, missing


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["kör", "--jobb", "två"], "--jobb/--jobs: ogiltigt värde, inget heltal: 'två'"),
        (["kolada", "hämta", "--nyckeltal", "U07451"], "det här måste anges: --år/--years, --ut/--output"),
        (["körr"], "ogiltigt val: 'körr'"),
        ([], "det här måste anges: KOMMANDO"),
        (["run", "--okänd"], "okända argument: --okänd"),
    ],
)
def test_usage_errors_are_swedish(argv, message, capsys):
    with pytest.raises(SystemExit) as done:
        cli.main(argv)
    assert done.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("användning: ") and ": fel: " in err and message in err, err
    assert "error:" not in err and "usage:" not in err


def test_argparse_is_left_as_it_was():
    """Other users of argparse in the same process keep its own texts."""
    cli.build_parser().format_help()
    assert "usage:" in argparse.ArgumentParser(prog="x").format_help()


@pytest.mark.parametrize(
    ("swedish", "english"),
    [
        (["kör", "--ut", "U", "--jobb", "2", "--kör-om"], ["run", "--out", "U", "--jobs", "2", "--force"]),
        (["--felsök", "kontrollera"], ["--debug", "validate"]),
        (["exempeldata", "--frö", "7", "--ut", "U"], ["example-data", "--seed", "7", "--out", "U"]),
        (
            ["kolada", "hämta", "--nyckeltal", "U1", "--kommun", "1880", "--år", "2024", "--ut", "F", "--bas-url", "B"],
            [
                "kolada",
                "fetch",
                "--kpi",
                "U1",
                "--municipality",
                "1880",
                "--years",
                "2024",
                "--output",
                "F",
                "--base-url",
                "B",
            ],
        ),
        (["kolada", "importera", "F", "--ut", "N"], ["kolada", "import", "F", "--output", "N"]),
    ],
)
def test_the_english_names_are_aliases(swedish, english):
    parser = cli.build_parser()
    assert vars(parser.parse_args(swedish)) == vars(parser.parse_args(english))


def test_options_are_named_in_swedish_first():
    """An option with two names is shown by its Swedish name; the second is the English alias."""
    english = {"--out", "--output", "--jobs", "--force", "--seed", "--debug", "--kpi", "--municipality", "--years"}
    for path, parser in COMMANDS:
        for action in parser._actions:
            if action.option_strings:
                assert action.option_strings[0] not in english | {"--base-url"}, (path, action.option_strings)


# --- the commands' names ---------------------------------------------------------------

ALIASES = {
    ("kör",): ("kor", "run"),
    ("kontrollera",): ("validate",),
    ("bedömning",): ("bedomning",),
    ("exempeldata",): ("example-data",),
    ("dokumentera",): ("docs",),
    ("kolada", "sök"): ("sok", "search"),
    ("kolada", "hämta"): ("hamta", "fetch"),
    ("kolada", "importera"): ("import",),
}
HANDLERS = {
    "kör": cli.cmd_run,
    "kontrollera": cli.cmd_validate,
    "bedömning": cli.cmd_assessment,
    "exempeldata": cli.cmd_example_data,
    "dokumentera": cli.cmd_docs,
    "sök": cli.cmd_kolada_search,
    "hämta": cli.cmd_kolada_fetch,
    "importera": cli.cmd_kolada_import,
}
# the least each command needs to parse
REQUIRED = {
    "bedömning": ["--period", "2025"],
    "sök": ["ord"],
    "hämta": ["--år", "2024", "--ut", "F"],
    "importera": ["F", "--ut", "N"],
}


@pytest.mark.parametrize(
    ("command", "alias"),
    [(c, a) for c, aliases in ALIASES.items() for a in aliases],
    ids=lambda x: x if isinstance(x, str) else " ".join(x),
)
def test_every_alias_runs_the_same_command_as_its_swedish_name(command, alias):
    parser = cli.build_parser()
    rest = REQUIRED.get(command[-1], [])
    by_name = parser.parse_args([*command, *rest])
    by_alias = parser.parse_args([*command[:-1], alias, *rest])
    assert by_alias.func is by_name.func is HANDLERS[command[-1]]
    assert vars(by_alias) == vars(by_name)  # the namespace names the command in Swedish, whichever was typed
    assert (by_name.command, getattr(by_name, "kolada_command", None)) == (
        (command[0], None) if len(command) == 1 else command
    )


def test_an_alias_with_a_non_ascii_letter_has_an_ascii_spelling():
    ascii_of = str.maketrans("åäö", "aao")
    for command, aliases in ALIASES.items():
        name = command[-1]
        assert name.isascii() or name.translate(ascii_of) in aliases, command


@pytest.mark.parametrize("path", [(), ("kolada",)], ids=["bro-analysis", "kolada"])
def test_help_lists_the_swedish_names_with_their_aliases(path, capsys):
    with pytest.raises(SystemExit):
        cli.main([*path, "--help"])
    text = capsys.readouterr().out
    usage = text.splitlines()[0]
    assert usage == f"användning: bro-analysis {' '.join(path) + ' ' if path else ''}[-h] " + (
        "[--version] [--felsök] KOMMANDO ..." if not path else "KOMMANDO ..."
    )
    listed = {command[-1]: aliases for command, aliases in ALIASES.items() if command[:-1] == path}
    for name, aliases in listed.items():
        # the name, its aliases in parentheses and its help on one line
        shown = f"    {name} ({', '.join(aliases)})"
        line = next((line for line in text.splitlines() if line.startswith(shown)), None)
        assert line is not None and line[len(shown) :].strip(), (shown, text)


def test_an_unknown_command_is_told_the_swedish_names_only(capsys):
    with pytest.raises(SystemExit):
        cli.main(["validera"])
    err = capsys.readouterr().err
    choices = err[err.index("välj bland") :]
    assert "'kör'" in choices and "'kontrollera'" in choices and "'exempeldata'" in choices
    assert not re.search(r"'(run|kor|validate|example-data|docs|bedomning)'", choices), err


ENGLISH_COMMAND = re.compile(
    r"bro-analysis (run|validate|docs|example-data|kolada (search|fetch|import))\b|[`'\"]kolada (search|fetch|import)\b"
)


def test_texts_that_name_a_command_name_it_in_swedish():
    """Messages, generated texts and the documentation a user reads from the code name the
    commands in Swedish (the English names still work, as aliases)."""
    files = [
        *(ROOT / "bro_analysis").rglob("*.py"),
        *(ROOT / "notebooks").glob("*.ipynb"),
        ROOT / "ARCHITECTURE.md",
        ROOT / "data" / "README.md",
        ROOT / "data" / "settings.toml",
        ROOT / "data" / "example" / "EXEMPELDATA.txt",
    ]
    found = [
        f"{path.relative_to(ROOT)}: {match.group(0)}"
        for path in files
        for match in ENGLISH_COMMAND.finditer(path.read_text(encoding="utf-8"))
    ]
    assert not found, found
