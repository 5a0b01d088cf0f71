"""A member municipality's profile for its kommunblad: its figures taken from the area
analyses (numbers), Swedish sentences (text) and display tables (tables). Not an area of
the plan: it has no key results of its own."""

from __future__ import annotations

from . import figures, numbers, tables, text

__all__ = ["figures", "numbers", "tables", "text"]
