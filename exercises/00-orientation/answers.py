"""Expected answers of 00-orientation, computed from each trainee's frozen case.

Instructor-only: never released. For every graded cell: the wrong methods it must reject, and
what in EVERY trainee's evidence tells each from the right method (``tests/test_traps_00.py``
asserts each of these for 40 sample trainees; the grader's own probe files are chosen per run):

- load-index: a partial read (``.head()``, ``nrows``) -- the index has more than 50 rows; the shared
  default world's index (``case_evidence``) -- its paths and sizes are not the trainee's (the
  screenshots' and the recording's names and sizes differ per world). Rows are compared as
  {path: (category, bytes)}, so the table's row labels and column order do not matter.
- count-seized: counting every row -- other categories exist; counting the manifest's rows --
  the manifest is itself a seized-category row, so the count is one more; summing ``records`` --
  the chat and the manifest hold several records; subtracting one "for the header" -- always
  off. 4-24 screenshots make the right count differ between trainees.
- largest-file: the file with the most records -- the largest file is the screen recording
  (1.1-2.6 MB, one record); the smallest, the second largest -- the recording is strictly larger
  than everything else (>1.1 MB against <0.5 MB); sizes compared as text -- the recording's size
  starts with "1" or "2", and another file's size text sorts after it. Its name differs per trainee.
- sha256-of: hashing the name; only the first megabyte -- two probe files share their first MB
  and differ after it; text read with newline translation -- a CRLF probe; ``.strip()`` before
  hashing -- a probe with white space at both ends; upper-case hex -- the task asks for lower
  case (the manifest's form), so the form is strict there. Evidence files are probed too.
- find-altered: comparing sizes -- the alteration keeps the size, so nothing is found; the
  inverted comparison -- lists every other file; file dates -- copying the evidence gives every
  file the same kind of date, so all or none are listed; a hash that strips white space -- the
  chat and the notes end with a newline, so they are listed too; a neighbour's answer -- which
  file was altered differs per trainee (mostly a screenshot or the photo, named by its time).
  The answer must be exactly the altered file.
- altered-item: the item of a neighbouring row -- every manifest has 10+ rows with distinct
  items; an "EX-" number built from the example -- items start with the suspect's handle; a
  neighbour's item -- the handle and the altered file differ per trainee.
- category-chart: total bytes or shares per category instead of counts -- no category's bytes
  equal its count, and shares are fractions; right heights under the wrong labels (sorted
  names, 0..n-1) -- labels are compared with their values, and the counts differ between
  categories. Vertical or horizontal bars both count, in any order.
"""

import hashlib
import io
import re

import pandas as pd

from darktrail.course.judge import (
    Answers,
    FormError,
    Probe,
    _,
    any_text,
    set_of,
    whole_number,
)

answers = Answers()


def _index(case) -> pd.DataFrame:
    return pd.read_csv(io.BytesIO(case.files["index.csv"]))


def _manifest(case) -> pd.DataFrame:
    return pd.read_csv(io.BytesIO(case.files["seized/manifest.csv"]))


def index_rows(value):
    """An evidence index as {path: (category, bytes)}, whatever the table's index."""
    if type(value).__name__ != "DataFrame":
        raise FormError(_("index should be a DataFrame: use pd.read_csv"))
    if not {"path", "category", "bytes"} <= set(value.columns):
        raise FormError(_("index lacks the columns of index.csv"))
    return {
        str(p): (str(c), int(b))
        for p, c, b in zip(value["path"], value["category"], value["bytes"], strict=True)
    }


@answers.value(
    "load-index-test",
    form=index_rows,
    hint=_("index should hold every row of your own index.csv, as pd.read_csv reads it"),
)
def load_index(case):
    return _index(case)


@answers.value(
    "count-seized-test",
    form=whole_number,
    hint=_("count the rows of index whose category is seized"),
    mistakes={
        _("count only the rows whose category is seized, not all rows"): lambda c: len(_index(c)),
        _("count the rows of index (the manifest is a seized file too), not the manifest's rows"): (
            lambda c: len(_manifest(c))
        ),
        _("count the rows, do not add up their records"): lambda c: int(
            _index(c).loc[lambda i: i["category"] == "seized", "records"].sum()
        ),
    },
)
def count_seized(case):
    return int((_index(case)["category"] == "seized").sum())


@answers.value(
    "largest-file-test",
    form=any_text,
    hint=_("look for the row with the largest number of bytes"),
    mistakes={
        _("look for the largest number of bytes, not the most records"): lambda c: (
            _index(c).sort_values("records").iloc[-1]["path"]
        ),
        _("that is the smallest file: look for the most bytes"): lambda c: (
            _index(c).sort_values("bytes").iloc[0]["path"]
        ),
    },
)
def largest_file(case):
    sizes = {p: len(b) for p, b in case.files.items() if p != "index.csv"}
    return max(sizes, key=sizes.get)


