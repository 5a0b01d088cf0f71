"""The notebook parameters: what papermill injects into every notebook's `parameters` cell."""

from __future__ import annotations

from pathlib import Path

from bro_analysis.analysis.context import check_parameters
from bro_analysis.core.periods import Period

# The names of the parameters cell's variables, in every notebook under notebooks/;
# a per-member notebook (metadata "bro": {"per_member": true}) also has `kommun`.
NAMES = ("period", "data_dir")


def parameters(period: Period, data_dir: Path, member: str | None = None) -> dict:
    """The papermill parameters of a run, checked before they are injected into a notebook;
    a notebook made for one member municipality (a kommunblad) also gets `kommun`, its code
    as a string (papermill keeps a str a str; '0127' never becomes 87)."""
    params = {"period": period.key, "data_dir": str(Path(data_dir).resolve())}
    check_parameters(**params)
    if member is not None:
        params["kommun"] = str(member)
    return params
