"""The plan is data: a changed target in okr.toml changes every mention of it in the
committee report, a removed key result leaves the report (its sections in earlier
assessment files are left out once okr.toml lists it under utgångna), an added area is
one copied package, one copied notebook and the plan, and an unknown mått is a clear
error (exit 2) from both `validate` and `run`.

The e2e tests run a copy of the project (package, notebooks, data) whose okr.toml is the
tests' own plan (tests/fixtures/okr.toml) edited, so the real data/okr.toml is never
touched and the tests do not depend on it."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import fixture_plan
import pytest

from bro_analysis.analysis import registry
from bro_analysis.core.config import DATA_DIR, PROJECT_ROOT, ConfigError, load_plan, target_words
from bro_analysis.running import cli

OKR_TEXT = fixture_plan.OKR_TEXT  # the edits below expect the plan 2026–2027, whatever data/okr.toml holds


def _edited(text: str, kr_id: str, old: str, new: str) -> str:
    """okr.toml with one line of one key result's entry replaced."""
    start = text.index(f'id = "{kr_id}"')
    end = text.find("[[nyckelresultat]]", start)
    end = len(text) if end < 0 else end
    entry = text[start:end]
    assert old in entry, (kr_id, old)
    return text[:start] + entry.replace(old, new, 1) + text[end:]


def _without(text: str, kr_id: str) -> str:
    """okr.toml without one key result's entry."""
    start = text.rindex("[[nyckelresultat]]", 0, text.index(f'id = "{kr_id}"'))
    end = text.find("[[nyckelresultat]]", start + 1)
    return text[:start] + (text[end:] if end >= 0 else "")


def _retired(text: str, *ids: str) -> str:
    """okr.toml listing `ids` under [plan] utgångna, as the assessment error tells a successor to."""
    listed = ", ".join(f'"{i}"' for i in ids)
    return text.replace("[plan]\n", f'[plan]\n"utgångna" = [{listed}]\n', 1)


def _project_copy(root: Path, okr_text: str) -> Path:
    """The package, notebooks and data in `root`, with okr.toml replaced; a notebook of a
    planområde that plan does not have (one a successor added to the live plan) is left out."""
    shutil.copytree(PROJECT_ROOT / "bro_analysis", root / "bro_analysis", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(DATA_DIR, root / "data")
    (root / "data" / "okr.toml").write_text(okr_text, encoding="utf-8")
    areas = load_plan(root / "data" / "okr.toml").areas
    (root / "notebooks").mkdir()
    for nb in (PROJECT_ROOT / "notebooks").glob("*.ipynb"):
        area = json.loads(nb.read_text(encoding="utf-8"))["metadata"].get("bro", {}).get("area")
        if area is None or area in areas:
            shutil.copy(nb, root / "notebooks" / nb.name)
    return root


def _run_copy(root: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(root)}  # the copy's package, in the CLI and in its kernels
    return subprocess.run(
        [sys.executable, "-m", "bro_analysis", *args], cwd=root, env=env, capture_output=True, text=True, timeout=900
    )


def _visible_text(html: str) -> str:
    html = re.sub(r"<(style|script)\b.*?</\1>", " ", html, flags=re.S)
    html = re.sub(r'src="data:[^"]+"', "", html)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).replace("\u00a0", " ")


def _page_one_ids(html: str) -> list[str]:
    table = re.search(r'<table class="key-results">.*?</table>', html, re.S).group(0)
    return re.findall(r'<th\b[^>]*\bscope="row"[^>]*>([^<]+)</th>', table)


def _s3_by_hand(year: int) -> int:
    """S3 straight from the example data: projects of the year with two or more members."""
    import pandas as pd

    acts = pd.read_csv(DATA_DIR / "example" / "aktiviteter.csv", sep=";", encoding="utf-8-sig", dtype=str)
    acts = acts[(acts["typ"] == "samverkansprojekt") & acts["datum"].str.startswith(str(year))]
    return int((acts["kommuner"].str.split(";").map(len) >= 2).sum())


