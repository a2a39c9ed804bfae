"""my_evidence copies the trainee's issued bundle, once, and never clobbers a user's folder."""

from __future__ import annotations

import pytest

from darktrail.course.locker import Locker
from darktrail.evidence import STAMP, EvidenceMissing, case_evidence, my_evidence
from darktrail.identity import trainee_id


@pytest.fixture
def locker(tmp_path, monkeypatch):
    locker = Locker(root=str(tmp_path / "locker"))
    for trainee in ("t-01", "t-02"):
        locker.issue(trainee)
    monkeypatch.setenv("DARKTRAIL_LOCKER", str(locker.path / "evidence"))
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    return locker


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


def test_my_evidence_is_the_issued_bundle(tmp_path, monkeypatch, locker):
    """Two trainees get their own bundles; the copy is the issued bundle, byte for byte."""
    monkeypatch.setenv("DARKTRAIL_TRAINEE", "t-01")
    first = my_evidence(folder=tmp_path / "a")
    manifest = (first / "seized" / "manifest.csv").read_bytes()
    assert manifest == locker.case("t-01").files["seized/manifest.csv"]
    assert (first / STAMP).is_file() and (first / "index.csv").is_file()
    monkeypatch.setenv("DARKTRAIL_TRAINEE", "t-02")
    assert (my_evidence(folder=tmp_path / "a") / "seized" / "manifest.csv").read_bytes() != manifest
    monkeypatch.setenv("DARKTRAIL_TRAINEE", "t-01")
    assert (my_evidence(folder=tmp_path / "b") / "seized" / "manifest.csv").read_bytes() == manifest
    assert (case_evidence(folder=tmp_path / "c") / "index.csv").is_file()
    with pytest.raises(FileExistsError, match="holds the evidence issued to 't-01'"):
        case_evidence(folder=tmp_path / "b")


def test_no_bundle_is_a_clear_error(tmp_path, monkeypatch, locker):
    """A trainee who was issued nothing is told so, with who they are and where we looked."""
    monkeypatch.setenv("DARKTRAIL_TRAINEE", "t-99")
    with pytest.raises(EvidenceMissing, match="no evidence has been issued to trainee 't-99'"):
        my_evidence(folder=tmp_path / "evidence")
    monkeypatch.delenv("DARKTRAIL_LOCKER")
    with pytest.raises(EvidenceMissing, match="no DARKTRAIL_LOCKER is set"):
        my_evidence(folder=tmp_path / "evidence")


def test_while_grading_the_graders_folder_is_used(tmp_path, monkeypatch, locker):
    """Under autograde, my_evidence never fetches a bundle: switching trainee changes nothing."""
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    monkeypatch.setenv("DARKTRAIL_TRAINEE", "t-02")
    with pytest.raises(EvidenceMissing, match="the grader did not provide evidence"):
        my_evidence(folder=tmp_path / "evidence")


def test_foreign_folder_is_never_overwritten(tmp_path, monkeypatch, locker):
    """A folder called evidence that darktrail did not write is left alone, with a clear error."""
    monkeypatch.setenv("DARKTRAIL_TRAINEE", "t-01")
    (tmp_path / "evidence").mkdir()
    (tmp_path / "evidence" / "mine.txt").write_text("my notes")
    with pytest.raises(FileExistsError, match="was not written by darktrail"):
        my_evidence(folder=tmp_path / "evidence")
    assert (tmp_path / "evidence" / "mine.txt").read_text() == "my notes"
