"""The what-if pane: one scenario's result, or two sides compared.

`ScenarioPanel` only shows what it is given and says what the user asked for through
its signals; `ui.scenario_actions` works the scenarios out (off the GUI thread), saves
and applies them, and marks the RACI cells in the matrix.

A result reads top to bottom as the question is answered: the key facts, then the
earliest exit with its reason and go-live, the services put at risk and why, the
dependencies that cross a new party boundary, the RACI cells that change, the findings
that appear, disappear or change, and the contracts to amend with the clauses to
negotiate. A comparison puts the two sides next to each other: findings, RACI cells and
objects that differ.

Names of functions, contracts, parties and activities are links: a click shows the
object in the window.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from html import escape

from ecomraci import palette
from ecomraci.dates import BEYOND
from ecomraci.diff import COLLECTIONS, FindingRef, ModelDiff, RaciChange
from ecomraci.scenario import ScenarioResult
from ecomraci.scenario.text import (
    ID_FIELDS,
    dependency_text,
    field_text,
    go_live_text,
    leave_text,
    route_text,
    value_text,
)
from ui.matrix.model import LETTER_COLOURS

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)


def _banner_colours(swatch: palette.Swatch) -> tuple[str, str, str]:
    """Text, background and border of a banner in the colours of `swatch`."""
    return swatch.text, swatch.fill, palette.mix(swatch.fill, swatch.strong, 0.35)


def _pair(swatch: palette.Swatch) -> tuple[str, str]:
    return swatch.text, swatch.fill


# The colours come from the product's one table (`ecomraci.palette`): the pane speaks
# in the matrix's, the map's and the workbook's colours.
SEVERITY_STYLE = {s: _pair(w) for s, w in palette.SEVERITIES.items()}  # text, background
_WORSE, _BETTER, _CHANGED = (_pair(palette.OUTCOMES[k]) for k in ("worse", "better", "changed"))
STATUS_STYLE = {  # a finding's or a contract's fate in the scenario
    "new": _WORSE,
    "gone": _BETTER,
    "changed": _CHANGED,
    "amended": _CHANGED,
    "ends": _WORSE,
    "added": _BETTER,
    "removed": _WORSE,
}
ACCENT = palette.ACCENT  # the colour the matrix marks changed cells with
MUTED = palette.MUTED
LINK = palette.LINK
RULE_LINE = palette.GRID
NEUTRAL = palette.TOTALS
COLLECTION_KIND = {
    "parties": "party",
    "functions": "function",
    "activities": "activity",
    "contracts": "contract",
    "forums": "forum",
}
OBJECT_TITLES = {
    "parties": "Party",
    "functions": "Function",
    "activities": "Activity",
    "assignments": "Delivery",
    "dependencies": "Dependency",
    "contracts": "Contract",
    "forums": "Forum",
    "waivers": "Waiver",
}

PLACEHOLDER = (
    f"<p style='color:{MUTED}'>Right-click a function or a contract (in the model tree, the "
    "matrix or the contracts tab) and choose <b>What if…</b> to see what taking it "
    "in-house, moving it to another provider or ending the contract would change: the "
    "earliest exit and why, the services put at risk, the RACI cells and findings that "
    "change, and the contracts to amend.</p>"
    f"<p style='color:{MUTED}'>Saved scenarios are listed under <b>Scenarios</b> in the model "
    "tree, where two of them, or one and the model as it is, can be compared.</p>"
)


@dataclass
class Side:
    """One side of a comparison: a saved scenario, or the model as it is (name None)."""

    label: str
    about: str
    name: str | None = None


@dataclass
class Comparison:
    a: Side
    b: Side
    as_of: date
    diff: ModelDiff
    unmarked: int = 0  # RACI cells on rows the matrix does not show (added activities)
    names: dict[str, str] = field(default_factory=dict)  # id -> name, of both sides


# --- small HTML pieces ------------------------------------------------------------------


def _chip(text: str, fg: str, bg: str) -> str:
    return (
        f"<span style='color:{fg}; background-color:{bg}; font-weight:600;'>"
        f"&nbsp;{escape(text)}&nbsp;</span>"
    )


def _severity(sev: str) -> str:
    fg, bg = SEVERITY_STYLE.get(sev, (MUTED, NEUTRAL))
    return _chip(sev.upper(), fg, bg)


def _status(status: str, text: str | None = None) -> str:
    fg, bg = STATUS_STYLE.get(status, (MUTED, NEUTRAL))
    return _chip(text or status, fg, bg)


def _letters(letters: str) -> str:
    if not letters:
        return f"<span style='color:{MUTED}'>none</span>"
    colour = LETTER_COLOURS.get(letters[0])
    bg = colour.name() if colour is not None else NEUTRAL
    return _chip(letters, palette.TEXT, bg)


def _link(kind: str | None, object_id: str | None, name: str, bold: bool = True) -> str:
    text = f"<b>{escape(name)}</b>" if bold else escape(name)
    if not kind or not object_id:
        return text
    return (
        f"<a href='{kind}:{escape(object_id, quote=True)}' "
        f"style='color:{LINK}; text-decoration:none;'>{text}</a>"
    )


def _h(title: str, count: int | None = None) -> str:
    tail = (
        f" <span style='color:{MUTED}; font-weight:normal;'>({count})</span>"
        if count is not None
        else ""
    )
    return (
        f"<table width='100%' cellspacing='0' cellpadding='0' style='margin-top:14px;"
        f" margin-bottom:4px; border-collapse:collapse;'><tr><td style='border-bottom:1px solid"
        f" {RULE_LINE}; padding-bottom:2px;'><span style='font-size:large; font-weight:600;"
        f" color:#1f2328;'>{escape(title)}</span>{tail}</td></tr></table>"
    )


def _opening(title: str, items: list, empty: str) -> list[str]:
    """A section's heading with its count, and what to say when it has nothing."""
    out = [_h(title, len(items))]
    if not items:
        out.append(_p(_muted(empty)))
    return out


