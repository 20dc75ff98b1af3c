"""Calendar arithmetic in whole months, as contracts count: the rules and the what-if
simulation share it so that every date the product prints is reckoned the same way."""

from __future__ import annotations

import calendar
from datetime import date


def is_month_end(day: date) -> bool:
    return day.day == calendar.monthrange(day.year, day.month)[1]


def add_months(day: date, months: int, keep_month_end: bool = False) -> date:
    """`day` moved by whole months (negative to go back). The day of the month is kept,
    or clamped to the last day of a shorter month (31 Jan + 1 month = 28/29 Feb). With
    `keep_month_end`, a month-end date stays a month-end date (30 Jun - 3 months =
    31 Mar), the way notice periods "to the end of a month" are reckoned."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    last = calendar.monthrange(year, month)[1]
    if keep_month_end and is_month_end(day):
        return date(year, month, last)
    return date(year, month, min(day.day, last))


def months_between(a: date, b: date) -> int:
    """Whole months from the earlier of two dates to the later one."""
    early, late = (a, b) if a <= b else (b, a)
    months = (late.year - early.year) * 12 + late.month - early.month
    if late.day < early.day:
        months -= 1
    return months
