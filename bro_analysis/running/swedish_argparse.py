"""argparse in Swedish: the headings, the help option and the error messages argparse
writes itself ("usage:", "options", "error: the following arguments are required"), and
commands named in Swedish with aliases (an ASCII spelling, the English name they had).

argparse looks its own texts up through gettext (`argparse._`, `argparse.ngettext`) as it
builds a parser and as it parses; `SwedishParser` answers those look-ups from `SWEDISH`
while it does either, and leaves argparse as it was afterwards.
"""

from __future__ import annotations

import argparse
import contextlib
from collections.abc import Iterator
from typing import Any, NoReturn

SWEDISH = {
    "usage: ": "användning: ",
    "positional arguments": "argument",
    "options": "flaggor",
    "optional arguments": "flaggor",  # Python before 3.10
    "subcommands": "kommandon",
    "show this help message and exit": "visa den här hjälpen och avsluta",
    "%(prog)s: error: %(message)s\n": "%(prog)s: fel: %(message)s\n",
    "argument %(argument_name)s: %(message)s": "%(argument_name)s: %(message)s",
    "the following arguments are required: %s": "det här måste anges: %s",
    "unrecognized arguments: %s": "okända argument: %s",
    "invalid choice: %(value)r (choose from %(choices)s)": "ogiltigt val: %(value)r (välj bland %(choices)s)",
    "invalid choice: %(value)r, maybe you meant %(closest)r?": "ogiltigt val: %(value)r; menade du %(closest)r?",
    "invalid %(type)s value: %(value)r": "ogiltigt värde, inget %(type)s: %(value)r",
    "expected one argument": "ett värde behövs",
    "expected at most one argument": "högst ett värde",
    "expected at least one argument": "minst ett värde behövs",
    "ambiguous option: %(option)s could match %(matches)s": "tvetydig flagga: %(option)s kan vara %(matches)s",
    "not allowed with argument %s": "går inte att ange tillsammans med %s",
    "ignored explicit argument %r": "värdet %r ignorerades",
    "one of the arguments %s is required": "ett av de här måste anges: %s",
    "unexpected option string: %s": "oväntad flagga: %s",
    "unknown parser %(parser_name)r (choices: %(choices)s)": "okänt kommando %(parser_name)r (välj bland %(choices)s)",
    "can't open '%(filename)s': %(error)s": "kan inte öppna '%(filename)s': %(error)s",
}
SWEDISH_PLURAL = {"expected %s argument": ("%s värde behövs", "%s värden behövs")}


def swedish(message: Any) -> Any:
    """argparse's text in Swedish; a text without a translation (or None) as it is."""
    return SWEDISH.get(message, message) if isinstance(message, str) else message


def swedish_plural(singular: str, plural: str, n: int) -> str:
    one, many = SWEDISH_PLURAL.get(singular, (singular, plural))
    return one if n == 1 else many


@contextlib.contextmanager
def in_swedish() -> Iterator[None]:
    """argparse's own texts in Swedish inside the block."""
    saved = argparse._, argparse.ngettext  # type: ignore[attr-defined]
    argparse._, argparse.ngettext = swedish, swedish_plural  # type: ignore[attr-defined]
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved  # type: ignore[attr-defined]


def whole_number(text: str) -> int:
    """An integer option's value (argparse names the type in its error: "inget heltal")."""
    return int(text)


whole_number.__name__ = "heltal"


class Commands(argparse._SubParsersAction):
    """The subcommands. Each has its Swedish name and aliases (`kör`: `kor`, `run`); the
    namespace holds the Swedish name whichever was typed, and an unknown command is told
    the Swedish names only."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.names: dict[str, str] = {}  # every name and alias -> the command's Swedish name

    def add_parser(self, name: str, **kwargs: Any) -> Any:
        self.names.update(dict.fromkeys((name, *kwargs.get("aliases", ())), name))
        return super().add_parser(name, **kwargs)

    def __call__(self, parser: Any, namespace: Any, values: Any, option_string: Any = None) -> None:
        super().__call__(parser, namespace, values, option_string)
        if self.dest is not argparse.SUPPRESS:
            setattr(namespace, self.dest, self.names[values[0]])


class SwedishHelp(argparse.HelpFormatter):
    """Help with room for a command and its aliases on one line: `kör (kor, run)`."""

    def __init__(self, prog: str, indent_increment: int = 2, max_help_position: int = 32, width: int | None = None):
        super().__init__(prog, indent_increment, max_help_position, width)

    def add_argument(self, action: argparse.Action) -> None:
        super().add_argument(action)
        # argparse measures the commands one indent less than it shows them, which pushes
        # a long one's help to the next line; measure them where they are shown
        if isinstance(action, argparse._SubParsersAction) and action.help is not argparse.SUPPRESS:
            for sub in action._get_subactions():
                shown = self._current_indent + self._indent_increment + len(self._format_action_invocation(sub))
                self._action_max_length = max(self._action_max_length, shown)


class SwedishParser(argparse.ArgumentParser):
    """An ArgumentParser (and its subcommands' parsers) whose headings, help option and
    error messages are in Swedish."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", SwedishHelp)
        with in_swedish():
            super().__init__(*args, **kwargs)
        self.register("action", "parsers", Commands)

    def add_subparsers(self, **kwargs: Any) -> Any:
        with in_swedish():
            return super().add_subparsers(**kwargs)

    def parse_args(self, *args: Any, **kwargs: Any) -> Any:
        with in_swedish():
            return super().parse_args(*args, **kwargs)

    def parse_known_args(self, *args: Any, **kwargs: Any) -> Any:
        with in_swedish():
            return super().parse_known_args(*args, **kwargs)

    def format_usage(self) -> str:
        with in_swedish():
            return super().format_usage()

    def format_help(self) -> str:
        with in_swedish():
            return super().format_help()

    def _check_value(self, action: argparse.Action, value: Any) -> None:
        if isinstance(action, Commands) and value not in action.names:  # the Swedish names, not every alias
            names = ", ".join(repr(name) for name in dict.fromkeys(action.names.values()))
            message = SWEDISH["invalid choice: %(value)r (choose from %(choices)s)"]
            raise argparse.ArgumentError(action, message % {"value": value, "choices": names})
        super()._check_value(action, value)

    def error(self, message: str) -> NoReturn:
        with in_swedish():
            super().error(message)
