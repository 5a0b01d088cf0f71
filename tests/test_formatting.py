from bro_analysis.presentation.formatting import (
    MINUS,
    NBSP,
    axis_formatter,
    fmt_int,
    fmt_interval,
    fmt_level,
    fmt_msek,
    fmt_number,
    fmt_percent,
    fmt_points,
    fmt_signed,
    join_sv,
)


def test_thousands_and_decimal_comma():
    assert fmt_number(1234567.8) == f"1{NBSP}234{NBSP}567,8"
    assert fmt_number(12.345, 2) == "12,35"  # half up, as printed, not binary half-even
    assert fmt_number(81.25) == "81,3"
    assert fmt_number(-2.5, 0) == f"{MINUS}3"
    assert fmt_int(10512) == f"10{NBSP}512"


def test_negative_uses_minus_sign_and_no_negative_zero():
    assert fmt_number(-1234.5) == f"{MINUS}1{NBSP}234,5"
    assert fmt_number(-0.04) == "0,0"


def test_missing_is_a_dash():
    assert fmt_number(None) == "–"
    assert fmt_number(float("nan")) == "–"
    assert fmt_percent(None) == "–"


def test_percent_points_and_msek():
    assert fmt_percent(0.123) == f"12,3{NBSP}%"
    assert fmt_points(0.021) == f"+2,1{NBSP}procentenheter"
    assert fmt_points(-0.021) == f"{MINUS}2,1{NBSP}procentenheter"
    assert fmt_msek(1234.5) == f"1{NBSP}234,5{NBSP}MSEK"
    assert fmt_signed(2.5) == "+2,5"


def test_axis_formatter():
    assert axis_formatter(0)(2500, 0) == f"2{NBSP}500"
    assert axis_formatter(0, percent=True)(0.25, 0) == f"25{NBSP}%"


def test_join_sv():
    assert join_sv([]) == "" and join_sv(["A"]) == "A" and join_sv(["A", "B"]) == "A och B"
    assert join_sv(["A", "", "B", "C"]) == "A, B och C"
    assert join_sv(["”lead”", "”kvalificerad”"], "eller") == "”lead” eller ”kvalificerad”"


def test_fmt_interval():
    assert fmt_interval(76.81, 78.0) == "76,8–78,0"
    assert fmt_interval(-1.24, 3.4, signed=True) == "\u22121,2 till +3,4"
    assert fmt_interval(10.94, 18.4, suffix="\u00a0%") == "10,9–18,4\u00a0%"
    assert fmt_interval(float("nan"), 3.0) == "–" and fmt_interval(None, None) == "–"


def test_fmt_level():
    assert fmt_level(0.95) == "95 %" and fmt_level(0.9) == "90 %"
