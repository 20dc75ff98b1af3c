"""What a person types into a RACI cell, read as letters.

`parse` reads the spellings people use for two roles at once (``A/R``, ``AR``, ``a r``,
``R,A``, ``RA``, ``A+R``, ``A & R``) as the model's canonical letters (``AR``: the order of
`ecomraci.model.RACI_LETTERS`), and refuses anything else with a message naming the
character it does not know. `toggle` adds or takes out one letter, and `TYPING_RULE` is
the one sentence the app shows about typing into a cell that already has letters.
"""

from __future__ import annotations

from ecomraci.model import RACI_LETTERS

# Characters people put between letters; they mean nothing themselves.
SEPARATORS = frozenset(" /,;+-&|\t")

# The letters people type for each role, as the status bar and the docs list them.
LETTER_NAMES = {
    "R": "Responsible",
    "A": "Accountable",
    "C": "Consulted",
    "I": "Informed",
    "S": "Supportive",
    "V": "Verifies",
}

TYPING_RULE = (
    "Typing into a RACI cell replaces its letters (A/R, AR, R,A all mean A and R; "
    "Enter keeps them, Esc cancels). Ctrl+Shift+R, A, C or I adds or takes out that "
    "one letter."
)


class LetterError(ValueError):
    """Typed text with a character that is not a RACI letter or a separator."""

    def __init__(self, char: str, position: int):
        self.char = char
        self.position = position
        shown = "a space" if char.isspace() else repr(char)
        super().__init__(
            f"{shown} is not one of R, A, C, I (or S, V): type letters such as A/R or C"
        )


def is_typing_key(char: str) -> bool:
    """Whether `char`, pressed on a cell, starts typing into it (a letter or a separator;
    any other printable character is a mistake to report, not a key to ignore)."""
    return len(char) == 1 and (char.upper() in RACI_LETTERS or char in SEPARATORS)


def parse(text: str) -> str:
    """The canonical letters of `text`: ``"a r"``, ``"R,A"``, ``"RA"`` -> ``"AR"``.

    Empty text (or separators only) is an empty cell. Raises LetterError at the first
    character that is neither a RACI letter nor a separator.
    """
    seen: set[str] = set()
    for position, ch in enumerate(text):
        if ch in SEPARATORS:
            continue
        up = ch.upper()
        if len(up) != 1 or up not in RACI_LETTERS:
            raise LetterError(ch, position)
        seen.add(up)
    return "".join(ch for ch in RACI_LETTERS if ch in seen)


def toggle(letters: str, letter: str) -> str:
    """`letters` with `letter` taken out when it holds it, added otherwise."""
    letter = letter.upper()
    if letter not in RACI_LETTERS:
        raise LetterError(letter, 0)
    if letter in letters:
        return letters.replace(letter, "")
    return parse(letters + letter)


def describe(letters: str) -> str:
    """``"AR"`` -> ``"Accountable and Responsible"``; empty -> ``"no role"``."""
    names = [LETTER_NAMES[ch] for ch in letters if ch in LETTER_NAMES]
    if not names:
        return "no role"
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
