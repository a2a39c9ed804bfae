"""Every instructor walkthrough in notebooks/ runs end to end on the default evidence."""

from __future__ import annotations

import os
from pathlib import Path

import jupytext
import pytest
from nbclient import NotebookClient

import darktrail.course.engine  # noqa: F401 (puts this venv's python first for the kernel)

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("*.py"))


@pytest.mark.slow
@pytest.mark.parametrize("source", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_walkthrough_runs(source, tmp_path, monkeypatch):
    """The walkthrough executes without an error in a fresh kernel."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("MPLBACKEND", "Agg")
    notebook = jupytext.read(source)
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
    NotebookClient(notebook, timeout=300, resources={"metadata": {"path": str(tmp_path)}}).execute()
    assert os.listdir(tmp_path), "a walkthrough writes its evidence folder beside it"
