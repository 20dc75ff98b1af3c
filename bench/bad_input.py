"""What refusing a big file of bad input costs, against accepting a good file of that size.

    python bench/bad_input.py [--mb 50] [--repeat 1] [--keep FOLDER]

Everything is generated into a temporary folder (or FOLDER, reused when the files are
already there), then each case runs in a child process of its own, which reports the
wall time of one ``ecomraci.store.load(path)`` and its peak RSS (``VmHWM``, else
``ru_maxrss``) minus the RSS before the load (the peak is started afresh there through
``/proc/self/clear_refs`` where Linux allows), so the figures are what the load itself costs:

* the floor: a valid model of about --mb MB from bench/generate.py, loaded (accepted);
* pointless JSON of about --mb MB, each refused with a `ModelFileError`:
  ``numbers`` (a top-level array of numbers), ``unmarked`` (an object with no format
  marker), ``marked`` (the format marker and version, then an unknown field holding the
  numbers), junk objects (``{"a": {"b": [1, "c"]}}``) in an unknown field, in
  ``activities`` from its start, after 300 KB of spaces (past the 256 KB the loader
  looks at first), after 1 MB of valid activities, and as rows of ``raci`` after 1 MB of
  valid rows; ``bad letters`` (RACI rows whose letters are 80 characters of junk);
  ``one huge item`` (a single activity whose ``kind`` is a list of numbers
  of about --mb MB); ``deep`` (an array nested --mb million levels deep), ``text`` (one
  huge string in an unknown field after the marker);
* the workbook case (``workbook_case``): an .xlsx of 8 million shared strings against
  a valid workbook (the large model's export), through the Excel import; the files'
  sizes are printed, since they differ.

Target: refusing costs <= 1.5x accepting, in time and in memory; each line says OK or
OVER. A benchmark reports; it does not fail: the exit status is 0 whatever the figures.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

ROOT = Path(__file__).resolve().parent.parent
TARGET = 1.5  # refusing / accepting, time and memory
CHILD_TIMEOUT = 600  # a hang guard

# Run in a child process: load one file, print what it cost as one JSON line.
_CHILD = r"""
import json, resource, sys, time
sys.path.insert(0, sys.argv[1])
from ecomraci import store
def status(field):
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None
def peak():
    # VmHWM starts afresh at exec; ru_maxrss may carry the parent's peak over on Linux.
    hwm = status("VmHWM")
    if hwm is not None:
        return hwm
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss / (1024 * 1024) if sys.platform == "darwin" else rss / 1024
if len(sys.argv) > 3:  # a workbook imported into the model of argv[3]
    from ecomraci.xlsx.importer import plan_import
    model = store.load(sys.argv[3])
    run = lambda: plan_import(model, sys.argv[2])
else:
    run = lambda: store.load(sys.argv[2])
try:  # start the peak afresh (Linux), so the setup's own peak is not counted
    with open("/proc/self/clear_refs", "w") as f:
        f.write("5")
except OSError:
    pass
base = status("VmRSS") or peak()
t0 = time.perf_counter()
try:
    run()
    outcome = "accepted"
except store.ModelFileError as exc:
    outcome = "refused: " + str(exc.place) + ": " + exc.problem[:100]
except BaseException as exc:
    outcome = "CRASHED: " + type(exc).__name__ + ": " + str(exc)[:100]
seconds = time.perf_counter() - t0
print(json.dumps({"seconds": seconds, "peak_mb": peak(), "added_mb": peak() - base,
                  "outcome": outcome}))
