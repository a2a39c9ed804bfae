"""``index.csv``: one row per evidence file, so trainees (and notebooks) know what is where."""

from __future__ import annotations

from .case import Case, csv_bytes

__all__ = ["INDEX_HEADER", "build"]

INDEX_HEADER = ["path", "category", "description", "records", "bytes"]


def build(case: Case) -> None:
    """Add ``index.csv`` describing every other file (sorted by path)."""
    rows = [
        [path, category, description, records, len(case.files[path])]
        for path, (category, description, records) in sorted(case.index.items())
    ]
    case.files["index.csv"] = csv_bytes(INDEX_HEADER, rows)
