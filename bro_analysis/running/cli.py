"""Command line: `bro-analysis init | mallar | kör | kontrollera | bedömning | publicera | exempeldata |
dokumentera | kolada sök | hämta | importera`.

Exit codes: 0 everything went well, 1 a notebook failed, 2 bad input or usage.
Errors are printed as readable Swedish text; `--felsök` (or `--debug`) shows the traceback.
Every text, argparse's own included (swedish_argparse), is Swedish; commands and options are
named in Swedish, with the English name they had before (and an ASCII spelling of a name
with å, ä or ö) kept as an alias.
The plan, settings and data are found in the order config.find_workdir documents.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import os
import sys
import traceback
from collections.abc import Iterator
from pathlib import Path

from bro_analysis import __version__
from bro_analysis.core.config import (
    ENV_DATA,
    ENV_WORKDIR,
    ConfigError,
    MemberError,
    check_settings,
    data_folder,
    find_workdir,
    load_plan,
)
from bro_analysis.core.periods import Period, PeriodError, resolve_periods
from bro_analysis.input.kolada import KoladaError
from bro_analysis.input.loading import DataError, load_dataset
from bro_analysis.running.archive import ArchiveError
from bro_analysis.running.notebook_rules import check_notebooks
from bro_analysis.running.swedish_argparse import SwedishParser, whole_number

EXIT_OK, EXIT_FAILED, EXIT_INPUT = 0, 1, 2


class UsageError(ValueError):
    """A command line that cannot be carried out as given (e.g. an unsafe output folder)."""


def check_output_folder(out: Path, data: Path) -> None:
    """Outputs never go into the input folder or the repository's data/ folder: inputs are only read."""
    out = Path(out).resolve()
    if out.exists() and not out.is_dir():
        raise UsageError(f"Utdatamappen {out} är en fil, inte en mapp; ange en mapp med --ut.")
    for folder in (Path(data).resolve(), (find_workdir().root / "data").resolve()):
        if out == folder or folder in out.parents:
            raise UsageError(
                f"Utdatamappen {out} ligger i datamappen {folder}; indata ska bara läsas. "
                "Välj en utdatamapp utanför, t.ex. outputs/."
            )


def _print_warnings(warnings: list[str]) -> None:
    for w in warnings:
        print(f"Varning: {w}", file=sys.stderr)


def _write_pdfs(periods: list[Period], out: Path) -> int:
    """The committee report and every kommunblad of each period also as PDF (A4, page
    numbers, bookmarks) via headless Chromium."""
    from bro_analysis.running.browser import EXAMPLE_HEADER, write_pdfs
    from bro_analysis.running.combine import report_name
    from bro_analysis.running.runner import MEMBERS_DIR

    for period in periods:
        html = out / period.key / report_name(period.key)
        records = json.loads((html.parent / "okr.json").read_text(encoding="utf-8"))
        header = EXAMPLE_HEADER if any(r.get("exempeldata") for r in records) else ""
        pages = [html, *sorted((html.parent / MEMBERS_DIR).glob("*.html"))]
        try:
            pdfs = write_pdfs([(page, page.with_suffix(".pdf")) for page in pages], header)
        except Exception as exc:  # a browser failure is reported, the HTML stands
            print(f"MISSLYCKADES: PDF för {period.key} kunde inte skrivas: {exc}", file=sys.stderr)
            return EXIT_FAILED
        print(f"{period.key} · PDF: {pdfs[0]} och {len(pdfs) - 1} kommunblad")
    return EXIT_OK


def _vocabularies() -> dict[str, tuple[str, ...]]:
    """The values settings.toml may name, from the data contracts (settings_schema's `vocabulary`)."""
    from bro_analysis.input.contracts import LEAD_STAGES, NKI_AREAS, NKI_MEASURES, TABLES

    vocabularies = {
        "nki_områden": NKI_AREAS,
        "nki_delområden": tuple(a for a in NKI_AREAS if a != "totalt"),
        "nki_mått": NKI_MEASURES,
        "lead_steg": LEAD_STAGES,
    }
    # [täckning]: the registers' columns that hold categories, and their allowed values
    registers = []
    for table in TABLES.values():
        columns = [c for c in table.columns if c.kind == "category" or c.label]
        if columns:
            registers.append(table.name)
            vocabularies[f"täckning_kolumner:{table.name}"] = tuple(c.name for c in columns)
            vocabularies.update({f"kategorier:{table.name}.{c.name}": c.allowed for c in columns if c.allowed})
    vocabularies["täckning_tabeller"] = tuple(registers)
    return vocabularies


