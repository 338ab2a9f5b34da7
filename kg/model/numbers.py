"""Decimal numbers as SAC-KG reads, stores, queries and shows them.

Every number a curator writes or a question holds must lie in one representable range, so that every
engine can store and compare it exactly (pyoxigraph's xsd:decimal holds 18 fractional digits and
about 1.7e20): below 10**12 in size, with at most 9 decimal places. Numbers are written in plain
decimal form everywhere (never `1E-7`, which is no SPARQL decimal).

This module is on the `sackg ask` path and imports nothing heavy.
"""

from __future__ import annotations

import math
import re
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation

MAX_INTEGER_DIGITS = 12
MAX_FRACTION_DIGITS = 9
RANGE = f"below 10^{MAX_INTEGER_DIGITS} in size, with at most {MAX_FRACTION_DIGITS} decimal places"
_LEXICAL = re.compile(r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?")
_LIMIT = Decimal(10) ** MAX_INTEGER_DIGITS


def out_of_range(number: Decimal) -> bool:
    if not number.is_finite():
        return True
    if number == 0:
        return False
    exponent = number.normalize().as_tuple().exponent
    return abs(number) >= _LIMIT or exponent < -MAX_FRACTION_DIGITS


def looks_like_number(text: str) -> bool:
    """Whether `text` is written as a number (plain or exponent form), whatever its size."""
    return bool(_LEXICAL.fullmatch(text.strip().replace("−", "-")))


def parse_decimal(text: str) -> Decimal:
    """The number `text` writes (plain or exponent form), or ValueError saying why it cannot be one."""
    cleaned = text.strip().replace("−", "-")
    if not looks_like_number(cleaned):
        raise ValueError("not a number")
    if len(cleaned) > 64:
        raise ValueError(f"out of range (numbers must be {RANGE})")
    try:
        number = Decimal(cleaned)
    except InvalidOperation:  # pragma: no cover - the pattern admits only decimals
        raise ValueError("not a number") from None
    if out_of_range(number):
        raise ValueError(f"out of range (numbers must be {RANGE})")
    return number


def canonical(number: Decimal) -> Decimal:
    """One value for every lexical form ('3600.0', '3600', '3.6E+3'), without trailing zeros."""
    if not number.is_finite():
        return number
    try:
        if number == number.to_integral_value():
            return number.quantize(Decimal(1))
        return number.normalize()
    except InvalidOperation:  # too many digits for the context: keep it as it came
        return number


def plain(number) -> str:
    """A number in plain decimal notation: '0.0000001', '1500', never '1E-7', '1.5E+3' or '1000.0'."""
    if isinstance(number, float) and math.isfinite(number):
        number = Decimal(repr(number))  # the shortest digits that read back as this float
    if isinstance(number, Decimal):
        if not number.is_finite():
            return str(number)
        text = format(number, "f")
        if "." in text:
            text = text.rstrip("0").rstrip(".")
        return text if text not in ("-0", "") else "0"
    return str(number)


def significant(number: Decimal) -> int:
    """How many significant digits `number` is written with, trailing zeros of a whole number aside."""
    return len(canonical(number).normalize().as_tuple().digits) if number else 1


def rounded(number: Decimal, digits: int) -> Decimal:
    """`number` to `digits` significant digits (fewer if it needs fewer), without trailing zeros."""
    if not number.is_finite() or number == 0 or significant(number) <= digits:
        return canonical(number)
    return canonical(number.quantize(Decimal(1).scaleb(number.adjusted() - digits + 1), rounding=ROUND_HALF_EVEN))


DERIVED_DIGITS = 4


def derived(number: Decimal, exact: bool, reported: Decimal | None = None) -> Decimal:
    """A number worked out from a reported one (a unit conversion): all its digits when the working out was
    exact, else DERIVED_DIGITS significant digits, or as many as the reported number has if that is more."""
    if exact:
        return canonical(number)
    return rounded(number, max(DERIVED_DIGITS, significant(reported) if reported is not None else 0))


def computed(number) -> Decimal | None:
    """A number an engine worked out (a decimal, or a double): as it is when it could be a reported number
    (at most MAX_FRACTION_DIGITS decimal places), else an inexact result, to DERIVED_DIGITS digits."""
    if number is None:
        return None
    value = Decimal(repr(number)) if isinstance(number, float) else Decimal(number)
    exact = value.is_finite() and (value == 0 or value.normalize().as_tuple().exponent >= -MAX_FRACTION_DIGITS)
    return derived(value, exact)


def mixed_signs(values) -> bool:
    """Whether `values` (numbers, or None where a value is missing) hold both negative and non-negative ones."""
    return len({Decimal(str(v)) < 0 for v in values if v is not None}) > 1