@pytest.mark.e2e
def test_a_removed_and_a_retargeted_key_result_need_no_code_change(tmp_path):
    """M1 removed, S3's target 3 -> 5 and S1's 80 -> 75: okr.toml is the only file changed."""
    okr = _without(_edited(_edited(OKR_TEXT, "S1", '"mål" = 80', '"mål" = 75'), "S3", '"mål" = 3', '"mål" = 5'), "M1")
    root = _project_copy(tmp_path / "project", okr)
    refused = _run_copy(root, "validate")  # BRO's assessments of 2025 and 2026-08 still judge M1
    assert refused.returncode == 2 and "'M1' – okänt nyckelresultat" in refused.stderr
    assert '"utgångna" = ["M1"]' in refused.stderr  # the message says what to write in okr.toml
    (root / "data" / "okr.toml").write_text(_retired(okr, "M1"), encoding="utf-8")
    done = _run_copy(root, "run", "--period", "2025", "--out", str(root / "outputs"), "--jobs", "2")
    assert done.returncode == 0, done.stderr[-3000:]
    assert "bedomningar/2025.md, rad" in done.stderr and "M1 finns inte längre i planen" in done.stderr
    plan = load_plan(root / "data" / "okr.toml")
    ids = [kr.id for kr in plan.key_results]
    assert "M1" not in ids and len(ids) == len(fixture_plan.IDS) - 1
    out = root / "outputs" / "2025"
    records = {r["id"]: r for r in json.loads((out / "okr.json").read_text(encoding="utf-8"))}
    assert list(records) == ids
    html = (out / "BRO_uppfoljning_2025.html").read_text(encoding="utf-8")
    assert _page_one_ids(html) == ids
    # S3 follows its new target: 2025's count (4, from the CSV) met 3 and falls short of 5
    s3 = records["S3"]
    assert s3["mål"] == 5 and s3["utfall"] == _s3_by_hand(2025) == 4 and s3["status"] == "ej uppnått"
    assert records["S1"]["mål"] == 75 and records["S1"]["status"] == "uppnått"  # 77,4 meets 75
    text = _visible_text(html)
    s3_row = re.search(r'scope="row"[^>]*>S3</th>(.*?)</tr>', html, re.S).group(1)
    assert "minst 5" in s3_row and "minst 3" not in s3_row  # page one's Mål
    assert "Målet är minst 5 per år." in text and "Målet är minst 3" not in text  # the area's section
    assert "minst 75" in text and "målet 75" in text
    # No sentence, heading or table states the old target of the county mean.
    assert not re.search(r"(minst|målet|mål|nå minst|Planens mål) 80\b", text), re.findall(r".{60}\b80\b.{20}", text)
    assert "M1" not in text and "Delta i minst 4 nationella" not in text


# The new area of the trial: one key result counted from the activity register,
# added by the recipe in ARCHITECTURE.md ("Lägga till ett område").
NEW_AREA = fixture_plan.NEW_AREA
NEW_AREA_OKR = (
    fixture_plan.NEW_AREA_OKR
    + """
[[nyckelresultat]]
id = "K1"
"område" = "Kompetensförsörjning"
text = "Minst {mål} kompetensdialoger med företagen per år"
kort = "Kompetensdialoger"
"mått" = "kompetensdialoger"
typ = "minst"
"mål" = 60
enhet = "dialoger"
enhet_ental = "dialog"
"""
)

