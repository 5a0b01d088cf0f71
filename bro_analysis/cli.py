"""Command line: `bro-analysis run | validate | example-data | docs`.

Exit codes: 0 everything went well, 1 a notebook failed, 2 bad input or usage.
Errors are printed as readable Swedish text; `--debug` shows the traceback.
"""
from __future__ import annotations

import argparse
import sys
import traceback
from pathlib import Path

from . import __version__
from .config import EXAMPLE_DATA_DIR, OUTPUTS_DIR, ConfigError
from .dataset import DataError, load_dataset
from .periods import PeriodError, Period, check_not_future, latest_complete_year, parse_periods, years_in_tables

EXIT_OK, EXIT_FAILED, EXIT_INPUT = 0, 1, 2


def _print_warnings(warnings: list[str]) -> None:
    for w in warnings:
        print(f"Varning: {w}", file=sys.stderr)


def resolve_periods(requested: list[str] | None, years: set[int]) -> list[Period]:
    """The requested periods, checked; default the latest complete year in the data."""
    if not requested:
        return [Period(latest_complete_year(years))]
    periods = parse_periods(requested)
    for period in periods:
        check_not_future(period)
        if period.year not in years:
            raise PeriodError(f"Ingen data för perioden {period.key}; data finns för "
                              f"{min(years)}–{max(years)}" if years else "Ingen data alls")
    return periods


def cmd_run(args) -> int:
    from .runner import run_periods

    dataset = load_dataset(args.data)
    _print_warnings(dataset.warnings)
    periods = resolve_periods(args.period, years_in_tables(dataset.tables))
    results = run_periods(periods, Path(args.data), Path(args.out))
    failed = [r for r in results if not r.ok]
    print(f"\n{len(results) - len(failed)} av {len(results)} notebooks klara; resultat i {args.out}")
    for r in failed:
        print(f"MISSLYCKADES: {r.period} · {r.notebook}: {r.error}\n"
              f"  körd notebook sparad: {r.executed}", file=sys.stderr)
    return EXIT_FAILED if failed else EXIT_OK


def cmd_validate(args) -> int:
    dataset = load_dataset(args.data)
    _print_warnings(dataset.warnings)
    for source in dataset.sources:
        print(f"OK  {source.file}: {source.rows} rader")
    return EXIT_OK


def cmd_example_data(args) -> int:
    from .example_data import write_example_data

    paths = write_example_data(Path(args.out), seed=args.seed)
    print(f"Skrev {len(paths)} filer till {args.out}")
    return EXIT_OK


def cmd_docs(args) -> int:
    from .docs import write_data_readme

    write_data_readme(Path(args.out))
    print(f"Skrev {args.out}")
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="bro-analysis", description="BRO:s analysarbetsbok")
    parser.add_argument("--version", action="version", version=__version__)
    parser.add_argument("--debug", action="store_true", help="visa fullständig felsökningsinformation")
    sub = parser.add_subparsers(dest="command", required=True)

    run = sub.add_parser("run", help="kör alla notebooks för en eller flera perioder")
    run.add_argument("--period", nargs="+", help="2025, 2026-08 (jan–aug) eller ett intervall 2019-2025")
    run.add_argument("--data", default=str(EXAMPLE_DATA_DIR), help="datamapp (standard: exempeldata)")
    run.add_argument("--out", default=str(OUTPUTS_DIR), help="utdatamapp (standard: outputs/)")
    run.set_defaults(func=cmd_run)

    val = sub.add_parser("validate", help="kontrollera alla tabeller i en datamapp")
    val.add_argument("--data", default=str(EXAMPLE_DATA_DIR))
    val.set_defaults(func=cmd_validate)

    ex = sub.add_parser("example-data", help="skapa exempeldata med en fast slumpfrö")
    ex.add_argument("--out", default=str(EXAMPLE_DATA_DIR))
    ex.add_argument("--seed", type=int, default=2026)
    ex.set_defaults(func=cmd_example_data)

    docs = sub.add_parser("docs", help="skriv data/README.md från datakontrakten")
    docs.add_argument("--out", default=str(EXAMPLE_DATA_DIR.parent / "README.md"))
    docs.set_defaults(func=cmd_docs)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except (DataError, PeriodError, ConfigError) as exc:
        if args.debug:
            traceback.print_exc()
        print(str(exc), file=sys.stderr)
        return EXIT_INPUT
    except KeyboardInterrupt:
        print("Avbrutet; tidigare resultat är orörda.", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
