"""Analysis workbook for Business Region Örebro."""

__version__ = "0.1.0"
