"""The command line speaks Swedish throughout: argparse's own headings and errors, a help
text for every option, Swedish option names with the English ones they had kept as aliases."""

from __future__ import annotations

import argparse

import pytest

from bro_analysis.running import cli

ENGLISH = ("usage:", "positional arguments", "options:", "optional arguments", "show this help", "show program")


def _commands(
    parser: argparse.ArgumentParser, path: tuple[str, ...] = ()
) -> list[tuple[tuple[str, ...], argparse.ArgumentParser]]:
    """Every parser of the command line with the words that reach it: ('kolada', 'fetch')."""
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


def test_every_command_is_checked():
    names = {" ".join(path) for path, _ in COMMANDS}
    assert {"", "init", "run", "validate", "bedömning", "publicera", "kolada fetch", "kolada import"} <= names


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
        (["run", "--jobb", "två"], "--jobb/--jobs: ogiltigt värde, inget heltal: 'två'"),
        (["kolada", "fetch", "--nyckeltal", "U07451"], "det här måste anges: --år/--years, --ut/--output"),
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
        (["run", "--ut", "U", "--jobb", "2", "--kör-om"], ["run", "--out", "U", "--jobs", "2", "--force"]),
        (["--felsök", "validate"], ["--debug", "validate"]),
        (["example-data", "--frö", "7", "--ut", "U"], ["example-data", "--seed", "7", "--out", "U"]),
        (
            ["kolada", "fetch", "--nyckeltal", "U1", "--kommun", "1880", "--år", "2024", "--ut", "F", "--bas-url", "B"],
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
        (["kolada", "import", "F", "--ut", "N"], ["kolada", "import", "F", "--output", "N"]),
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