def _muted(text: str) -> str:
    return f"<span style='color:{MUTED}'>{escape(text)}</span>"


def _p(body: str, indent: int = 0) -> str:
    return f"<p style='margin-top:3px; margin-bottom:3px; margin-left:{indent}px;'>{body}</p>"


def _list(items: list[str]) -> str:
    if not items:
        return ""
    return (
        "<ul style='margin-top:0px; margin-bottom:2px; -qt-list-indent:1;'>"
        + "".join(f"<li>{i}</li>" for i in items)
        + "</ul>"
    )


def _table(
    rows: list[list[str]], head: list[str] | None = None, widths: list[str] | None = None
) -> str:
    out = [
        f"<table width='100%' cellspacing='0' cellpadding='4' "
        f"style='border-collapse:collapse; border-color:{RULE_LINE};' border='1'>"
    ]
    if head:
        out.append(
            "<tr>"
            + "".join(
                f"<th align='left' bgcolor='#eef1f5'{_width(widths, i)}>{h}</th>"
                for i, h in enumerate(head)
            )
            + "</tr>"
        )
    for row in rows:
        out.append(
            "<tr>"
            + "".join(f"<td valign='top'{_width(widths, i)}>{c}</td>" for i, c in enumerate(row))
            + "</tr>"
        )
    out.append("</table>")
    return "".join(out)


def _width(widths: list[str] | None, i: int) -> str:
    return f" width='{widths[i]}'" if widths and i < len(widths) and widths[i] else ""


def _finding(f: FindingRef) -> str:
    waived = " " + _muted("(waived)") if f.waived else ""
    return f"{_severity(f.severity)} <b>{escape(f.rule)}</b> {escape(f.message)}{waived}"


# --- a result ----------------------------------------------------------------------------


