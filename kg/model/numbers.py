"""Decimal numbers as SAC-KG reads, stores, queries and shows them.

Every number a curator writes or a question holds must lie in one representable range, so that every
engine can store and compare it exactly (pyoxigraph's xsd:decimal holds 18 fractional digits and
about 1.7e20): below 10**12 in size, with at most 9 decimal places. Numbers are written in plain
decimal form everywhere (never `1E-7`, which is no SPARQL decimal).

This module is on the `sackg ask` path and imports nothing heavy.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

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
    """A number in plain decimal notation: '0.0000001', '1500', never '1E-7' or '1.5E+3'."""
    if isinstance(number, Decimal):
        if not number.is_finite():
            return str(number)
        text = format(number, "f")
        if "." in text:
            text = text.rstrip("0").rstrip(".")
        return text if text not in ("-0", "") else "0"
    return str(number)


def mixed_signs(values) -> bool:
    """Whether `values` (numbers, or None where a value is missing) hold both negative and non-negative ones."""
    return len({Decimal(str(v)) < 0 for v in values if v is not None}) > 1