def check_plan(metrics: bool = True) -> None:
    """Both configuration files read and checked against their schemas, and (with
    `metrics`) every key result's mått known, before any data is read. Every problem of
    both files is reported together (a ConfigError: exit 2)."""
    problems, members = [], None
    try:
        plan = load_plan()
        members = len(plan.members)
        if metrics:
            check_metrics(plan)
    except ConfigError as exc:
        problems.append(str(exc))
    try:
        check_settings(None, _vocabularies(), members)
    except ConfigError as exc:
        problems.append(str(exc))
    if problems:
        raise ConfigError("\n\n".join(problems))


def check_metrics(plan) -> None:
    """Every key result's mått is one an area computes (imports the whole analysis)."""
    from bro_analysis.analysis.registry import check_plan as check

    check(plan)


def replaced_text(replaced: list[Path], out: Path) -> str:
    """Which earlier outputs this run replaced, exactly; everything else is untouched."""
    if not replaced:
        return "Inga tidigare resultat har ersatts."
    names = ", ".join(sorted({str(p.relative_to(out.resolve())) for p in replaced}))
    return f"Ersatta under körningen: {names}. Alla andra tidigare resultat är orörda."


def cmd_run(args) -> int:
    from bro_analysis.running.runner import is_per_member, list_notebooks, run_periods

    args.data, args.out = str(data_folder(args.data)), args.out or str(find_workdir().outputs)
    check_plan(metrics=False)  # the mått, which needs the whole analysis, only when something runs
    check_notebooks(list_notebooks(), load_plan())  # every notebook's area and rules, before any cell runs

    if getattr(args, "pdf", False):
        from bro_analysis.running.browser import BrowserMissing, check_available

        try:
            check_available()
        except BrowserMissing as exc:
            print(f"Kan inte skriva PDF: {exc}", file=sys.stderr)
            return EXIT_INPUT
    check_output_folder(Path(args.out), Path(args.data))
    dataset = load_dataset(args.data)
    _print_warnings(dataset.warnings)
    periods = resolve_periods(args.period, dataset.tables)
    _print_warnings(check_assessments(Path(args.data), [p.key for p in periods]))
    compare = Path(args.compare) if args.compare else None
    if compare is not None and not compare.is_file():
        raise UsageError(f"--jämför {compare}: filen finns inte (ange en tidigare rapports okr.json)")
    plan = load_plan()
    members = [plan.member(m)[0] for m in args.kommun] if args.kommun else None
    replaced: list[Path] = []
    try:
        with _working_in(find_workdir().root):  # the kernels find the same plan, wherever their notebooks are
            results = run_periods(
                periods,
                Path(args.data),
                Path(args.out),
                jobs=args.jobs,
                force=args.force,
                compare_with=compare,
                replaced=replaced,
                members=members,
                notebooks=[nb for nb in list_notebooks() if not is_per_member(nb)] if args.no_profiles else None,
                before_running=lambda: check_metrics(plan),
            )
    except KeyboardInterrupt:
        if not args.debug:  # tasks the interrupt cut short are not worth a traceback
            logging.getLogger("asyncio").setLevel(logging.CRITICAL)
        print(f"Avbrutet. {replaced_text(replaced, Path(args.out))}", file=sys.stderr)
        return 130
    failed = [r for r in results if not r.ok]
    cached = sum(r.cached for r in results)
    print(
        f"\n{len(results) - len(failed)} av {len(results)} delar klara ({cached} oförändrade, från cache); "
        f"resultat i {args.out}"
    )
    for r in failed:
        print(
            f"MISSLYCKADES: {r.period} · {r.notebook}: {r.error}\n  körd notebook sparad: {r.executed}", file=sys.stderr
        )
    if failed:
        print(replaced_text(replaced, Path(args.out)), file=sys.stderr)
    if not failed:
        from bro_analysis.running.archive import write_index

        print(f"Förteckning över alla rapporter: {write_index(Path(args.out))[0]}")
    if getattr(args, "pdf", False) and not failed:
        return _write_pdfs(periods, Path(args.out))
    return EXIT_FAILED if failed else EXIT_OK


