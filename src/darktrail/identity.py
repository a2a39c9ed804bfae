"""Who the trainee is, in the trainee's own session: the one place that decides it.

Only the notebook uses this, to fetch the trainee's own evidence bundle while they work. The
grader never asks the kernel who it grades: it takes the student id from nbgrader's record of
the submission (:mod:`darktrail.course.judge`), so nothing a kernel sets can change whose
answers a submission is compared with.
"""

from __future__ import annotations

import getpass
import os
import re

__all__ = ["TRAINEE_ENV", "checked_trainee_id", "trainee_id"]

TRAINEE_ENV = "DARKTRAIL_TRAINEE"
_VALID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$")


def trainee_id() -> str:
    """Return the id of the trainee working in this process.

    The first of these that is set wins:

    1. ``DARKTRAIL_TRAINEE`` -- set by an instructor by hand;
    2. ``JUPYTERHUB_USER`` -- the hub user, which is also nbgrader's student id on JupyterHub;
    3. the operating-system user name -- nbgrader's student id with the filesystem exchange.

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
            return checked_trainee_id(value, source)
    return checked_trainee_id(getpass.getuser(), "the operating-system user name")


def checked_trainee_id(value: str, source: str) -> str:
    """``value`` if it can name a trainee (1-64 letters, digits, '.', '_', '@', '-').

    Raises
    ------
    ValueError
        Naming the value and where it came from (``source``).

    Examples
    --------
    >>> checked_trainee_id("bad id", "the roster")
    Traceback (most recent call last):
    ...
    ValueError: trainee id 'bad id' (from the roster) must be 1-64 letters, digits, '.', '_', '@' or '-'
    """
    if not isinstance(value, str) or not _VALID.match(value):
        raise ValueError(
            f"trainee id {value!r} (from {source}) must be 1-64 letters, digits, '.', '_', '@' or '-'"
        )
    return value
