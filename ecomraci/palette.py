"""The product's one table of colours: RACI letters, severities, internal and external
parties, and the few accents around them.

The app (matrix, map, panels), the Excel workbook and the report all read their colours
from here, so an A is the same colour on screen, on paper and in a spreadsheet. Colours
are `#rrggbb` strings; `xlsx()` gives openpyxl's `RRGGBB` form.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Swatch:
    """A colour pair: `fill` for a cell or box background, `text` for what is written on
    it, `strong` for a line, a marker or a bar drawn on white."""

    fill: str
    text: str
    strong: str


# The letters, in the order a cell holding several takes its colour (A/R shows as A).
LETTERS: dict[str, Swatch] = {
    "A": Swatch(fill="#f6c9a8", text="#6e2a06", strong="#c2571a"),
    "R": Swatch(fill="#b8d3f2", text="#163e6b", strong="#2f6db3"),
    "C": Swatch(fill="#fbe6a2", text="#5a4300", strong="#b8860b"),
    "I": Swatch(fill="#e4e7eb", text="#363c45", strong="#7a828e"),
    "S": Swatch(fill="#d3ead3", text="#1e4620", strong="#3f8a45"),
    "V": Swatch(fill="#e3d7f1", text="#3f3151", strong="#7455a3"),
}
LETTER_ORDER = tuple(LETTERS)

SEVERITIES: dict[str, Swatch] = {
    "error": Swatch(fill="#fdecec", text="#9b1c1c", strong="#c53030"),
    "warning": Swatch(fill="#fff1db", text="#8a4b00", strong="#d69e2e"),
    "info": Swatch(fill="#e6effb", text="#1d4f91", strong="#3182ce"),
}

# Parties by kind: the matrix headers, the map's lanes and boxes, the workbook's header.
SIDES: dict[str, Swatch] = {
    "internal": Swatch(fill="#d6e6f8", text="#1c3d63", strong="#2c5f93"),
    "external": Swatch(fill="#fde0c5", text="#6b2d0c", strong="#b0501c"),
    "unassigned": Swatch(fill="#ececec", text="#333333", strong="#6b6b6b"),
}

# What-if outcomes (gone = better, new = worse, changed = look again).
OUTCOMES: dict[str, Swatch] = {
    "better": Swatch(fill="#e3f4e7", text="#1e6b33", strong="#2f8a4a"),
    "worse": Swatch(fill="#fdecec", text="#9b1c1c", strong="#c53030"),
    "changed": Swatch(fill="#fbf3cf", text="#5b4a00", strong="#b38f00"),
}

# How one function depends on another (the map's arrows).
DEPENDENCIES: dict[str, str] = {
    "data-feed": "#2d3748",
    "system-integration": "#5a3fb0",
    "process-handoff": "#2f7d32",
}

TEXT = "#1f2328"
MUTED = "#5b6472"  # secondary text; dark enough to read on the light fills above
GRID = "#c9ced6"
BAND = "#d0d7de"  # a function's band row in the matrix and the workbook
HEADER = "#dde3ea"  # a table's column headers (the workbook's sheets)
TOTALS = "#f3f4f6"
CONTRACT = "#23706f"  # a contract's frame and tab on the map
FORUM = "#55606e"  # a forum's line and dots on the map
ACCENT = "#7b2fbf"  # what a what-if changes
SELECTION = "#f0a000"
LINK = "#1a56a8"
WHITE = "#ffffff"


def letter_swatch(letters: str) -> Swatch | None:
    """The swatch of a cell holding `letters` (the first of LETTER_ORDER it holds)."""
    for letter in LETTER_ORDER:
        if letter in letters:
            return LETTERS[letter]
    return None


def mix(colour: str, other: str, share: float) -> str:
    """`colour` with `share` (0 to 1) of `other` mixed in: `mix(fill, WHITE, 0.5)` is a
    lighter tint of `fill`, `mix(fill, strong, 0.2)` a deeper one."""
    a = [int(colour[i : i + 2], 16) for i in (1, 3, 5)]
    b = [int(other[i : i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{round(x + (y - x) * share):02x}" for x, y in zip(a, b))


def xlsx(colour: str) -> str:
    """`#rrggbb` as openpyxl writes it (`RRGGBB`)."""
    return colour.lstrip("#").upper()