def _facts(r: ScenarioResult) -> str:
    dated = [e.leave for e in r.exits if e.leave]
    exits = f"<b>{min(dated)}</b>" if dated else "<b>none without negotiating</b>"
    first = min((e for e in r.exits if e.leave), key=lambda e: e.leave, default=None)
    if first is not None:
        exits += f" · {escape(first.reason)}"
    go_live = [e.go_live for e in r.exits if e.go_live]
    rows = [["Earliest exit", exits]]
    statutory = [e.statutory.on for e in r.exits if e.statutory is not None and e.statutory.on]
    if statutory:
        rows.append(
            [
                "Statutory switch",
                f"<b>{min(statutory)}</b> · a right under the EU Data Act, whatever the "
                "contract's term",
            ]
        )
    if any(e.ready is not None for e in r.exits):
        rows.append(
            ["Go-live", f"<b>{max(go_live)}</b>" if go_live else "not before an exit is negotiated"]
        )
    rows.append(
        [
            "Put at risk",
            ", ".join(_link("function", a.function, a.function_name) for a in r.at_risk)
            or "nothing",
        ]
    )
    f = r.findings
    rows.append(
        [
            "Findings",
            f"{len(f.appeared)} appear · {len(f.disappeared)} disappear · {len(f.changed)} change",
        ]
    )
    rows.append(
        [
            "RACI cells",
            f"{len(r.raci)} change"
            + (f" <span style='color:{ACCENT}'>(marked in the matrix)</span>" if r.raci else ""),
        ]
    )
    rows.append(
        [
            "Contracts",
            ", ".join(f"{_link('contract', c.contract, c.name)} ({c.status})" for c in r.contracts)
            or "none to amend",
        ]
    )
    return (
        "<table width='100%' cellspacing='0' cellpadding='3' bgcolor='#f6f8fa'>"
        + "".join(
            f"<tr><td width='96' style='color:{MUTED}'>{k}</td><td>{v}</td></tr>" for k, v in rows
        )
        + "</table>"
    )


def _exits(r: ScenarioResult) -> str:
    out = [_h("Earliest exit", len(r.exits))]
    for e in r.exits:
        under = (
            f" under {_link('contract', e.contract, e.contract_name or e.contract)}"
            if e.contract
            else " (no contract)"
        )
        when = f"<b>{escape(leave_text(e))}</b>"
        out.append(
            _p(
                f"{_link('function', e.function, e.function_name)} leaves "
                f"{_link('party', e.party, e.party_name)}{under} on {when}"
            )
        )
        lines = [f"<b>Why:</b> {escape(e.reason)}"]
        lines += [f"or {route_text(r_)}: {escape(r_.reason)}" for r_ in e.routes[1:]]
        if e.statutory is not None:
            on = str(e.statutory.on) if e.statutory.on is not None else f"a day {BEYOND}"
            lines.append(
                f"<b>Statutory right to switch:</b> {escape(on)} — {escape(e.statutory.reason)}"
            )
        if e.ready is not None:
            lines.append(f"<b>Go-live:</b> {go_live_text(e)} — {escape(e.go_live_reason)}")
        elif e.go_live_reason:
            lines.append(f"<b>Successor:</b> {escape(e.go_live_reason)}")
        out.append(_list(lines))
    return "".join(out)


def _at_risk(r: ScenarioResult) -> str:
    out = _opening("Services put at risk", r.at_risk, "None: nothing else goes down with it.")
    for a in r.at_risk:
        where = (
            f" {_muted('·')} {_link('contract', a.contract, a.contract_name or a.contract)}"
            if a.contract
            else ""
        )
        out.append(_p(_link("function", a.function, a.function_name) + where))
        out.append(_list([escape(x) for x in a.reasons]))
    if r.stranded:
        stranded = ", ".join(dependency_text(d, r.names) for d in r.stranded)
        out.append(_p(f"<b>Stranded dependencies:</b> {escape(stranded)}"))
    return "".join(out)


def _boundaries(r: ScenarioResult) -> str:
    if not r.boundaries and not r.closed_boundaries:
        return ""
    out = [_h("New party boundaries", len(r.boundaries))]
    for b in r.boundaries:
        added = " " + _status("added", "interface added") if b.interface_added else ""
        out.append(
            _p(
                f"{_link('function', b.function, b.function_name)} needs "
                f"{_link('function', b.needs, b.needs_name)} "
                f"{_muted('(' + ', '.join(b.new_pairs) + ')')}{added}"
            )
        )
        out.append(_list([escape(b.action)]))
    if r.closed_boundaries:
        closed = ", ".join(dependency_text(d, r.names) for d in r.closed_boundaries)
        out.append(_p(_muted("No longer crossing parties: " + closed)))
    return "".join(out)


