"""A figure the committee report would show twice stops the report with a message naming
both notebooks: the trap a successor meets after copying an area's notebook (#29)."""

from __future__ import annotations

import shutil

import nbformat
import pytest

from bro_analysis.running.combine import check_figures_unique, repeated_figure, write_period_report

FIGURE = '<figure><img src="data:image/png;base64,AAAA" alt="{}"><figcaption>x</figcaption></figure>'


def test_a_repeat_is_found_across_and_within_notebooks():
    first = ("notebooks/15_samverkan.ipynb", [FIGURE.format("Workshops 2026: 3 av 4 hittills")])
    copy = ("notebooks/16_kompetens.ipynb", ["<p>text</p>", FIGURE.format("Workshops 2026: 3 av 4 hittills")])
    other = ("notebooks/16_kompetens.ipynb", [FIGURE.format("Kompetensinsatser 2026: 1 av 6 hittills")])
    assert repeated_figure([first, copy]) == ("Workshops 2026: 3 av 4 hittills", first[0], copy[0])
    assert repeated_figure([first, other]) is None
    twice = ("notebooks/10_nki.ipynb", [FIGURE.format("NKI 2025: 78"), FIGURE.format("NKI 2025: 78")])
    assert repeated_figure([twice]) == ("NKI 2025: 78", twice[0], twice[0])


def test_the_message_names_both_notebooks_and_the_recipe():
    alt = "Gemensamma workshops 2026: " + "x" * 200
    named = [
        ("notebooks/15_samverkan.ipynb", [FIGURE.format(alt)]),
        ("notebooks/16_kompetens.ipynb", [FIGURE.format(alt)]),
    ]
    with pytest.raises(ValueError) as caught:
        check_figures_unique(named)
    text = str(caught.value)
    assert "både i notebooks/15_samverkan.ipynb och i notebooks/16_kompetens.ipynb" in text
    assert "Lägga till ett område" in text and "…" in text and len(text) < 400
    check_figures_unique(named[:1])  # one of each passes


def test_a_copied_notebook_stops_the_report_and_writes_nothing(example_run, tmp_path):
    """The example's executed notebooks with 15_samverkan copied: the report is not written."""
    executed = sorted((example_run / "2026-08" / "notebooks").glob("*.ipynb"))
    source = next(p for p in executed if p.name == "15_samverkan.ipynb")
    copy = tmp_path / "16_kompetens.ipynb"
    shutil.copyfile(source, copy)
    alts = repeated_figure(
        [
            (
                p.name,
                [
                    "".join(
                        str(o.get("data", {}).get("text/html", ""))
                        for c in nbformat.read(p, 4).cells
                        for o in c.get("outputs", [])
                    )
                ],
            )
            for p in executed
        ]
    )
    assert alts is None, alts  # the real report repeats nothing
    out = tmp_path / "ut"
    out.mkdir()
    with pytest.raises(ValueError, match="16_kompetens.ipynb"):
        write_period_report([*executed, copy], out)
    assert list(out.iterdir()) == []
