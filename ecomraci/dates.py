"""Calendar arithmetic in whole months, as contracts count: the rules and the what-if
simulation share it so that every date the product prints is reckoned the same way."""

from __future__ import annotations

import calendar
from datetime import MAXYEAR, MINYEAR, date, timedelta


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


# --- the ends of the calendar ----------------------------------------------------------
#
# Python's calendar runs from 0001-01-01 to 9999-12-31. A date worked out from the user's
# data or the as-of date (a renewal rolled forward, a notice deadline counted back) may
# fall outside it: `shift_months` and `shift_days` then answer None instead of raising,
# and the caller knows from the direction which end was passed. A deadline beyond the
# calendar is not due; one before its first day is long past.

BEYOND = "beyond 9999-12-31"  # how a date after the calendar's last day is written
BEFORE = "before 0001-01-01"  # how a date before its first day is written

# The as-of dates the command line and the app accept: the checks count months and years
# forward from the as-of date (notice, lead times, renewal terms of up to 10 years), so
# the range leaves room on both sides; the core itself accepts any date.
AS_OF_MIN = date(1900, 1, 1)
AS_OF_MAX = date(9000, 12, 31)


def shift_months(day: date, months: int, keep_month_end: bool = False) -> date | None:
    """`add_months`, or None when the result falls outside the calendar (after
    9999-12-31 going forward, before 0001-01-01 going back)."""
    year = (day.year * 12 + (day.month - 1) + months) // 12
    if not MINYEAR <= year <= MAXYEAR:
        return None
    return add_months(day, months, keep_month_end)


def months_after(day: date, months: int) -> date | None:
    """`day` plus whole months as contracts count them, or None beyond 9999-12-31: the
    month-end convention the rules and the what-if share (a term, notice period or lead
    time that ends on a month's last day runs to the last day of the target month, so
    2027-02-28 plus 12 months is 2028-02-29; other days are kept or clamped)."""
    return shift_months(day, months, keep_month_end=True)


def months_before(day: date, months: int) -> date | None:
    """`day` less whole months by the same convention, or None before 0001-01-01: the
    last day to give `months` of notice for a term ending on `day`, or to start a
    replacement that needs `months` of lead time (a term ending 2028-02-29 with 12
    months' notice needs notice by 2027-02-28; one ending 2027-02-28 with 4 months of
    lead time needs the replacement started by 2026-10-31)."""
    return shift_months(day, -months, keep_month_end=True)


def shift_days(day: date, days: int) -> date | None:
    """`day` moved by `days` days, or None outside the calendar."""
    try:
        return day + timedelta(days=days)
    except OverflowError:
        return None


def show(day: date | None, later: bool = True) -> str:
    """A date as the product writes it: ISO, or `BEYOND` (`later`) / `BEFORE` for one the
    calendar cannot hold."""
    if day is not None:
        return day.isoformat()
    return BEYOND if later else BEFORE


def as_of_problem(day: date) -> str | None:
    """Why `day` is refused as an as-of date on the command line and in the app, or None
    when it is accepted."""
    if AS_OF_MIN <= day <= AS_OF_MAX:
        return None
    return (
        f"{day.isoformat()} is outside the as-of dates accepted "
        f"({AS_OF_MIN.isoformat()} to {AS_OF_MAX.isoformat()})"
    )


def as_of_argument(text: str) -> date:
    """An --as-of date as the command lines (``ecomraci``, ``ecomraci-gui``) take it:
    YYYY-MM-DD within the accepted range; argparse exits with code 2 and the message
    otherwise."""
    import argparse

    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date; use YYYY-MM-DD") from None
    problem = as_of_problem(day)
    if problem is not None:
        raise argparse.ArgumentTypeError(problem)
    return day