def check_assessments(data: Path, periods: list[str] | None = None) -> list[str]:
    """BRO's assessment files (of `periods`, or every file in bedomningar/) read and checked
    (a DataError naming file, line and value: exit 2), and the warnings: each file's own and
    every number in its text that no longer matches the key result's values today."""
    from bro_analysis.analysis.summary import assessment_warnings
    from bro_analysis.input.assessments import check_folder, load_assessment

    plan = load_plan()
    ids, retired = [kr.id for kr in plan.key_results], plan.retired
    if periods is None:
        found, warnings = check_folder(data, ids, retired)
    else:
        found, warnings = [a for a in (load_assessment(data, p, ids, retired) for p in periods) if a], []
    for assessment in found:
        warnings += assessment_warnings(assessment, data)
    return warnings


def cmd_validate(args) -> int:
    args.data = str(data_folder(args.data))
    check_plan()
    from bro_analysis.running.runner import list_notebooks

    check_notebooks(list_notebooks(), load_plan())
    from bro_analysis.analysis.context import load_dataset_once

    dataset = load_dataset_once(Path(args.data))  # read once: the assessment check below reuses it
    _print_warnings(dataset.warnings)
    for source in dataset.sources:
        print(f"OK  {source.file}: {source.rows} rader")
    _print_warnings(check_assessments(Path(args.data)))
    return EXIT_OK


def cmd_assessment(args) -> int:
    """Write the period's assessment file to fill in; an existing file is never replaced."""
    import datetime as dt

    from bro_analysis.analysis import overview
    from bro_analysis.analysis.assessment import template
    from bro_analysis.analysis.context import open_context
    from bro_analysis.core.files import write_new
    from bro_analysis.input.assessments import assessment_path

    args.data = str(data_folder(args.data))
    check_plan()
    ctx = open_context(args.period, args.data)
    path = assessment_path(Path(args.data), ctx.period.key)
    if path.exists():
        raise UsageError(
            f"{path} finns redan och skrivs aldrig över. Ändra i filen, eller flytta den först för en ny mall."
        )
    rows = overview.page_one_rows(ctx, overview.outcomes(ctx))
    try:
        write_new(path, template(ctx.period, ctx.plan, rows, dt.date.today()))
    except FileExistsError:
        raise UsageError(f"{path} finns redan och skrivs aldrig över.") from None
    print(f"Skrev {path} med {len(rows)} nyckelresultat att bedöma. Fyll i och pröva med bro-analysis kontrollera.")
    return EXIT_OK


def cmd_publish(args) -> int:
    """Copy a run period's report to the read-only archive and update the index of all reports."""
    import datetime as dt

    from bro_analysis.running.archive import publish, write_index

    args.data, args.out = str(data_folder(args.data)), args.out or str(find_workdir().outputs)
    check_output_folder(Path(args.out), Path(args.data))
    folder = publish(Path(args.out), args.period, Path(args.data), dt.date.today(), draft_ok=args.utkast)
    index, history = write_index(Path(args.out))
    print(f"Publicerade {args.period} i {folder} (skrivskyddat; skrivs aldrig över).")
    print(f"Förteckning över alla rapporter: {index}; alla publicerade värden: {history}")
    return EXIT_OK


def cmd_example_data(args) -> int:
    from bro_analysis.input.example_data import write_example_data

    args.out = args.out or str(find_workdir().example)
    paths = write_example_data(Path(args.out), seed=args.seed)
    print(f"Skrev {len(paths)} filer till {args.out}")
    return EXIT_OK


def cmd_docs(args) -> int:
    from bro_analysis.input.docs import write_data_readme

    args.out = args.out or str(find_workdir().root / "data" / "README.md")
    write_data_readme(Path(args.out))
    print(f"Skrev {args.out}")
    return EXIT_OK