def _raci(changes: list[RaciChange], title: str = "RACI changes") -> str:
    out = _opening(title, changes, "No RACI cell changes.")
    if not changes:
        return "".join(out)
    rows = [
        [
            _link("activity", c.activity, c.activity_name, False),
            _link("party", c.party, c.party_name, False),
            _letters(c.before),
            _letters(c.after),
        ]
        for c in changes
    ]
    out.append(_table(rows, ["Activity", "Party", "Before", "After"], ["", "", "56", "56"]))
    return "".join(out)


def _findings(r: ScenarioResult) -> str:
    f = r.findings
    out = [_h(f"Findings as of {f.as_of}", len(f.appeared) + len(f.disappeared) + len(f.changed))]
    if f.empty:
        out.append(_p(_muted("No finding appears, disappears or changes.")))
    rows = [[_status("new"), _finding(x)] for x in f.appeared]
    rows += [[_status("gone"), _finding(x)] for x in f.disappeared]
    rows += [
        [_status("changed"), _finding(c.after) + f"<br/>{_muted('was: ' + c.before.message)}"]
        for c in f.changed
    ]
    if rows:
        out.append(_table(rows, widths=["64", ""]))
    return "".join(out)


def _contracts(r: ScenarioResult) -> str:
    out = _opening("Contracts to amend", r.contracts, "None.")
    for c in r.contracts:
        out.append(
            _p(
                f"{_link('contract', c.contract, c.name)} {_muted('with')} "
                f"{_link('party', c.party, c.party_name)} {_status(c.status)}"
            )
        )
        out.append(_list([f"change {escape(ch)}" for ch in c.changes]))
        verb = "Settle" if c.status == "ends" else "Negotiate"
        rows = [
            [
                f"<b>{escape(cl.rule)}</b>",
                escape(cl.ask)
                + (
                    f"<br/>{_muted('sets ' + ', '.join(dict.fromkeys(f.replace('_', ' ') for f in cl.fields)))}"
                    if cl.fields
                    else ""
                ),
            ]
            for cl in c.clauses
        ]
        if rows:
            out.append(_table(rows, ["Rule", verb], ["64", ""]))
    return "".join(out)


def _object_changes(diff: ModelDiff):
    """Each object that differs, with what it is in words (a link when it can be shown)."""
    for collection in COLLECTIONS:
        for c in getattr(diff, collection):
            yield (
                c,
                f"{OBJECT_TITLES[collection]}: "
                + _link(COLLECTION_KIND.get(collection), c.key, c.name, False),
            )


def _other_changes(diff: ModelDiff, names: dict[str, str]) -> str:
    rows = []
    for c, what in _object_changes(diff):
        fields = (
            "".join(f"<br/>{escape(field_text(fc, names))}" for fc in c.fields)
            if c.status == "changed"
            else ""
        )
        rows.append([_status(c.status), what + fields])
    if not rows:
        return ""
    return _h("Other changes to the model", len(rows)) + _table(rows, widths=["64", ""])


def result_html(r: ScenarioResult) -> str:
    parts = [
        _facts(r),
        _exits(r),
        _at_risk(r),
        _boundaries(r),
        _raci(r.raci),
        _findings(r),
        _contracts(r),
        _other_changes(r.changes, r.names),
    ]
    if r.notes:
        parts.append(_h("Notes") + _list([escape(n) for n in r.notes]))
    return "".join(parts)


# --- a comparison ------------------------------------------------------------------------


