"""my_evidence writes the trainee's own evidence, once, and never clobbers a user's folder."""

from __future__ import annotations

import pytest

from darktrail.evidence import STAMP, case_evidence, my_evidence
from darktrail.identity import trainee_id


def test_trainee_id_order(monkeypatch):
    """DARKTRAIL_TRAINEE wins over JUPYTERHUB_USER, which wins over the OS user."""
    monkeypatch.setenv("JUPYTERHUB_USER", "hub-user")
    monkeypatch.setenv("DARKTRAIL_TRAINEE", "t-01")
    assert trainee_id() == "t-01"
    monkeypatch.delenv("DARKTRAIL_TRAINEE")
    assert trainee_id() == "hub-user"
    monkeypatch.setenv("DARKTRAIL_TRAINEE", "../etc")
    with pytest.raises(ValueError, match="from DARKTRAIL_TRAINEE"):
        trainee_id()


def test_my_evidence_is_the_trainees_world(tmp_path, monkeypatch):
    """Two trainees get different evidence; the same trainee keeps the same files."""
    monkeypatch.setenv("DARKTRAIL_TRAINEE", "t-01")
    first = my_evidence(folder=tmp_path / "a")
    manifest = (first / "seized" / "manifest.csv").read_bytes()
    assert (first / STAMP).is_file() and (first / "index.csv").is_file()
    monkeypatch.setenv("DARKTRAIL_TRAINEE", "t-02")
    assert (my_evidence(folder=tmp_path / "a") / "seized" / "manifest.csv").read_bytes() != manifest
    monkeypatch.setenv("DARKTRAIL_TRAINEE", "t-01")
    again = my_evidence(folder=tmp_path / "b")
    assert (again / "seized" / "manifest.csv").read_bytes() == manifest
    assert (case_evidence(folder=tmp_path / "c") / "index.csv").is_file()


def test_foreign_folder_is_never_overwritten(tmp_path):
    """A folder called evidence that darktrail did not write is left alone, with a clear error."""
    (tmp_path / "evidence").mkdir()
    (tmp_path / "evidence" / "mine.txt").write_text("my notes")
    with pytest.raises(FileExistsError, match="was not written by darktrail"):
        my_evidence(folder=tmp_path / "evidence")
    assert (tmp_path / "evidence" / "mine.txt").read_text() == "my notes"
