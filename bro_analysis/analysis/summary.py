"""What the combined committee report needs from the analysis, published by the
overview notebook as an output no template shows: the period, the example flag,
the key-result records (okr.csv/okr.json) and the appendix."""

from __future__ import annotations

from html import escape

import pandas as pd

from bro_analysis import __version__
from bro_analysis.analysis import assumptions, overview
from bro_analysis.presentation.blocks import table_html

SUMMARY_MIME = "application/vnd.bro.summary+json"


def appendix(ctx) -> str:
    """Data sources with checksums, the version, and the assumptions-and-caveats log."""

    sources = pd.DataFrame(
        [
            {
                "Fil": s.file,
                "Rader": s.rows,
                "Period i filen": f"{s.first_date} – {s.last_date}" if s.first_date else "–",
                "SHA-256": s.sha256,
            }
            for s in ctx.dataset.sources
        ]
    )
    log = "".join(f"<li><strong>{escape(area)}:</strong> {escape(text)}</li>" for area, text in assumptions.log(ctx))
    return (
        '<h2 id="bilaga">Bilaga: underlag, antaganden och förbehåll</h2>'
        "<h3>Datakällor</h3>"
        + table_html(sources, f"Indatafiler i {ctx.dataset.data_dir.name}", row_header=True)
        + f"<p>Framtagen med bro-analysis version {escape(__version__)}.</p>"
        "<h3>Antaganden och förbehåll</h3>"
        f"<ul>{log}</ul>"
    )


def summary(ctx) -> dict:
    """What the combined report needs from the analysis: period, example flag,
    the key-result records (okr.csv/okr.json) and the appendix."""

    return {
        "period": ctx.period.key,
        "label": ctx.period.label,
        "example": ctx.dataset.is_example,
        "records": overview.summary_records(ctx, overview.outcomes(ctx)),
        "appendix": appendix(ctx),
    }


def publish(ctx):
    """Called by the overview notebook: the summary as an output no template shows."""
    from IPython.display import display

    display({SUMMARY_MIME: summary(ctx), "text/plain": ""}, raw=True)