def comparison_html(c: Comparison) -> str:
    d = c.diff
    fd = d.findings
    a, b = escape(c.a.label), escape(c.b.label)
    n_findings = len(fd.appeared) + len(fd.disappeared) + len(fd.changed) if fd else 0
    objects = sum(len(getattr(d, name)) for name in COLLECTIONS)
    marked = len(d.raci) - c.unmarked
    facts = [
        ["A", f"<b>{a}</b><br/>{_muted(c.a.about)}"],
        ["B", f"<b>{b}</b><br/>{_muted(c.b.about)}"],
        ["Findings", f"{n_findings} differ (checked as of {c.as_of})"],
        [
            "RACI cells",
            f"{len(d.raci)} differ"
            + (
                f" <span style='color:{ACCENT}'>({marked} marked in the matrix)</span>"
                if marked
                else ""
            ),
        ],
        [
            "Objects",
            f"{objects} differ"
            + (f" <span style='color:{ACCENT}'>(marked on the map)</span>" if objects else ""),
        ],
    ]
    out = [
        "<table width='100%' cellspacing='0' cellpadding='3' bgcolor='#f6f8fa'>"
        + "".join(
            f"<tr><td width='76' style='color:{MUTED}'>{k}</td><td>{v}</td></tr>" for k, v in facts
        )
        + "</table>"
    ]
    if d.empty:
        out.append(_p("<b>The two sides do not differ.</b>"))
        return "".join(out)
    gone = f"<span style='color:{MUTED}'>—</span>"
    if fd is not None and not fd.empty:
        rows = [[_finding(x), gone] for x in fd.disappeared]
        rows += [[gone, _finding(x)] for x in fd.appeared]
        rows += [[_finding(ch.before), _finding(ch.after)] for ch in fd.changed]
        out.append(
            _h("Findings", len(rows)) + _table(rows, [f"A · {a}", f"B · {b}"], ["50%", "50%"])
        )
    if d.raci:
        rows = [
            [
                f"{_link('activity', r.activity, r.activity_name, False)} × "
                f"{_link('party', r.party, r.party_name, False)}",
                _letters(r.before),
                _letters(r.after),
            ]
            for r in d.raci
        ]
        out.append(_h("RACI cells", len(rows)) + _table(rows, ["Cell", "A", "B"], ["", "64", "64"]))
    rows = []
    for ch, what in _object_changes(d):
        if ch.status == "changed":
            rows += [
                [
                    f"{what} · {escape(fc.field.replace('_', ' '))}",
                    escape(value_text(fc.before, c.names, fc.field.split(".")[-1] in ID_FIELDS)),
                    escape(value_text(fc.after, c.names, fc.field.split(".")[-1] in ID_FIELDS)),
                ]
                for fc in ch.fields
            ]
        elif ch.status == "added":
            rows.append([what, gone, "present"])
        else:
            rows.append([what, "present", gone])
    if rows:
        out.append(
            _h("Objects", len(rows)) + _table(rows, ["What", "A", "B"], ["40%", "30%", "30%"])
        )
    return "".join(out)


# --- the pane --------------------------------------------------------------------------


