"""The committee HTML of an executed notebook: nbconvert with the project's own template
(no code, no prompts, parameters hidden)."""

from __future__ import annotations

import threading

from bro_analysis.core.config import TEMPLATES_DIR
from bro_analysis.core.periods import Period
from bro_analysis.presentation.blocks import is_lab_only, markdown_html

TEMPLATE_NAME = "bro"


_EXPORTERS = threading.local()


def html_exporter():
    """nbconvert's HTML exporter with the project's own template: no code, no prompts.
    One per thread, built once: loading the template is most of an export's cost."""
    exporter = getattr(_EXPORTERS, "exporter", None)
    if exporter is None:
        exporter = _EXPORTERS.exporter = _new_exporter()
    return exporter


def _new_exporter():
    from nbconvert import HTMLExporter
    from nbconvert.preprocessors import TagRemovePreprocessor

    exporter = HTMLExporter(template_name=TEMPLATE_NAME, extra_template_basedirs=[str(TEMPLATES_DIR)])
    exporter.exclude_input = True
    exporter.exclude_input_prompt = True
    exporter.exclude_output_prompt = True
    exporter.register_filter("bro_markdown", markdown_html)
    remover = TagRemovePreprocessor(remove_cell_tags={"parameters", "injected-parameters", "remove-cell"})
    exporter.register_preprocessor(remover, enabled=True)
    return exporter


def export_html(nb, title: str) -> bytes:
    """The executed notebook as committee HTML."""
    nb.metadata.setdefault("bro", {})["title"] = title
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = [o for o in cell.get("outputs", []) if not is_lab_only(o)]
    body, _ = html_exporter().from_notebook_node(nb)
    return body.encode("utf-8")


def notebook_title(nb, period: Period) -> str:
    base = nb.metadata.get("bro", {}).get("title", "Uppföljning")
    return f"{base} – {period.label} – Business Region Örebro"
