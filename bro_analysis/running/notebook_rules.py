"""The rules every notebook in notebooks/ follows, checked before any cell runs.

A notebook's metadata "bro" holds only the keys in METADATA_KEYS. Its "area" is one of the
plan's areas (planområden in okr.toml): its cells tagged `nämnd` go under that area in the
committee report. A section outside the plan (RUS 2030: sammanhanget) is declared with
"section" instead, and comes after the plan's areas. A misspelt area is an error naming the
notebook, the name and the nearest area, never a section of its own.

Every broken rule of every notebook is reported together, each with the rule it breaks.
"""

from __future__ import annotations

import difflib
import json
import re
from pathlib import Path

from bro_analysis.core.config import ConfigError, Plan

COMMITTEE_TAG = "nämnd"  # a cell with this tag goes into the committee report
PARAMETERS_TAG = "parameters"  # papermill sets period and data_dir in this cell
LAB_ONLY_TAG = "remove-cell"  # the opening markdown cell, seen only in JupyterLab
KNOWN_TAGS = (COMMITTEE_TAG, PARAMETERS_TAG, LAB_ONLY_TAG, "injected-parameters")

METADATA_KEYS = {
    "title": "rapportens titel",
    "area": "planområdet i okr.toml som notebookens celler taggade nämnd hör till",
    "section": "ett eget avsnitt i nämndrapporten utanför planens områden",
    "per_member": "true: körs en gång per medlemskommun (kommunbladet)",
    "publishes_summary": "true: publicerar nyckelresultaten (översikten)",
}
MIN_HEADINGS = 2

RULE_JSON = "en notebook är en JSON-fil som Jupyter kan öppna"
RULE_KEYS = f'metadata "bro" har bara nycklarna {", ".join(METADATA_KEYS)}'
RULE_TITLE = 'metadata "bro" har "title", rapportens titel'
RULE_AREA = '"area" är ett av planområdena i okr.toml ([[planområde]] namn)'
RULE_ONE_OF = 'en notebook hör till ett planområde ("area") eller är ett eget avsnitt ("section"), inte båda'
RULE_SECTION = 'ett planområde anges med "area"; "section" är för avsnitt utanför planen'
RULE_PARAMETERS = f'exakt en kodcell har taggen "{PARAMETERS_TAG}" och sätter period och data_dir'
RULE_LAB_ONLY = f'den första cellen är en markdowncell med taggen "{LAB_ONLY_TAG}" (syns bara i JupyterLab)'
RULE_HEADINGS = f"minst {MIN_HEADINGS} rubriker på nivå två: markdownrader som börjar med '## '"
RULE_COMMITTEE = f'en notebook med "area" eller "section" har minst en cell med taggen "{COMMITTEE_TAG}"'
RULE_TAGS = f"taggarna stavas som de som används: {', '.join(KNOWN_TAGS)}"


def section_name(metadata: dict) -> str | None:
    """The section a notebook's committee cells go under: its plan area or its own section."""
    bro = metadata.get("bro", {})
    return bro.get("area") or bro.get("section")


def _nearest(word: str, choices) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.0)
    return f" Närmast: '{close[0]}'." if close else ""


def _tags(cell: dict) -> list[str]:
    return list(cell.get("metadata", {}).get("tags", []))


def _assigns(cell: dict, name: str) -> bool:
    """True when the cell sets `name` on a line of its own (`period = ""`, `period: str = ""`)."""
    return re.search(rf"^{name}\s*(:[^=\n]*)?=", "".join(cell.get("source", "")), re.M) is not None


def _metadata_problems(bro: dict, plan: Plan) -> list[str]:
    problems = []
    for key in bro:
        if key not in METADATA_KEYS:
            problems.append(f'okänd nyckel "{key}" i metadata "bro".{_nearest(key, METADATA_KEYS)} Regel: {RULE_KEYS}.')
    if not str(bro.get("title") or "").strip():
        problems.append(f"saknar titel. Regel: {RULE_TITLE}.")
    area, section = bro.get("area"), bro.get("section")
    if area is not None and section is not None:
        problems.append(f"anger både area '{area}' och section '{section}'. Regel: {RULE_ONE_OF}.")
    if area is not None and area not in plan.areas:
        areas = ", ".join(f"'{a}'" for a in plan.areas)
        problems.append(
            f"området '{area}' finns inte i planen.{_nearest(str(area), plan.areas)} Planens områden: {areas}. "
            f'Regel: {RULE_AREA}; ett avsnitt utanför planen anges med "section".'
        )
    if section is not None and section in plan.areas:
        problems.append(f"section '{section}' är ett planområde. Regel: {RULE_SECTION}.")
    return problems


def _cell_problems(cells: list[dict], has_section: bool) -> list[str]:
    problems = []
    parameters = [c for c in cells if PARAMETERS_TAG in _tags(c)]
    if len(parameters) != 1:
        problems.append(f'har {len(parameters)} celler med taggen "{PARAMETERS_TAG}". Regel: {RULE_PARAMETERS}.')
    elif missing := [name for name in ("period", "data_dir") if not _assigns(parameters[0], name)]:
        problems.append(f"parametercellen sätter inte {' och '.join(missing)}. Regel: {RULE_PARAMETERS}.")
    if not cells or cells[0].get("cell_type") != "markdown" or LAB_ONLY_TAG not in _tags(cells[0]):
        problems.append(f"börjar inte med introduktionen för JupyterLab. Regel: {RULE_LAB_ONLY}.")
    markdown = "\n".join("".join(c.get("source", "")) for c in cells if c.get("cell_type") == "markdown")
    headings = len(re.findall(r"^## ", markdown, re.M))
    if headings < MIN_HEADINGS:
        problems.append(f"har {headings} rubriker på nivå två. Regel: {RULE_HEADINGS}.")
    if has_section and not any(COMMITTEE_TAG in _tags(c) for c in cells):
        problems.append(f"inget av notebookens innehåll kommer med i nämndrapporten. Regel: {RULE_COMMITTEE}.")
    for number, cell in enumerate(cells, 1):
        for tag in _tags(cell):
            if tag not in KNOWN_TAGS and difflib.get_close_matches(tag, KNOWN_TAGS, n=1, cutoff=0.75):
                problems.append(f"cell {number} har taggen '{tag}'.{_nearest(tag, KNOWN_TAGS)} Regel: {RULE_TAGS}.")
    return problems


def notebook_problems(path: Path, plan: Plan) -> list[str]:
    """What in one notebook breaks a rule, each naming the rule; empty when it keeps them all."""
    try:
        nb = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        return [f"kan inte läsas ({exc}). Regel: {RULE_JSON}."]
    metadata = nb.get("metadata", {})
    bro = metadata.get("bro", {})
    if not isinstance(bro, dict):
        return [f'metadata "bro" är inte en samling nycklar. Regel: {RULE_KEYS}.']
    return _metadata_problems(bro, plan) + _cell_problems(nb.get("cells", []), section_name(metadata) is not None)


def check_notebooks(paths: list[Path], plan: Plan) -> None:
    """Every notebook keeps the rules, or a ConfigError (exit 2) names each notebook and rule."""
    problems = [f"{Path(p).name}: {problem}" for p in paths for problem in notebook_problems(Path(p), plan)]
    if problems:
        folder = Path(paths[0]).parent
        raise ConfigError(f"Notebooks i {folder} följer inte reglerna; ingen cell har körts:\n" + "\n".join(problems))
