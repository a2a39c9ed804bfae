"""Expected answers of 00-orientation, computed from each trainee's frozen case.

Instructor-only: never released. What each check must reject (its mutants), and what in every
trainee's evidence tells it from the right method:

- load-index: a partial read (``nrows``, the head) -- the index has 60+ rows;
- count-seized: counting every row, or counting the manifest's items -- the manifest is not
  indexed as seized files, and 4-24 screenshots make the count differ between trainees;
- largest-file: the file with the most records -- the screen recording (1.1-2.6 MB, one
  record) is the largest; its name differs per trainee;
- sha256-of: hashing the name, the first megabyte, text read with newline translation -- the
  grader's probe files (chosen per run) differ only past 1 MB, or in CRLF line ends;
- find-altered: comparing sizes -- the alteration keeps the size;
- category-chart: bars with the right heights under the wrong labels -- labels are compared.
"""

import hashlib

import pandas as pd

from darktrail.course.judge import (
    Answers,
    FormError,
    Probe,
    _,
    any_text,
    hex_text,
    set_of,
    whole_number,
)

answers = Answers()


def _index(case) -> pd.DataFrame:
    import io

    return pd.read_csv(io.BytesIO(case.files["index.csv"]))


def index_rows(value):
    """An evidence index as {path: (category, bytes)}, whatever the table's index."""
    if type(value).__name__ != "DataFrame":
        raise FormError(_("index should be a DataFrame: use pd.read_csv"))
    if "path" not in value.columns:
        raise FormError(_("index lacks the columns of index.csv"))
    if not {"category", "bytes"} <= set(value.columns):
        raise FormError(_("index lacks the columns of index.csv"))
    return {
        str(p): (str(c), int(b))
        for p, c, b in zip(value["path"], value["category"], value["bytes"], strict=True)
    }


@answers.value(
    "load-index-test", form=index_rows, hint=_("index should hold every row of index.csv")
)
def load_index(case):
    return _index(case)


@answers.value(
    "count-seized-test",
    form=whole_number,
    hint=_("count only the rows whose category is seized"),
    mistakes={
        _("count only the rows whose category is seized, not all rows"): lambda c: len(_index(c))
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
        )
    },
)
def largest_file(case):
    sizes = {p: len(b) for p, b in case.files.items() if p != "index.csv"}
    return max(sizes, key=sizes.get)


@answers.calls("sha256-of-test", form=hex_text, hint=_("hash the whole file's contents"))
def sha256_probes(case, folder, rng):
    """Probe files chosen for this run: big ones that differ past 1 MB, CRLF text, binary."""
    first_mb = rng.randbytes(1 << 20)
    files = {
        "a.bin": first_mb + rng.randbytes(rng.randint(10, 5000)),
        "b.bin": first_mb + rng.randbytes(rng.randint(10, 5000)),
        "notes.txt": b"line one\r\nline two\r\n" + rng.randbytes(8).hex().encode(),
        "empty.txt": b"",
        "raw.dat": bytes(rng.randrange(256) for _ in range(300)),
    }
    probes = []
    for name, data in files.items():
        path = folder / name
        path.write_bytes(data)
        hint = {
            "a.bin": _("hash the whole file, not only its first megabyte"),
            "b.bin": _("hash the whole file, not only its first megabyte"),
            "notes.txt": _("read the file as bytes ('rb'): text mode changes line ends"),
            "raw.dat": _("read the file as bytes ('rb'), not as text"),
        }.get(name, _("hash the whole file's contents"))
        probes.append(Probe((path,), hashlib.sha256(data).hexdigest(), hint))
    for rel in sorted(case.files)[:: max(1, len(case.files) // 4)]:
        path = folder.parent.parent / "evidence" / rel
        probes.append(Probe((path,), hashlib.sha256(case.files[rel]).hexdigest()))
    return probes


@answers.value(
    "find-altered-test",
    form=set_of(any_text),
    hint=_("compare each file's SHA-256 with the manifest"),
)
def find_altered(case):
    return [case.truth["seized"]["altered"]]


@answers.value("altered-item-test", form=any_text, hint=_("take the item of the altered file"))
def altered_item(case):
    import io

    manifest = pd.read_csv(io.BytesIO(case.files["seized/manifest.csv"]))
    altered = case.truth["seized"]["altered"]
    return manifest.loc[manifest["path"] == altered, "item"].iloc[0]


def bars_by_label(chart):
    """A bar chart as {label: value}; vertical or horizontal bars."""
    if not isinstance(chart, dict) or "bars" not in chart:
        raise FormError(_("ax should be the axes of a bar chart"))
    bars = chart["bars"]
    horizontal = (
        bars and all(b["left"] == 0 for b in bars) and len({b["height"] for b in bars}) == 1
    )
    if horizontal and any(b["width"] != bars[0]["width"] for b in bars):
        return {b["ylabel"]: round(b["width"]) for b in bars}
    return {b["label"]: round(b["height"]) for b in bars}


@answers.value(
    "category-chart-test",
    form=bars_by_label,
    hint=_("draw one bar per category, labelled with the category, as high as its number of files"),
)
def category_chart(case):
    counts = _index(case)["category"].value_counts()
    return {
        "bars": [
            {"label": c, "height": float(n), "left": 0.0, "width": 0.5, "ylabel": ""}
            for c, n in counts.items()
        ]
    }
