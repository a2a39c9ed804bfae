"""darktrail roster import: a clear error naming the line, or every trainee in the gradebook."""

from __future__ import annotations

import re

import pytest

from darktrail.cli import main
from darktrail.course.roster import parse_roster, read_roster, roster

HEADER = "id,first_name,last_name,email\n"


def test_roster_reads_names_and_emails():
    """Each line becomes a trainee with id, names and e-mail, blanks trimmed."""
    trainees = parse_roster(HEADER + " det-01 , Ada ,Example, ada@example.org\n\n")
    assert [(t.id, t.first_name, t.email) for t in trainees] == [
        ("det-01", "Ada", "ada@example.org")
    ]


def test_roster_accepts_other_spellings_of_columns():
    """'First name', 'E-mail' and a byte-order mark are fine; only the id is required."""
    [trainee] = parse_roster("\ufeffID,First name,E-mail\ndet-02,Bo,bo@example.net\n")
    assert (trainee.id, trainee.first_name, trainee.email) == ("det-02", "Bo", "bo@example.net")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (HEADER + "det-01,A,B,a@example.org\ndet-01,C,D,c@example.org\n", "r.csv:3: duplicate"),
        (HEADER + "det-01,A,B,a@example.org\n,C,D,c@example.org\n", "r.csv:3: missing trainee id"),
        (HEADER + "det 03,A,B,a@example.org\n", "r.csv:2: trainee id 'det 03' must be"),
        (HEADER + "det+03,A,B,a@example.org\n", "r.csv:2: trainee id 'det+03' must be"),
        (HEADER + "det-04,A,B,not-an-address\n", "r.csv:2: 'not-an-address' is not an e-mail"),
        (HEADER + "det-05,A,B\n", "r.csv:2: 3 fields, expected 4"),
        ("first_name,email\nA,a@example.org\n", "r.csv:1: no 'id' column"),
        ("id,rank\nx,y\n", "r.csv:1: unknown column(s) 'rank'"),
        ("", "r.csv: empty roster"),
    ],
)
def test_bad_roster_names_the_line(text, message):
    """Duplicate, missing or malformed ids and bad lines are refused, naming file and line."""
    with pytest.raises(ValueError, match="^" + re.escape(message)):
        parse_roster(text, "r.csv")


def test_roster_that_is_not_utf8_is_refused(tmp_path):
    """A roster saved in a legacy encoding gets a clear error, not a traceback."""
    path = tmp_path / "roster.csv"
    path.write_bytes(HEADER.encode() + "det-01,J\xf6rg,B,j@example.org\n".encode("latin-1"))
    with pytest.raises(ValueError, match="not UTF-8"):
        read_roster(path)


def test_cli_imports_roster_into_gradebook(sample_project, monkeypatch, capsys):
    """`darktrail roster import` fills nbgrader's students table; a bad file changes nothing."""
    monkeypatch.chdir(sample_project.root)
    (sample_project.root / "good.csv").write_text(
        HEADER + "det-01,Ada,Example,ada@example.org\ndet-02,Bo,Example,bo@example.org\n"
    )
    (sample_project.root / "bad.csv").write_text(HEADER + "det-03,C,D,c@example.org\ndet-03,,,\n")
    assert main(["roster", "import", "good.csv"]) == 0
    assert main(["roster", "import", "bad.csv"]) == 2
    assert "bad.csv:3: duplicate trainee id 'det-03'" in capsys.readouterr().err
    assert [t.id for t in roster(sample_project.course())] == ["det-01", "det-02"]
