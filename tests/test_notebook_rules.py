"""The notebook rules (running/notebook_rules): checked before any cell runs, each broken
rule named in the message; a notebook's area must be one of the plan's areas, and a
misspelt one is exit 2 naming the notebook, the name and the nearest area."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest

from bro_analysis.core.config import PROJECT_ROOT, ConfigError, load_plan
from bro_analysis.running import cli, runner
from bro_analysis.running.combine import area_sections
from bro_analysis.running.notebook_rules import check_notebooks, notebook_problems

NOTEBOOKS = sorted((PROJECT_ROOT / "notebooks").glob("*.ipynb"))


def _area(path: Path) -> str | None:
    return json.loads(path.read_text(encoding="utf-8"))["metadata"]["bro"].get("area")


# The first notebook of a plan area, its area, and the area misspelt (a letter left out).
SOURCE = next(p for p in NOTEBOOKS if _area(p))
AREA = _area(SOURCE) or ""
MISSPELT = AREA[:3] + AREA[4:]


def _copy(tmp_path: Path, name: str = "31_kopia.ipynb", source: Path = SOURCE, change=None) -> Path:
    """A copy of a committed notebook, its JSON changed by `change(nb)`."""
    nb = json.loads(source.read_text(encoding="utf-8"))
    if change is not None:
        change(nb)
    path = tmp_path / name
    path.write_text(json.dumps(nb, ensure_ascii=False), encoding="utf-8")
    return path


def _problems(path: Path) -> str:
    return "\n".join(notebook_problems(path, load_plan()))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_notebook_keeps_the_rules(path):
    assert notebook_problems(path, load_plan()) == []


def test_every_area_notebook_names_an_area_of_the_plan():
    areas = {_area(p) for p in NOTEBOOKS}
    assert areas - {None} == set(load_plan().areas)  # every area of the plan has a notebook


def _misspelt(nb):
    nb["metadata"]["bro"]["area"] = MISSPELT


def test_a_misspelt_area_names_the_notebook_the_name_and_the_nearest_area(tmp_path):
    path = _copy(tmp_path, change=_misspelt)
    with pytest.raises(ConfigError) as err:
        check_notebooks([path], load_plan())
    message = str(err.value)
    assert f"31_kopia.ipynb: området '{MISSPELT}' finns inte i planen" in message
    assert f"Närmast: '{AREA}'" in message
    assert "ingen cell har körts" in message


def test_a_misspelt_area_is_exit_2_before_any_cell_runs(tmp_path, monkeypatch, capsys):
    good = _copy(tmp_path, SOURCE.name)
    bad = _copy(tmp_path, change=_misspelt)
    monkeypatch.setattr(runner, "list_notebooks", lambda *a, **k: [good, bad])
    out = tmp_path / "out"
    assert cli.main(["run", "--period", "2025", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "31_kopia.ipynb" in err and f"'{MISSPELT}'" in err and f"Närmast: '{AREA}'" in err
    assert SOURCE.name not in err  # the good copy keeps every rule
    assert not out.exists()


def test_validate_checks_the_notebooks_too(tmp_path, monkeypatch, capsys):
    bad = _copy(tmp_path, change=_misspelt)
    monkeypatch.setattr(runner, "list_notebooks", lambda *a, **k: [bad])
    assert cli.main(["validate"]) == 2
    assert f"'{MISSPELT}'" in capsys.readouterr().err


def _one_heading(nb):
    kept = False
    for cell in nb["cells"]:
        if cell["cell_type"] == "markdown" and "".join(cell["source"]).startswith("## "):
            if kept:
                cell["source"] = "".join(cell["source"]).replace("## ", "", 1)
            kept = True


def _retag(old, new):
    def change(nb):
        for cell in nb["cells"]:
            tags = cell.get("metadata", {}).get("tags", [])
            cell.setdefault("metadata", {})["tags"] = [new if t == old else t for t in tags if new or t != old]

    return change


def _parameters(source: str):
    def change(nb):
        for cell in nb["cells"]:
            if "parameters" in cell.get("metadata", {}).get("tags", []):
                cell["source"] = source

    return change


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (_one_heading, "har 1 rubriker på nivå två. Regel: minst 2 rubriker på nivå två"),
        (_retag("nämnd", "nämd"), "har taggen 'nämd'. Närmast: 'nämnd'. Regel: taggarna stavas"),
        (_retag("nämnd", None), 'Regel: en notebook med "area" eller "section" har minst en cell med taggen "nämnd"'),
        (_retag("parameters", None), 'har 0 celler med taggen "parameters". Regel: exakt en kodcell'),
        (_parameters('period: str = ""  # 2025\n'), "parametercellen sätter inte data_dir. Regel: exakt en kodcell"),
        (_retag("remove-cell", None), 'Regel: den första cellen är en markdowncell med taggen "remove-cell"'),
        (lambda nb: nb["metadata"]["bro"].pop("title"), 'saknar titel. Regel: metadata "bro" har "title"'),
        (
            lambda nb: nb["metadata"]["bro"].update(aera="x"),
            'okänd nyckel "aera" i metadata "bro". Närmast: \'area\'. Regel: metadata "bro" har bara nycklarna',
        ),
        (
            lambda nb: nb["metadata"]["bro"].update(section="Egen"),
            f"anger både area '{AREA}' och section 'Egen'. Regel: en notebook hör till",
        ),
        (
            lambda nb: nb["metadata"]["bro"].update(section=nb["metadata"]["bro"].pop("area")),
            f"section '{AREA}' är ett planområde. Regel: ett planområde anges med \"area\"",
        ),
    ],
    ids=[
        "headings",
        "misspelt tag",
        "no committee cell",
        "no parameters",
        "no data_dir",
        "no lab intro",
        "title",
        "key",
        "both",
        "sec",
    ],
)
def test_a_broken_rule_is_named_in_the_message(tmp_path, change, expected):
    assert expected in _problems(_copy(tmp_path, change=change))


def test_an_unreadable_notebook_is_named(tmp_path):
    path = tmp_path / "trasig.ipynb"
    path.write_text("{inte json", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"trasig\.ipynb: kan inte läsas .* Regel: en notebook är en JSON-fil"):
        check_notebooks([path], load_plan())


def _notebook(bro: dict, text: str):
    nb = nbformat.v4.new_notebook()
    nb.metadata["bro"] = bro
    cell = nbformat.v4.new_markdown_cell(text)
    cell.metadata["tags"] = ["nämnd"]
    nb.cells = [cell]
    return nb


def test_a_declared_section_comes_after_the_plans_areas():
    plan = load_plan()
    notebooks = [
        _notebook({"section": "RUS 2030: sammanhanget"}, "Sammanhanget."),
        _notebook({"area": plan.areas[-1]}, "Sist i planen."),
        _notebook({"area": plan.areas[0]}, "Först i planen."),
    ]
    titles = [area for _, area, _ in area_sections(notebooks, list(plan.areas))]
    assert titles == [plan.areas[0], plan.areas[-1], "RUS 2030: sammanhanget"]
