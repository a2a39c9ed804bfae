"""Instructor verbs refuse what they cannot do, with a message naming what is wrong."""

from __future__ import annotations

import pytest

from darktrail.cli import main
from darktrail.course.engine import CourseError
from darktrail.course.export import export_grades
from darktrail.course.feedback import HideHiddenTests, feedback
from darktrail.course.report import write_report


def test_export_refuses_unknown_format_and_assignment(sample_project):
    """An unknown format or assignment is named in the error."""
    course = sample_project.course()
    with pytest.raises(ValueError, match="unknown export format 'xls'"):
        export_grades(course, "xls")
    with pytest.raises(CourseError, match="no assignment '09-none' in the gradebook"):
        export_grades(course, "csv", ["09-none"])


def test_empty_course_exports_a_header(sample_project):
    """A course without trainees exports just the header row."""
    text = export_grades(sample_project.course(), "csv")
    assert text.splitlines() == [
        "trainee,first_name,last_name,email,assignment,score,max_score,submitted,needs_manual_grade"
    ]


def test_report_and_feedback_need_grades(sample_project, tmp_path):
    """Report and feedback say to run darktrail grade first when nothing is graded."""
    course = sample_project.course()
    with pytest.raises(CourseError, match="run darktrail grade first"):
        write_report(course, tmp_path / "report")
    with pytest.raises(CourseError, match="run darktrail grade first"):
        feedback(course, "01-sample")


def test_cli_grade_without_release(sample_project, monkeypatch, capsys):
    """`darktrail grade` on an assignment never released exits 2 with the next step."""
    monkeypatch.chdir(sample_project.root)
    assert main(["grade", "01-sample", "--workers", "1"]) == 2
    assert "run darktrail release" in capsys.readouterr().err


def test_hidden_region_is_cut_and_traceback_shortened():
    """The preprocessor drops the hidden region and keeps only the error and its hint."""
    import nbformat

    cell = nbformat.v4.new_code_cell(
        'assert ok, "public"\n### BEGIN HIDDEN TESTS\nassert x == 41, "off by one"\n'
        "### END HIDDEN TESTS"
    )
    cell.metadata["nbgrader"] = {"grade": True, "grade_id": "t", "points": 1}
    cell.outputs = [
        nbformat.v4.new_output(
            "error",
            ename="AssertionError",
            evalue="off by one",
            traceback=["\x1b[0;31m----> 3\x1b[0m assert x == 41, 'off by one'"],
        )
    ]
    out, _ = HideHiddenTests().preprocess_cell(cell, {}, 0)
    assert "x == 41" not in out.source and "public" in out.source
    assert out.outputs[0].traceback == ["AssertionError: off by one"]