# Step 2 of the recipe: the copy's own outcome, METRICS, sentence, caveat and kommunblad part.
NEW_OUTCOME = '''

def dialogues_outcome(ctx, kr) -> okr.Outcome:
    """Company dialogues on skills counted in the period."""
    acts = ctx.dataset["aktiviteter"]
    return okr.count_outcome(
        ctx, kr, activities_register(ctx, "företagsdialog"), lambda p: len(activities_in(acts, "företagsdialog", p))
    )


METRICS = {"kompetensdialoger": dialogues_outcome}
'''
NEW_TEXT = '''

def dialogues_text(count: int, target: float | None, label: str) -> str:
    """The section's sentence on company dialogues in the period."""
    goal = f" Målet är minst {fmt_int(target)} per år." if target is not None else ""
    return f"Under {label} hölls {count_text(count, 'kompetensdialoger', 'kompetensdialog')}.{goal}"
'''
NEW_ABOUT = '''
def caveats(ctx) -> list[tuple[str, str]]:
    """The appendix's caveats on skills: (label, text)."""
    return [("Kompetens", "En kompetensdialog räknas som en företagsdialog i aktivitetsregistret.")]


def glossary(ctx) -> list[tuple[str, str]]:
    """No words of its own."""
    return []


MEMBER_PARTS = {"kompetensdialoger": activity_count_part("företagsdialog")}
MEMBER_LINES: dict = {}
MEMBER_COUNTS = {"kompetensdialoger": "kompetensdialoger"}
'''
# Step 3: the copied notebook keeps its intro, parameters and set-up; its cells are rewritten.
NEW_CELLS = [
    ("markdown", ["nämnd"], "## Kompetensdialoger\n\nEn kompetensdialog är ett samtal med ett företag om dess behov."),
    (
        "code",
        ["nämnd"],
        """kr = ctx.plan.by_metric("kompetensdialoger")
acts = ctx.dataset["aktiviteter"]
held = competence.numbers.activities_in(acts, "företagsdialog", ctx.period)
display(blocks.paragraph(competence.text.dialogues_text(len(held), kr.target, ctx.period.label)))
if not ctx.period.is_full_year:
    path = forecast.seasonal_path(
        lambda p: len(competence.numbers.activities_in(acts, "företagsdialog", p)),
        forecast.first_full_year(acts["datum"]),
        ctx.period,
        kr.target,
    )
    display(
        blocks.figure(
            figures.year_to_date(path, kr.target, "dialoger", f"Kompetensdialoger {ctx.period.year}"),
            alt=forecast.path_text(path, kr.target, "dialoger", ctx.period, "kompetensdialoger"),
            caption=f"Kompetensdialoger {ctx.period.label} månad för månad mot målet.",
            source=ctx.source("aktiviteter"),
        )
    )""",
    ),
    ("markdown", [], "## Dialogerna under perioden\n\nVarje dialog i aktivitetsregistret under perioden."),
    (
        "code",
        [],
        'display(blocks.table(held[["datum", "titel"]], caption="Dialogerna", source=ctx.source("aktiviteter")))',
    ),
]


def _copy_area(root: Path) -> None:
    """The recipe: collaboration/ copied to competence/ and 15_samverkan to 16_kompetens,
    each rewritten for the new key result; nothing outside the copies and okr.toml changes."""
    package = root / "bro_analysis" / "analysis"
    new = package / "competence"
    shutil.copytree(package / "collaboration", new, ignore=shutil.ignore_patterns("__pycache__"))
    init = new / "__init__.py"
    code = init.read_text(encoding="utf-8")
    start = code.index("METRICS = {")
    code = code[:start] + code[code.index("}\n", start) + 2 :] + NEW_OUTCOME
    init.write_text(code, encoding="utf-8")
    (new / "text.py").write_text((new / "text.py").read_text(encoding="utf-8") + NEW_TEXT, encoding="utf-8")
    about = (new / "about.py").read_text(encoding="utf-8")
    about = about[: about.index("def caveats(ctx)")] + about[about.index("def _tools_line") :]
    about = about[: about.index("# The kommunblad's part per key result")] + NEW_ABOUT
    (new / "about.py").write_text(about, encoding="utf-8")
    notebook = json.loads((root / "notebooks" / "15_samverkan.ipynb").read_text(encoding="utf-8"))
    notebook["metadata"]["bro"] = {"area": NEW_AREA, "title": NEW_AREA}
    intro, parameters, setup = notebook["cells"][:3]
    intro["source"] = f"# {NEW_AREA}\n\nKompetensdialoger med företagen; kör hela notebooken uppifrån."
    setup["source"] = re.sub(r"\bcollaboration\b", "competence", "".join(setup["source"]))
    setup["source"] = setup["source"].replace('"Samverkan och verktyg"', f'"{NEW_AREA}"')
    cells = [intro, parameters, setup]
    for i, (kind, tags, source) in enumerate(NEW_CELLS):
        cell = {"cell_type": kind, "id": f"kompetens-{i}", "metadata": {"tags": tags}, "source": source}
        cells.append(cell | ({"execution_count": None, "outputs": []} if kind == "code" else {}))
    notebook["cells"] = cells
    (root / "notebooks" / "16_kompetens.ipynb").write_text(json.dumps(notebook, ensure_ascii=False), encoding="utf-8")


