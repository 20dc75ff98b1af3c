"""Showing text from a model or a workbook safely: on a terminal, in a message, in XML.

Names, reasons and cell values are whatever a file holds. Printed raw, an escape
sequence in a name would recolour a terminal or set its window title, a bidi override
would reorder the line around it, and a control character makes an XML document
unreadable. These helpers show such characters as escapes (``\\x1b``, ``\\u202e``)
instead, and keep a quoted value short.
"""

from __future__ import annotations

import re

# Control characters (C0, DEL, C1), the bidi controls (marks, embeddings, overrides,
# isolates), the line and paragraph separators, and lone surrogates.
_HIDDEN = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ud800-\udfff]"
)
# Characters XML 1.0 does not allow anywhere in a document.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_NAMED = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}

QUOTE_LIMIT = 200  # characters of a value a message quotes


def _escape(match: re.Match[str]) -> str:
    ch = match.group()
    if ch in _NAMED:
        return _NAMED[ch]
    code = ord(ch)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: str) -> str:
    """`text` with control characters, bidi controls and line separators escaped
    (``\\x1b``, ``\\n``, ``\\u202e``): safe to print on a terminal, on one line."""
    return _HIDDEN.sub(_escape, text)


def visible_lines(text: str) -> str:
    """Like `visible`, but the line breaks of `text` stay line breaks: for a report
    made of lines."""
    return "\n".join(visible(line) for line in text.split("\n"))


def shorten(text: str, limit: int = QUOTE_LIMIT) -> str:
    """`text` cut to about `limit` characters, saying how long it was."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}... ({len(text)} characters)"


def quoted(value: object, limit: int = QUOTE_LIMIT) -> str:
    """A value as a message quotes it: ``"text"``, escaped and at most about `limit`
    characters long."""
    return f'"{visible(shorten(str(value), limit))}"'


def xml_safe(text: str) -> str:
    """`text` with the characters XML 1.0 forbids (most control characters, lone
    surrogates, U+FFFE and U+FFFF) written as visible escapes: the rest of the text,
    once XML-escaped as usual, makes a well-formed document."""
    return _NOT_XML.sub(_escape, text)


_JSON_HIDDEN = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]")


def json_visible(document: str) -> str:
    """A JSON document (written with ``ensure_ascii=False``) with the characters that
    `json.dumps` leaves raw but a terminal acts on (DEL, C1 controls, bidi controls,
    line separators) written as ``\\uXXXX`` escapes: the same JSON value."""
    return _JSON_HIDDEN.sub(lambda m: f"\\u{ord(m.group()):04x}", document)
