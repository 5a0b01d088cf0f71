"""The notebook parameters: what papermill injects into every notebook's `parameters` cell."""

from __future__ import annotations

from pathlib import Path

from bro_analysis.analysis.context import check_parameters
from bro_analysis.core.periods import Period

# The names of the parameters cell's variables, in every notebook under notebooks/.
NAMES = ("period", "data_dir")


def parameters(period: Period, data_dir: Path) -> dict:
    """The papermill parameters of a run, checked before they are injected into a notebook."""
    params = {"period": period.key, "data_dir": str(Path(data_dir).resolve())}
    check_parameters(**params)
    return params