def _dialogues_by_hand(prefix: str, member: str = "") -> int:
    """Company dialogues whose date starts with `prefix` (and with `member` among the
    municipalities), straight from the example data."""
    import pandas as pd

    acts = pd.read_csv(DATA_DIR / "example" / "aktiviteter.csv", sep=";", encoding="utf-8-sig", dtype=str)
    chosen = (acts["typ"] == "företagsdialog") & acts["datum"].str.startswith(prefix)
    return int((chosen & acts["kommuner"].str.contains(member, regex=False)).sum())


@pytest.mark.e2e
def test_an_added_area_is_one_copied_package_one_copied_notebook_and_the_plan(tmp_path):
    root = _project_copy(tmp_path / "project", OKR_TEXT + NEW_AREA_OKR)
    _copy_area(root)
    done = _run_copy(root, "kör", "--period", "2025", "2026-08", "--out", str(root / "outputs"), "--jobs", "2")
    assert done.returncode == 0, done.stderr[-3000:]
    plan = load_plan(root / "data" / "okr.toml")
    assert plan.areas[-1] == NEW_AREA and [kr.id for kr in plan.key_results][-1] == "K1"
    out = root / "outputs" / "2025"
    records = {r["id"]: r for r in json.loads((out / "okr.json").read_text(encoding="utf-8"))}
    assert list(records) == [kr.id for kr in plan.key_results]
    html = (out / "BRO_uppfoljning_2025.html").read_text(encoding="utf-8")
    assert _page_one_ids(html) == [kr.id for kr in plan.key_results]
    # K1 counts the year's company dialogues: 16 in 2025 by the CSV, short of 60
    dialogues = _dialogues_by_hand("2025")
    assert records["K1"]["utfall"] == dialogues == 16 and records["K1"]["status"] == "ej uppnått"
    text = _visible_text(html)
    assert f"{NEW_AREA}: Företagen i regionen hittar" in text  # its objective on page one
    sections = re.findall(r"<h2[^>]*>(.*?)</h2>", html, re.S)
    assert any(NEW_AREA in s for s in sections), sections  # and a section of its own in the report
    assert f"Under 2025 hölls {dialogues} kompetensdialoger. Målet är minst 60 per år." in text
    # the copy's caveat in the appendix, collaboration's once only
    assert "En kompetensdialog räknas som en företagsdialog" in text
    assert text.count("Ett samverkansprojekt räknas när minst två kommuner deltar") == 1
    # the kommunblad line comes from the copy's about.py, nothing in profile/ changed
    lekeberg = _visible_text((out / "kommuner" / "1814_Lekeberg.html").read_text(encoding="utf-8"))
    own = _dialogues_by_hand("2025", "Lekeberg")
    assert f"deltog i {own} av länets {dialogues} kompetensdialoger" in lekeberg
    # the part year: the copy's own figure in its section, page one with all 13 key results
    part = (root / "outputs" / "2026-08" / "BRO_uppfoljning_2026-08.html").read_text(encoding="utf-8")
    assert _page_one_ids(part) == [kr.id for kr in plan.key_results]
    assert re.search(r'<img\b[^>]*alt="[^"]*kompetensdialoger', part)


