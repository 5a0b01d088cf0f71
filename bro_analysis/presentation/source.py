"""The source line under a figure or table: who collected the data, and the example-data mark.
A small module of its own so that the runner can use it without importing matplotlib."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Source:
    """Where a figure's or a table's data come from, said under it (and the example-data mark)."""

    text: str  # "SKR Insikt (nki.csv, mätår 2014–2025); bearbetning BRO"
    example: bool = False

    def line(self) -> str:
        return f"Källa: {self.text}." + (" Exempeldata." if self.example else "")
