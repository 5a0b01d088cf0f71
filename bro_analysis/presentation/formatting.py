"""Swedish number format: 1 234 567,8 and 12,3 %.

Rounding is half away from zero, as in Excel and in print (81,25 -> 81,3).
Thousands are separated by a no-break space so that a number never wraps,
the decimal mark is a comma and negative numbers take a real minus sign.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal

from matplotlib.ticker import FuncFormatter

NBSP = "\u00a0"
MINUS = "\u2212"
MISSING = "–"


def _is_missing(value) -> bool:
    try:
        return value is None or math.isnan(float(value))
    except (TypeError, ValueError):
        return True


def fmt_number(value, decimals: int = 1) -> str:
    """1234567.8 -> '1 234 567,8' (no-break spaces); missing -> '–'."""
    if _is_missing(value):
        return MISSING
    rounded = Decimal(repr(abs(float(value)))).quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_UP)
    text = f"{rounded:,.{decimals}f}".replace(",", NBSP).replace(".", ",")
    negative = float(value) < 0 and rounded != 0
    return (MINUS if negative else "") + text


def fmt_int(value) -> str:
    """Whole number with thousands separator."""
    return fmt_number(value, 0)


def join_sv(items, conjunction: str = "och") -> str:
    """A Swedish list: 'A', 'A och B', 'A, B och C' (empty items left out)."""
    items = [str(i) for i in items if str(i)]
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {conjunction} {items[-1]}"


def fmt_interval(low, high, decimals: int = 1, signed: bool = False, suffix: str = "") -> str:
    """An interval: '76,8–78,0', signed '−1,2 till +3,4', '–' when a bound is missing."""
    if _is_missing(low) or _is_missing(high):
        return MISSING
    if signed:
        return f"{fmt_signed(low, decimals)} till {fmt_signed(high, decimals)}{suffix}"
    return f"{fmt_number(low, decimals)}–{fmt_number(high, decimals)}{suffix}"


def fmt_level(level: float) -> str:
    """A confidence level (0.95) as '95 %', as in '95 %-intervall'."""
    return f"{fmt_number(100 * float(level), 0)} %"


def fmt_percent(share, decimals: int = 1) -> str:
    """A share (0.123) as '12,3 %'."""
    if _is_missing(share):
        return MISSING
    return f"{fmt_number(100 * float(share), decimals)}{NBSP}%"


def fmt_points(diff, decimals: int = 1) -> str:
    """A difference of shares (0.021) as '+2,1 procentenheter'."""
    if _is_missing(diff):
        return MISSING
    sign = "+" if float(diff) > 0 else ""
    return f"{sign}{fmt_number(100 * float(diff), decimals)}{NBSP}procentenheter"


def fmt_msek(value, decimals: int = 1) -> str:
    """An amount in MSEK: '1 234,5 MSEK'."""
    if _is_missing(value):
        return MISSING
    return f"{fmt_number(value, decimals)}{NBSP}MSEK"


def fmt_signed(value, decimals: int = 1) -> str:
    """A change with its sign: '+2,5' or '−1,0'."""
    if _is_missing(value):
        return MISSING
    return ("+" if float(value) > 0 else "") + fmt_number(value, decimals)


def axis_formatter(decimals: int = 0, percent: bool = False) -> FuncFormatter:
    """Matplotlib tick formatter in Swedish format (shares as per cent when percent=True)."""
    if percent:
        return FuncFormatter(lambda x, _pos: fmt_percent(x, decimals))
    return FuncFormatter(lambda x, _pos: fmt_number(x, decimals))