class ScenarioPanel(QWidget):
    """Shows a `ScenarioResult` or a `Comparison`; asks for saving, applying and running
    again through its signals."""

    saveRequested = Signal()
    applyRequested = Signal()
    rerunRequested = Signal()
    clearRequested = Signal()
    objectActivated = Signal(str, str)  # kind, id of a name clicked in the text

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.result: ScenarioResult | None = None
        self.comparison: Comparison | None = None
        self.saved_name: str | None = None
        self.state = "empty"  # empty, fresh, stale, applied

        self.title = QLabel()
        self.title.setWordWrap(True)
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.15)
        font.setBold(True)
        self.title.setFont(font)
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.subtitle = QLabel()
        self.subtitle.setWordWrap(True)
        self.subtitle.setStyleSheet(f"color: {MUTED};")
        self.banner = QLabel()
        self.banner.setWordWrap(True)
        self.banner.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        self.banner.hide()

        self.save_button = QPushButton("Save as scenario…")
        self.save_button.setToolTip(
            "Keep this what-if in the model, under a name, to look at, compare or apply later"
        )
        self.apply_button = QPushButton("Apply")
        self.apply_button.setToolTip(
            "Make these changes to the model, as one step that Undo takes back"
        )
        self.rerun_button = QPushButton("Run again")
        self.rerun_button.setToolTip("Work it out again on the model as it is now")
        self.clear_button = QPushButton("Clear")
        self.clear_button.setToolTip("Close this result and its marks in the matrix and on the map")
        self.save_button.clicked.connect(self.saveRequested)
        self.apply_button.clicked.connect(self.applyRequested)
        self.rerun_button.clicked.connect(self.rerunRequested)
        self.clear_button.clicked.connect(self.clearRequested)
        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        for button in (self.save_button, self.apply_button, self.rerun_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.clear_button)

        self.body = QTextBrowser()
        self.body.setOpenLinks(False)
        self.body.setFrameShape(QTextBrowser.Shape.NoFrame)
        self.body.document().setDocumentMargin(2)
        self.body.anchorClicked.connect(self._link)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 6)
        layout.setSpacing(5)
        layout.addWidget(self.title)
        layout.addWidget(self.subtitle)
        layout.addWidget(self.banner)
        layout.addLayout(buttons)
        layout.addWidget(self.body, 1)
        self.clear()

    # --- what it shows -------------------------------------------------------------

    def clear(self) -> None:
        self.result = self.comparison = None
        self.saved_name = None
        self.title.setText("What if…")
        self.subtitle.setText("Nothing worked out yet.")
        self.body.setHtml(PLACEHOLDER)
        self.set_state("empty")

    def show_result(
        self, result: ScenarioResult, model_name: str, saved_name: str | None = None, note: str = ""
    ) -> None:
        self.result, self.comparison, self.saved_name = result, None, saved_name
        self.title.setText(result.question)
        bits = [f"As of {result.as_of}", model_name]
        if saved_name:
            bits.append(f"saved as “{saved_name}”")
        self.subtitle.setText("  ·  ".join(bits))
        self._note = note
        self.body.setHtml(result_html(result))
        self.set_state("fresh")

    def show_comparison(self, comparison: Comparison) -> None:
        self.result, self.comparison, self.saved_name = None, comparison, None
        self.title.setText(f"Compare: {comparison.a.label} ↔ {comparison.b.label}")
        self.subtitle.setText("Side by side: what differs from A to B")
        self._note = ""
        self.body.setHtml(comparison_html(comparison))
        self.set_state("fresh")

    def set_state(self, state: str) -> None:
        """fresh: worked out on the model as it is; stale: the model changed since;
        applied: the result's changes are in the model."""
        self.state = state
        shown = state != "empty"
        is_result = self.result is not None
        self.save_button.setVisible(is_result)
        self.apply_button.setVisible(is_result)
        self.save_button.setEnabled(is_result and state == "fresh")
        self.apply_button.setEnabled(is_result and state == "fresh")
        self.rerun_button.setVisible(shown and state == "stale")
        self.rerun_button.setText("Compare again" if self.comparison is not None else "Run again")
        self.clear_button.setVisible(shown)
        if state == "stale":
            what = "compared" if self.comparison is not None else "worked out"
            self._banner(
                f"The model changed since this was {what}: run it again before "
                "saving or applying it.",
                *_banner_colours(palette.SEVERITIES["warning"]),
            )
        elif state == "applied":
            self._banner(
                "Applied to the model as one step: Edit › Undo takes it back.",
                *_banner_colours(palette.OUTCOMES["better"]),
            )
        elif shown and getattr(self, "_note", ""):
            self._banner(self._note, *_banner_colours(palette.SEVERITIES["info"]))
        else:
            self.banner.hide()

    def _banner(self, text: str, fg: str, bg: str, border: str) -> None:
        self.banner.setText(text)
        self.banner.setStyleSheet(
            f"color: {fg}; background: {bg}; border: 1px solid {border};"
            " border-radius: 3px; padding: 4px 6px;"
        )
        self.banner.show()

    def plain_text(self) -> str:
        """Everything the pane shows, as plain text."""
        return "\n".join(
            [
                self.title.text(),
                self.subtitle.text(),
                self.banner.text() if self.banner.isVisible() else "",
                self.body.toPlainText(),
            ]
        )

    def _link(self, url: QUrl) -> None:
        kind, _, object_id = url.toString().partition(":")
        if kind and object_id:
            self.objectActivated.emit(kind, QUrl.fromPercentEncoding(object_id.encode()))