def lower_hex(value):
    """A SHA-256 as the task asks for it: 64 lower-case hexadecimal characters."""
    text = any_text(value)
    if not re.fullmatch(r"[0-9a-f]{64}", text):
        if re.fullmatch(r"[0-9a-fA-F]{64}", text):
            raise FormError(_("return lower-case hexadecimal, as .hexdigest() gives it"))
        raise FormError(_("return the hexdigest: 64 hexadecimal characters"))
    return text


@answers.calls("sha256-of-test", form=lower_hex, hint=_("hash the whole file's contents"))
def sha256_probes(case, folder, rng):
    """Probe files chosen for this run: big ones that differ past 1 MB, CRLF text, white space
    at both ends, binary, empty, and some of the trainee's evidence."""
    first_mb = rng.randbytes(1 << 20)
    files = {
        "a.bin": first_mb + rng.randbytes(rng.randint(10, 5000)),
        "b.bin": first_mb + rng.randbytes(rng.randint(10, 5000)),
        "notes.txt": b"line one\r\nline two\r\n" + rng.randbytes(8).hex().encode(),
        "statement.txt": b"\n  Statement " + rng.randbytes(6).hex().encode() + b"\r\n\t \n",
        "empty.txt": b"",
        "raw.dat": bytes(rng.randrange(256) for _ in range(300)),
    }
    hints = {
        "a.bin": _("hash the whole file, not only its first megabyte"),
        "b.bin": _("hash the whole file, not only its first megabyte"),
        "notes.txt": _("read the file as bytes ('rb'): text mode changes line ends"),
        "statement.txt": _("hash the bytes exactly as they are: do not strip spaces or line ends"),
        "raw.dat": _("read the file as bytes ('rb'), not as text"),
    }
    probes = []
    for name, data in files.items():
        path = folder / name
        path.write_bytes(data)
        hint = hints.get(name, _("hash the whole file's contents"))
        probes.append(Probe((path,), hashlib.sha256(data).hexdigest(), hint))
    for rel in sorted(case.files)[:: max(1, len(case.files) // 4)]:
        path = folder.parent.parent / "evidence" / rel
        probes.append(Probe((path,), hashlib.sha256(case.files[rel]).hexdigest()))
    return probes


def _altered(case) -> list[str]:
    """The manifest's paths whose bytes no longer hash as the manifest says."""
    return [
        path
        for path, then in zip(_manifest(case)["path"], _manifest(case)["sha256"], strict=True)
        if hashlib.sha256(case.files[f"seized/{path}"]).hexdigest() != then
    ]


@answers.value(
    "find-altered-test",
    form=set_of(any_text),
    hint=_("compare each file's SHA-256 with the manifest's and list exactly those that differ"),
    mistakes={
        _("nothing listed: compare the hashes, not sizes or dates (the edit kept the size)"): (
            lambda c: []
        ),
        _("list the files whose hash does NOT match the manifest"): lambda c: sorted(
            set(_manifest(c)["path"]) - set(_altered(c))
        ),
    },
)
def find_altered(case):
    return _altered(case)


@answers.value(
    "altered-item-test",
    form=any_text,
    hint=_("take the manifest's item on the row of the altered file"),
)
def altered_item(case):
    manifest = _manifest(case)
    return manifest.loc[manifest["path"] == case.truth.seized.altered, "item"].iloc[0]


def bars_by_label(chart):
    """A bar chart as {label: value}: vertical bars (labels under them) or horizontal ones
    (labels beside them), in any order."""
    if not isinstance(chart, dict) or "bars" not in chart:
        raise FormError(_("ax should be the axes of a bar chart"))
    bars = chart["bars"]
    if not bars:
        raise FormError(_("ax should be the axes of a bar chart"))
    vertical = all(b["bottom"] == 0 for b in bars) and all(b["label"] for b in bars)
    horizontal = all(b["left"] == 0 for b in bars) and all(b["ylabel"] for b in bars)
    if horizontal and not vertical:
        pairs = [(b["ylabel"], b["width"]) for b in bars]
    else:
        pairs = [(b["label"], b["height"]) for b in bars]
    result = {}
    for label, value in pairs:
        if label in result:
            raise FormError(_("draw one bar per category, each labelled with its category"))
        result[label] = round(float(value), 6)
    return result


@answers.value(
    "category-chart-test",
    form=bars_by_label,
    hint=_("draw one bar per category, labelled with the category, as high as its number of files"),
)
def category_chart(case):
    counts = _index(case)["category"].value_counts()
    return {
        "bars": [
            {"label": c, "ylabel": "", "height": float(n), "width": 0.5, "bottom": 0.0,
             "left": i - 0.25}
            for i, (c, n) in enumerate(counts.items())
        ]
    }  # fmt: skip