"""

# Model sizes from bench/generate.py, in MB of file per unit of `scale`.
_MODEL_ARGS = dict(functions=1000, activities=24000, parties=400, dependencies=20000, contracts=300)
_MODEL_MB = 51.0  # about what _MODEL_ARGS gives


def measure(path: Path, repeat: int, model: Path | None = None) -> dict[str, Any]:
    """The best time and the largest memory of `repeat` child runs loading `path` (or
    importing the workbook `path` into the model file `model`)."""
    runs = []
    extra = [str(model)] if model is not None else []
    for _ in range(repeat):
        done = subprocess.run(
            [sys.executable, "-c", _CHILD, str(ROOT), str(path), *extra],
            capture_output=True,
            text=True,
            timeout=CHILD_TIMEOUT,
        )
        if done.returncode != 0 or not done.stdout.strip():
            tail = (done.stderr or "").strip().splitlines()[-1:] or ["no output"]
            return {
                "seconds": float("nan"),
                "peak_mb": float("nan"),
                "added_mb": float("nan"),
                "outcome": f"CHILD DIED (exit {done.returncode}): {tail[0][:120]}",
            }
        runs.append(json.loads(done.stdout.strip().splitlines()[-1]))
    best = min(runs, key=lambda r: r["seconds"])
    best["added_mb"] = max(r["added_mb"] for r in runs)
    best["peak_mb"] = max(r["peak_mb"] for r in runs)
    return best


# A valid start: about 1 MB of good activities (items of `activities`, each valid on its
# own) and of good RACI rows (entries of `raci`), each followed by a comma.
_GOOD_ACTIVITIES = b"".join(
    b'{"id": "act-%05d", "name": "Activity %d", "function": "fn-%d", "kind": "run"}, '
    % (k, k, k % 50)
    for k in range(14_000)
)
_GOOD_ROWS = b"".join(
    b'"act-%05d": {"int-001": "AR", "ext-002": "C", "int-003": "I"}, ' % k for k in range(18_000)
)

_BAD_LETTER_ROWS = b"".join(
    b'"row-%05d": {"p1": "%s", "p2": "%s"}, ' % (k, b"X" * 80, b"Y" * 80) for k in range(5_000)
)


def _write_filled(path: Path, head: bytes, chunk: bytes, tail: bytes, size: int) -> None:
    with path.open("wb") as f:
        f.write(head)
        written = len(head)
        while written < size:
            f.write(chunk)
            written += len(chunk)
        f.write(tail)


def make_files(folder: Path, mb: int) -> dict[str, Path]:
    size = mb * 1024 * 1024
    files: dict[str, Path] = {}
    valid = folder / "valid.ecomraci.json"
    if not valid.exists():
        from bench.generate import generate
        from ecomraci import store

        scale = mb / _MODEL_MB
        args = {k: max(1, round(v * scale)) for k, v in _MODEL_ARGS.items()}
        args["dependencies"] = min(
            args["dependencies"], args["functions"] * (args["functions"] - 1)
        )
        t0 = time.perf_counter()
        store.save(generate(**args), valid, keep_backup=False)
        print(
            f"generated a valid model ({args['activities']} activities, {args['parties']} "
            f"parties) in {time.perf_counter() - t0:.1f} s"
        )
    files["valid model (accepted)"] = valid
    numbers = ("1234567, " * 100_000).encode()
    marker = b'{"format": "ecomraci-model", "version": 1, '
    for name, head, chunk, tail in (
        ("numbers", b"[", numbers, b"0]"),
        ("unmarked", b'{"junk": [', numbers, b"0]}"),
        ("marked", marker + b'"junk": [', numbers, b"0]}"),
        ("marked objects", marker + b'"junk": [', b'{"a": {"b": [1, "c"]}}, ' * 40_000, b"0]}"),
        (
            "objects in a known field",
            marker + b'"activities": [',
            b'{"a": {"b": [1, "c"]}}, ' * 40_000,
            b"0]}",
        ),
        (
            "objects after 256 KB",
            marker + b" " * 300_000 + b'"activities": [',
            b'{"a": {"b": [1, "c"]}}, ' * 40_000,
            b"0]}",
        ),
        (
            # a valid start of a list (1 MB of good activities), then junk in the same list
            "objects after good items",
            marker + b'"activities": [' + _GOOD_ACTIVITIES,
            b'{"a": {"b": [1, "c"]}}, ' * 40_000,
            b"0]}",
        ),
        (
            # valid fields and RACI rows (1 MB), then junk rows in the same object
            "rows after valid rows",
            marker + b'"name": "shop", "raci": {' + _GOOD_ROWS,
            b'"x": {"a": {"b": [1, "c"]}}, ' * 40_000,
            b'"y": {}}}',
        ),
        (
            # one item of 50 MB: a list of numbers where a kind of activity goes
            "one huge item",
            marker + b'"activities": [{"id": "a", "function": "f", "name": "n", "kind": [',
            b"1, " * 300_000,
            b"1]}]}",
        ),
        (
            # RACI rows whose letters are long bad text: too sparse to look like junk
            "bad letters",
            marker + b'"raci": {',
            _BAD_LETTER_ROWS,
            b'"z": {}}}',
        ),
        ("deep", b"", b"[" * 1_000_000, b""),
        ("text", marker + b'"junk": "', b"x" * 1_000_000, b'"}'),
    ):
        path = folder / f"{name.replace(' ', '-')}.ecomraci.json"
        if not path.exists():
            _write_filled(path, head, chunk, tail, size)
        files[name] = path
    return files


def _line(name: str, size_mb: float, fig: dict[str, Any], floor: dict[str, Any] | None) -> str:
    text = (
        f"{name:24} {size_mb:6.1f} MB  {fig['seconds']:7.2f} s  "
        f"+{fig['added_mb']:7.1f} MB RSS (peak {fig['peak_mb']:.0f} MB)"
    )
    if floor is not None:
        t = fig["seconds"] / floor["seconds"]
        m = fig["added_mb"] / max(floor["added_mb"], 1.0)
        ok = t <= TARGET and m <= TARGET and fig["outcome"].startswith("refused")
        text += f"  time {t:.2f}x  memory {m:.2f}x  {'OK' if ok else 'OVER'}"
    return text + f"\n{'':26}{fig['outcome']}"


def json_case(folder: Path, mb: int, repeat: int) -> None:
    files = make_files(folder, mb)
    print(f"target: refusing <= {TARGET}x accepting, in time and memory added by the load")
    floor: dict[str, Any] | None = None
    for name, path in files.items():
        fig = measure(path, repeat)
        print(_line(name, path.stat().st_size / 1048576, fig, floor))
        if floor is None:
            floor = fig


_XLSX_PARTS = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        '<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
        "</Types>"
    ),
    "_rels/.rels": (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
        '2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
    ),
    "xl/workbook.xml": (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        '<sheets><sheet name="RACI" sheetId="1" r:id="rId1"/></sheets></workbook>'
    ),
    "xl/_rels/workbook.xml.rels": (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
        '2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
        '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/'
        '2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>'
    ),
    "xl/worksheets/sheet1.xml": (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData></worksheet>'
    ),
}


def _shared_strings_workbook(path: Path, count: int) -> None:
    """A workbook whose table of shared strings holds `count` distinct strings (written
    with zipfile: a table this big is what a crafted file holds, not what Excel writes)."""
    import zipfile

    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in _XLSX_PARTS.items():
            archive.writestr(name, text)
        with archive.open("xl/sharedStrings.xml", "w", force_zip64=True) as part:
            part.write(
                b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.'
                b'openxmlformats.org/spreadsheetml/2006/main" count="%d" uniqueCount="%d">'
                % (count, count)
            )
            step = 100_000
            for first in range(0, count, step):
                part.write(
                    b"".join(
                        b"<si><t>s%08d</t></si>" % k for k in range(first, min(count, first + step))
                    )
                )
            part.write(b"</sst>")


def workbook_case(folder: Path, repeat: int) -> None:
    """An .xlsx of 8 million shared strings against a valid workbook (the export of the
    large model of bench/generate.py), each imported into that model (``plan_import``)."""
    from bench.generate import generate
    from ecomraci import store
    from ecomraci.xlsx.export import export_workbook

    model_path = folder / "workbook-model.ecomraci.json"
    valid = folder / "valid.xlsx"
    bad = folder / "shared-strings.xlsx"
    if not valid.exists() or not model_path.exists():
        model = generate()
        store.save(model, model_path, keep_backup=False)
        export_workbook(model, valid)
    if not bad.exists():
        _shared_strings_workbook(bad, 8_000_000)
    print("workbook: import into the large model (plan_import)")
    floor = measure(valid, repeat, model_path)
    print(_line("valid workbook (taken)", valid.stat().st_size / 1048576, floor, None))
    fig = measure(bad, repeat, model_path)
    print(_line("8M shared strings", bad.stat().st_size / 1048576, fig, floor))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mb", type=int, default=50, help="size of the files in MB (50)")
    parser.add_argument("--repeat", type=int, default=1, help="runs per case, best taken (1)")
    parser.add_argument("--keep", help="folder to keep (and reuse) the generated files in")
    args = parser.parse_args(argv)
    repeat = max(1, args.repeat)
    try:
        if args.keep:
            folder = Path(args.keep)
            folder.mkdir(parents=True, exist_ok=True)
            json_case(folder, args.mb, repeat)
            workbook_case(folder, repeat)
        else:
            with tempfile.TemporaryDirectory(prefix="ecomraci-bench-") as name:
                json_case(Path(name), args.mb, repeat)
                workbook_case(Path(name), repeat)
    except Exception as exc:  # a benchmark reports; it does not fail
        print(f"benchmark stopped: {type(exc).__name__}: {exc}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