def test_unknown_metric_is_an_error_naming_file_and_entry(tmp_path):
    okr = tmp_path / "okr.toml"
    okr.write_text(_edited(OKR_TEXT, "S3", '"mått" = "samverkansprojekt"', '"mått" = "samverkansprojekten"'))
    with pytest.raises(ConfigError) as err:
        registry.check_plan(load_plan(okr))
    message = str(err.value)
    assert str(okr) in message and "nyckelresultat nr 3 (S3)" in message and "samverkansprojekten" in message
    assert "samverkansprojekt," in message  # the known ones are listed


@pytest.mark.parametrize("command", [["validate"], ["run", "--period", "2025"]])
def test_unknown_metric_exits_2_before_any_notebook_runs(tmp_path, monkeypatch, capsys, command):
    # the live plan (its notebooks are the checkout's) with its first key result's mått misspelt
    first = load_plan().key_results[0]
    okr = tmp_path / "okr.toml"
    live = (DATA_DIR / "okr.toml").read_text(encoding="utf-8")
    okr.write_text(live.replace(f'"mått" = "{first.metric}"', f'"mått" = "{first.metric}x"', 1), encoding="utf-8")
    shutil.copy(DATA_DIR / "settings.toml", tmp_path / "settings.toml")
    monkeypatch.setenv("BRO_ARBETSMAPP", str(tmp_path))
    monkeypatch.setenv("BRO_DATA", str(DATA_DIR / "example"))
    out = tmp_path / "out"
    code = cli.main([*command, "--out", str(out)] if command[0] == "run" else command)
    assert code == 2
    err = capsys.readouterr().err
    assert f"okänt mått '{first.metric}x'" in err and f"({first.id})" in err
    assert not out.exists()


def test_a_removed_key_result_is_not_an_error():
    plan = load_plan()
    assert plan.by_metric("finns_inte") is None
    with pytest.raises(ConfigError, match="inget nyckelresultat med id 'X9'"):
        plan.key_result("X9")


def test_target_placeholder_in_the_text(tmp_path):
    assert [target_words("minst", 80.0), target_words("minst", 2.5), target_words("ökning", 0.2)] == [
        "80",
        "2,5",
        "20 %",
    ]
    assert (
        fixture_plan.PLAN.key_result("S1").text == "NKI för myndighetsservice minst 80 i genomsnitt för länets kommuner"
    )
    okr = tmp_path / "okr.toml"
    okr.write_text(_edited(OKR_TEXT, "S4", 'enhet = "kommuner"', 'enhet = "kommuner"\ntext = "Alla {mål}"'))
    with pytest.raises(ConfigError):  # a repeated key is bad TOML
        load_plan(okr)
    okr.write_text(
        _edited(OKR_TEXT, "S4", 'text = "Alla medlemskommuner använder', 'text = "{mål} medlemskommuner använder')
    )
    with pytest.raises(ConfigError, match=r"nyckelresultat nr 4: texten använder \{mål\}"):
        load_plan(okr)


def test_a_retired_id_is_listed_once_and_is_no_key_result_of_the_plan(tmp_path):
    okr = tmp_path / "okr.toml"
    okr.write_text(_retired(_without(OKR_TEXT, "M1"), "M1"), encoding="utf-8")
    plan = load_plan(okr)
    assert plan.retired == ("M1",) and "M1" not in [kr.id for kr in plan.key_results]
    assert fixture_plan.PLAN.retired == ()
    both = tmp_path / "both.toml"  # load_plan remembers a file it has read
    both.write_text(_retired(OKR_TEXT, "M1"), encoding="utf-8")  # M1 is still a key result
    with pytest.raises(ConfigError, match=r"utgångna.*M1 är ett nyckelresultat i planen; ta bort det ur utgångna"):
        load_plan(both)
