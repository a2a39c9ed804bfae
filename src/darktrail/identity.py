"""Who the trainee is: the one place that decides it.

Every trainee works on their own variant of the case, so the notebook (while the trainee works)
and the grader (while it autogrades that trainee's submission) must agree on the trainee id.
"""

from __future__ import annotations

import getpass
import os
import re
from pathlib import Path

__all__ = ["TRAINEE_ENV", "grade_as_trainee", "graded_as_trainee", "trainee_id"]

TRAINEE_ENV = "DARKTRAIL_TRAINEE"
_VALID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$")


def trainee_id() -> str:
    """Return the id of the trainee whose evidence this process works on.

    The first of these that is set wins:

    1. ``DARKTRAIL_TRAINEE`` -- set by ``darktrail grade`` / ``darktrail check`` for each
       submission they autograde, or by an instructor by hand;
    2. ``JUPYTERHUB_USER`` -- the hub user, which is also nbgrader's student id on JupyterHub;
    3. the operating-system user name -- nbgrader's student id with the filesystem exchange,
       so a submission made from a local lab is graded against the same evidence.

    Raises
    ------
    ValueError
        If the chosen id contains characters that cannot name a trainee (spaces, slashes...).

    Examples
    --------
    >>> import os
    >>> os.environ["DARKTRAIL_TRAINEE"] = "trainee-07"
    >>> trainee_id()
    'trainee-07'
    >>> del os.environ["DARKTRAIL_TRAINEE"]
    """
    for source in (TRAINEE_ENV, "JUPYTERHUB_USER"):
        value = os.environ.get(source, "").strip()
        if value:
            return _checked(value, source)
    return _checked(getpass.getuser(), "the operating-system user name")


def grade_as_trainee(assignment: str, student: str, notebooks: list[str]) -> None:
    """nbgrader's ``Autograde.pre_convert_hook``: grade each submission as its own trainee.

    ``grading/nbgrader_config.py`` installs it, so every way of autograding -- the formgrader's
    button, plain ``nbgrader autograde``, ``darktrail grade`` -- starts each submission's kernel
    with ``DARKTRAIL_TRAINEE`` set to that submission's student id, and hidden tests rebuild the
    evidence that trainee worked on. In a batch run nbgrader passes ``student="*"``; the id is
    then the folder the notebooks were submitted in (``submitted/<student>/<assignment>/``).
    """
    if not student or any(c in student for c in "*?["):
        student = Path(notebooks[0]).parent.parent.name
    _before.append(os.environ.get(TRAINEE_ENV))
    os.environ[TRAINEE_ENV] = _checked(student, "the submission being graded")


def graded_as_trainee(assignment: str, student: str, notebooks: list[str]) -> None:
    """nbgrader's ``Autograde.post_convert_hook``: give the grading process its own id back.

    The formgrader grades inside the lab server; without this, the instructor's next kernel
    would open the last graded trainee's evidence.
    """
    previous = _before.pop() if _before else None
    if previous is None:
        os.environ.pop(TRAINEE_ENV, None)
    else:
        os.environ[TRAINEE_ENV] = previous


_before: list[str | None] = []


def _checked(value: str, source: str) -> str:
    if not _VALID.match(value):
        raise ValueError(
            f"trainee id {value!r} (from {source}) must be 1-64 letters, digits, '.', '_', '@' or '-'"
        )
    return value
