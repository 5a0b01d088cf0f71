"""Report building blocks: escaping, accessible tables, figures with alt text."""

import matplotlib.pyplot as plt
import pandas as pd

from bro_analysis.presentation import blocks
from bro_analysis.presentation.formatting import fmt_msek

EVIL = "<script>alert(1)</script><img src=x onerror=alert(2)></table>"


def test_text_is_escaped():
    html = blocks.paragraph(f"Företaget {EVIL} investerade.").data
    assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;" in html


def test_table_escapes_cells_and_has_headers():
    frame = pd.DataFrame({"Företag": [EVIL], "Värde": [1234.5]})
    html = blocks.table(frame, "Investeringar", formats={"Värde": fmt_msek}).data
    assert "<script>" not in html and html[-8:] == "</table>"
    assert html.count("</table>") == 1
    assert "<caption>Investeringar</caption>" in html
    assert '<th scope="col">Företag</th>' in html
    assert '<th scope="row" data-label="Företag">&lt;script&gt;' in html
    assert "1\u00a0234,5\u00a0MSEK" in html


def test_figure_has_alt_text_and_no_network():
    fig, ax = plt.subplots()
    ax.plot([1, 2], [3, 4])
    html = blocks.figure(fig, alt='NKI "ökar"', caption="Figur 1").data
    assert 'alt="NKI &quot;ökar&quot;"' in html
    assert 'src="data:image/png;base64,' in html
    assert "http" not in html


def test_title_marks_example_data():
    assert "Exempeldata" in blocks.title("NKI", "2025", example=True).data
    assert "Exempeldata" not in blocks.title("NKI", "2025", example=False).data