def cmd_kolada_search(args) -> int:
    from bro_analysis.core.config import load_settings
    from bro_analysis.input.kolada import client_from_settings, search_kpis

    client = client_from_settings(load_settings(), args.base_url, args.cache, args.offline)
    found = search_kpis(" ".join(args.text), client)
    if not found:
        print(f"Inga nyckeltal i Kolada matchar '{' '.join(args.text)}'.")
        return EXIT_OK
    for kpi in found[: args.max]:
        data = "ja" if kpi["kommundata"] else "nej"
        print(f"{kpi['id']}  {kpi['title']}  (kommundata: {data})")
        if kpi["description"]:
            text = " ".join(kpi["description"].split())
            print(f"        {text[:300]}{'…' if len(text) > 300 else ''}")
    if len(found) > args.max:
        print(f"… och {len(found) - args.max} till; smalna av sökningen eller ange --max.")
    return EXIT_OK


def cmd_kolada_fetch(args) -> int:
    from bro_analysis.core.config import load_plan, load_settings
    from bro_analysis.input.kolada import (
        all_municipalities,
        check_codes,
        check_kpis,
        client_from_settings,
        context_kpis,
        county_code,
        fetch,
        parse_years,
        save_response,
        split_ids,
    )

    settings = load_settings()
    years = parse_years(args.years)
    kpis = check_kpis(args.kpi or [])
    if args.kontext:
        kpis += [k for k in context_kpis(settings) if k not in kpis]
    if not kpis:
        raise KoladaError(
            "Ange minst ett nyckeltal med --nyckeltal (--kpi), eller --kontext för nyckeltalen i "
            "[kolada.kontext] i settings.toml"
        )
    client = client_from_settings(settings, args.base_url, args.cache, args.offline, args.refresh)
    wanted = split_ids(args.municipality or ["all"])
    county = county_code(settings)
    codes: list[str] = []
    for item in wanted:
        if item.lower() in ("all", "alla"):
            codes += all_municipalities(client, county)
        elif item.lower() in ("bro", "medlemmar"):
            codes += [*load_plan().members, county, "0000"]
        else:
            codes += check_codes([item])
    data = fetch(kpis, list(dict.fromkeys(codes)), years, client)
    save_response(data, args.output)
    source = data["källa"]
    cached = f", {source['från_cache']} ur cachen" if source["från_cache"] else ""
    print(
        f"Hämtade {data['count']} värden för {len(kpis)} nyckeltal och {len(source['kommuner'])} koder "
        f"({len(source['anrop'])} anrop, {source['sidor']} sidor{cached}) till {args.output}"
    )
    _print_warnings(data["varningar"])
    return EXIT_OK


def cmd_kolada_import(args) -> int:
    from bro_analysis.core.config import load_plan, load_settings
    from bro_analysis.input.kolada import import_response

    folder = Path(args.output).parent
    riket = None if args.utan_riket else Path(args.riket or folder / "nki_riket.csv")
    kontext = Path(args.kontext or folder / "kontext.csv")
    counts = import_response(args.file, args.output, load_settings(), load_plan().members, riket, kontext)
    if counts["rader"] is None:
        print(f"Svaret har inga NKI-nyckeltal ([kolada.kpi] i settings.toml); {args.output} skrevs inte")
    else:
        print(f"Skrev {counts['rader']} rader till {args.output}")
    if counts["riket"] is not None:
        print(f"Skrev {counts['riket']} rader för rikets kommuner till {riket}")
    elif counts["andra_kommuner"] and args.utan_riket:
        print(f"{counts['andra_kommuner']} värden för kommuner utanför BRO skrevs inte (--utan-riket)")
    elif counts["rader"] is not None and not args.utan_riket:
        print(
            "Svaret har bara medlemskommunerna, så ingen riksjämförelse skrevs; "
            "hämta med --kommun alla (standard) för att få den"
        )
    if counts["kontext"] is not None:
        print(f"Skrev {counts['kontext']} rader med sammanhanget för RUS 2030 till {kontext}")
    if counts["saknade"]:
        print(f"{counts['saknade']} värden saknades i Kolada och togs inte med (de är inte 0)")
    _print_warnings(counts["varningar"])
    return EXIT_OK


def cmd_init(args) -> int:
    from bro_analysis.running.workdir import WorkdirExists, create_workdir

    try:
        made = create_workdir(Path(args.folder), example=args.exempeldata)
    except WorkdirExists as exc:
        raise UsageError(str(exc)) from None
    print(f"Skapade arbetsmappen {args.folder}: {', '.join(p.name for p in made)}")
    data = " --data exempeldata" if args.exempeldata else ""
    print(
        f"Lägg dina tabeller i {Path(args.folder, 'data')} och kör i mappen:\n"
        f"  cd {args.folder}\n  bro-analysis kontrollera{data}\n  bro-analysis kör{data}"
    )
    return EXIT_OK


