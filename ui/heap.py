"""The cyclic garbage collector and the open document.

A big model is hundreds of thousands of long-lived objects. `freeze` moves everything
alive into the collector's permanent generation, so that its full passes stop walking
them again and again (each such pass otherwise stalls the window for a tenth of a second
or more). The collector never frees a frozen object, though, and never looks at it again:
a document that goes must be thawed (`thaw`) so that what it leaves behind can be
collected, and the next one frozen only once the views over the old one are deleted.
The frozen set is then what is alive, however many documents were opened before.

While a document is open, `freeze` also spaces the collector's passes out
(`THRESHOLDS`): every edit makes tens of thousands of short-lived objects (a re-check's
findings, the views' updates), and with Python's default of a young pass every 700
allocations and a full pass every hundred young ones, the passes alone cost an edit on a
big model 10 ms on average and a full pass stalled one edit in four by 35-50 ms
(`bench/edit_latency.py`). Cyclic garbage just waits a little longer to be freed.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QTimer

# young passes every 50,000 allocations, a middle one every 20 young, a full one every
# 100 middle ones (Python's defaults: 700, 10, 10)
THRESHOLDS = (50_000, 20, 100)

_frozen_before = False  # has this process frozen a document yet?
_pending = False  # a collection and freeze waits for the event loop


def freeze() -> None:
    """Freeze the heap now that a document is shown.

    The first time, at once: start-up has thrown nothing away, and the collector comes
    back on as soon as the window is up. Later, once control is back in the event loop,
    after the deletions (`deleteLater`) of the old document's views posted before this
    call, and after a collection that frees their cycles."""
    global _frozen_before, _pending
    gc.set_threshold(*THRESHOLDS)
    if not _frozen_before:
        _frozen_before = True
        gc.freeze()
    elif not _pending:
        _pending = True
        QTimer.singleShot(0, _collect_and_freeze)


def thaw() -> None:
    """A document goes: give its objects back to the collector."""
    gc.unfreeze()


def _collect_and_freeze() -> None:
    global _pending
    _pending = False
    gc.collect()
    gc.freeze()