def cmd_templates(args) -> int:
    from bro_analysis.input.templates import HAND_TABLES, template_path, write_templates

    out = Path(args.out)
    existing = {template_path(out, name) for name in HAND_TABLES if template_path(out, name).exists()}
    for path in write_templates(out, load_plan(), overwrite=args.skriv_over):
        print(f"{'Skrev över' if path in existing else 'Skrev'} {path}")
    print(
        "Fyll i bladet med tabellens namn, spara filen i datamappen i stället för tabellens CSV-fil "
        "och pröva den med bro-analysis kontrollera."
    )
    return EXIT_OK


@contextlib.contextmanager
def _working_in(folder: str | Path | None) -> Iterator[None]:
    """$BRO_ARBETSMAPP set to `folder` inside the block (when given), for this process and
    the notebook kernels it starts; as it was afterwards."""
    if not folder:
        yield
        return
    before = os.environ.get(ENV_WORKDIR)
    os.environ[ENV_WORKDIR] = str(Path(folder).resolve())
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(ENV_WORKDIR, None)
        else:
            os.environ[ENV_WORKDIR] = before


WORKDIR_HELP = (
    f"mappen med okr.toml och settings.toml (standard: miljövariabeln {ENV_WORKDIR}, "
    "annars mappen du står i eller närmaste mapp ovanför med okr.toml)"
)
DATA_HELP = (
    f"datamappen med tabellerna (standard: miljövariabeln {ENV_DATA}, annars arbetsmappens data/; "
    "i en källkodskopia exempeldatan data/example)"
)


def _common(p: argparse.ArgumentParser, data: str | None = DATA_HELP, workdir: bool = True) -> None:
    """The options most commands share: the data folder, the working folder, --felsök."""
    if data:
        p.add_argument("--data", metavar="MAPP", help=data)
    if workdir:
        p.add_argument("--arbetsmapp", metavar="MAPP", help=WORKDIR_HELP)
    p.add_argument(
        "--felsök",
        "--debug",
        dest="debug",
        action="store_true",
        default=argparse.SUPPRESS,
        help="visa hela felsökningsinformationen vid fel",
    )


def _out_option(p: argparse.ArgumentParser, help: str, dest: str = "out", **kwargs) -> None:
    p.add_argument("--ut", f"--{'output' if dest == 'output' else 'out'}", dest=dest, help=help, **kwargs)


def build_parser() -> argparse.ArgumentParser:
    parser = SwedishParser(
        prog="bro-analysis",
        description="BRO:s analysarbetsbok: uppföljningen av verksamhetsplanens nyckelresultat.",
        epilog="Hjälp för ett kommando: bro-analysis KOMMANDO --help",
    )
    parser.add_argument("--version", action="version", version=__version__, help="visa versionen och avsluta")
    parser.add_argument(
        "--felsök", "--debug", dest="debug", action="store_true", help="visa hela felsökningsinformationen vid fel"
    )
    sub = parser.add_subparsers(
        dest="command", required=True, title="kommandon", metavar="KOMMANDO", help="ett av kommandona nedan"
    )

    init = sub.add_parser("init", help="skapa en arbetsmapp med plan, inställningar, notebooks och en tom datamapp")
    init.add_argument("folder", metavar="MAPP", help="arbetsmappen att skapa; ny eller tom")
    init.add_argument(
        "--exempeldata",
        action="store_true",
        help="lägg även exempeldatan i MAPP/exempeldata, så att du kan köra direkt",
    )
    _common(init, data=None, workdir=False)
    init.set_defaults(func=cmd_init)

    templates = sub.add_parser(
        "mallar", help="skriv Excelmallar med rullistor och kontroller för registren som fylls i för hand"
    )
    _out_option(templates, "mappen att skriva mallarna till", metavar="MAPP", required=True)
    templates.add_argument(
        "--skriv-över",
        dest="skriv_over",
        action="store_true",
        help="ersätt mallar som redan finns (en mall bredvid tabellens CSV-fil vägras alltid)",
    )
    _common(templates, data=None)
    templates.set_defaults(func=cmd_templates)

    run = sub.add_parser("kör", aliases=["kor", "run"], help="kör alla notebooks för en eller flera perioder")
    run.add_argument(
        "--period",
        nargs="+",
        help="2025, 2026-08 (jan–aug) eller ett intervall 2019-2025 (standard: senaste hela året i datan)",
    )
    _out_option(run, "utdatamapp (standard: arbetsmappens outputs/)", metavar="MAPP")
    run.add_argument(
        "--jobb",
        "--jobs",
        dest="jobs",
        type=whole_number,
        metavar="N",
        help="antal notebooks som körs samtidigt (standard: antal kärnor)",
    )
    run.add_argument(
        "--kör-om", "--force", dest="force", action="store_true", help="kör om allt, även det som inte ändrats"
    )
    run.add_argument(
        "--pdf",
        action="store_true",
        help="skriv även den samlade rapporten som PDF (A4; kräver Chromium, Google Chrome eller Microsoft Edge)",
    )
    run.add_argument(
        "--utan-kommunblad",
        dest="no_profiles",
        action="store_true",
        help="gör inga kommunblad (snabbare när bara nämndrapporten behövs)",
    )
    run.add_argument(
        "--kommun",
        nargs="+",
        metavar="KOMMUN",
        help="gör kommunblad bara för dessa medlemskommuner (kod eller namn; standard: alla)",
    )
    run.add_argument(
        "--jämför",
        dest="compare",
        metavar="FIL",
        help="okr.json från den rapport som 'Sedan förra rapporten' jämför med "
        "(standard: den senast publicerade rapporten för en tidigare period, se publicera)",
    )
    _common(run)
    run.set_defaults(func=cmd_run)

    val = sub.add_parser(
        "kontrollera", aliases=["validate"], help="kontrollera planen, inställningarna och alla tabeller i en datamapp"
    )
    _common(val)
    val.set_defaults(func=cmd_validate)

    judge = sub.add_parser(
        "bedömning",
        aliases=["bedomning"],
        help="skriv periodens bedömningsfil (bedomningar/PERIOD.md) att fylla i; skriver aldrig över en fil",
    )
    judge.add_argument("--period", required=True, help="perioden, t.ex. 2025 eller 2026-08")
    _common(judge)
    judge.set_defaults(func=cmd_assessment)

    pub = sub.add_parser(
        "publicera", help="spara en körd periods rapport skrivskyddad i arkiv/ (det nämnden fick); skrivs aldrig över"
    )
    pub.add_argument("--period", required=True, help="den körda perioden, t.ex. 2025 eller 2026-08")
    _out_option(pub, "utdatamappen perioden kördes till (standard: arbetsmappens outputs/)", metavar="MAPP")
    pub.add_argument(
        "--utkast", action="store_true", help="publicera även om bedömningen inte är fastställd (märks som utkast)"
    )
    _common(pub, data="datamappen perioden kördes med (standard som för kör)")
    pub.set_defaults(func=cmd_publish)

    ex = sub.add_parser("exempeldata", aliases=["example-data"], help="skapa exempeldata med ett fast slumpfrö")
    _out_option(
        ex, "mappen att skriva (standard: data/example i källkoden, exempeldata/ i en arbetsmapp)", metavar="MAPP"
    )
    ex.add_argument(
        "--frö",
        "--seed",
        dest="seed",
        type=whole_number,
        default=2026,
        metavar="TAL",
        help="slumpfröet (standard 2026)",
    )
    _common(ex, data=None)
    ex.set_defaults(func=cmd_example_data)

    docs = sub.add_parser("dokumentera", aliases=["docs"], help="skriv data/README.md från datakontrakten")
    _out_option(docs, "filen att skriva (standard: arbetsmappens data/README.md)", metavar="FIL")
    _common(docs, data=None)
    docs.set_defaults(func=cmd_docs)

    kolada = sub.add_parser("kolada", help="sök, hämta och importera nyckeltal från Kolada (API v3)")
    kolada_sub = kolada.add_subparsers(
        dest="kolada_command", required=True, title="kommandon", metavar="KOMMANDO", help="ett av kommandona nedan"
    )

    def _kolada_options(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--bas-url",
            "--base-url",
            dest="base_url",
            metavar="URL",
            help="Koladas adress (standard: bas_url i settings.toml)",
        )
        p.add_argument("--offline", action="store_true", help="läs bara cachen; fråga inte Kolada")
        p.add_argument("--cache", metavar="MAPP", help="cachemappen (standard: cachemapp i settings.toml)")
        _common(p, data=None)

    ksearch = kolada_sub.add_parser(
        "sök", aliases=["sok", "search"], help="sök nyckeltal i Koladas metadata (id, titel, beskrivning)"
    )
    ksearch.add_argument(
        "text", nargs="+", metavar="SÖKORD", help="sökord; alla måste finnas i id, titel eller beskrivning"
    )
    ksearch.add_argument(
        "--max", type=whole_number, default=50, metavar="ANTAL", help="visa högst så många träffar (standard 50)"
    )
    _kolada_options(ksearch)
    ksearch.set_defaults(func=cmd_kolada_search)
    kfetch = kolada_sub.add_parser(
        "hämta", aliases=["hamta", "fetch"], help="ladda ner nyckeltal från Kolada till en JSON-fil"
    )
    kfetch.add_argument(
        "--nyckeltal",
        "--kpi",
        dest="kpi",
        metavar="ID",
        action="append",
        help="nyckeltalens id, t.ex. U07451 eller U07451,U07452 (kan upprepas)",
    )
    kfetch.add_argument(
        "--kontext", action="store_true", help="hämta även nyckeltalen i [kolada.kontext] (sammanhanget för RUS 2030)"
    )
    kfetch.add_argument(
        "--kommun",
        "--municipality",
        dest="municipality",
        metavar="KOD",
        nargs="+",
        help="kommunkoder, t.ex. 1880 1881; 'alla' (standard) för alla kommuner, länet och riket; "
        "'bro' för medlemskommunerna, länet och riket",
    )
    kfetch.add_argument(
        "--år", "--years", dest="years", metavar="ÅR", required=True, help="år, t.ex. 2014-2025 eller 2023,2024"
    )
    _out_option(kfetch, "JSON-filen att skriva", dest="output", required=True, metavar="FIL")
    kfetch.add_argument(
        "--uppdatera", dest="refresh", action="store_true", help="hämta på nytt även det som finns i cachen"
    )
    _kolada_options(kfetch)
    kfetch.set_defaults(func=cmd_kolada_fetch)
    kimport = kolada_sub.add_parser(
        "importera",
        aliases=["import"],
        help="gör om ett sparat Kolada-svar till nki.csv, nki_riket.csv och kontext.csv",
    )
    kimport.add_argument("file", metavar="FIL", help="JSON-fil från 'kolada hämta'")
    _out_option(kimport, "nki.csv att skriva", dest="output", required=True, metavar="FIL")
    kimport.add_argument("--riket", metavar="FIL", help="nki_riket.csv att skriva (standard: bredvid nki.csv)")
    kimport.add_argument("--utan-riket", action="store_true", help="skriv inte rikets kommuner")
    kimport.add_argument("--kontext", metavar="FIL", help="kontext.csv att skriva (standard: bredvid nki.csv)")
    _common(kimport, data=None)
    kimport.set_defaults(func=cmd_kolada_import)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    chosen = getattr(args, "arbetsmapp", None)
    try:
        if chosen:
            find_workdir(chosen)  # a folder without a plan is named as the option named it
        with _working_in(chosen):
            return args.func(args)
    except (DataError, PeriodError, ConfigError, KoladaError, UsageError, MemberError, ArchiveError) as exc:
        if args.debug:
            traceback.print_exc()
        print(str(exc), file=sys.stderr)
        return EXIT_INPUT
    except KeyboardInterrupt:
        if not args.debug:  # tasks the interrupt cut short are not worth a traceback
            logging.getLogger("asyncio").setLevel(logging.CRITICAL)
        print("Avbrutet; tidigare resultat är orörda.", file=sys.stderr)
        return 130
    except Exception as exc:  # unexpected: a short message, the traceback only with --felsök
        if args.debug:
            traceback.print_exc()
        print(
            f"Oväntat fel: {type(exc).__name__}: {exc}\nKör igen med --felsök för fullständig felsökningsinformation.",
            file=sys.stderr,
        )
        return EXIT_FAILED


if __name__ == "__main__":
    sys.exit(main())
