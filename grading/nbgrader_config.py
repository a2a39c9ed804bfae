"""nbgrader configuration of the darktrail course; this folder is the course root.

``darktrail`` commands and ``make lab`` use this file. Generated folders (source, release,
submitted, autograded, feedback, exchange) and the gradebook live here but are not committed.
"""

import os

from darktrail.course.feedback import FEEDBACK_PREPROCESSORS
from darktrail.identity import grade_as_trainee, graded_as_trainee

here = os.path.dirname(os.path.abspath(__file__))  # noqa: F821 (traitlets sets __file__)
c = get_config()  # noqa: F821 (traitlets provides get_config)

c.CourseDirectory.root = here
c.CourseDirectory.course_id = "darktrail"
# Only notebooks and trainee data belong in an assignment folder; never hand out sources.
c.CourseDirectory.ignore = [
    ".ipynb_checkpoints",
    "*.pyc",
    "__pycache__",
    "*.py",
    "*.toml",
    "evidence",
]

# A local exchange for one machine; on JupyterHub point this at a shared, writable folder.
c.Exchange.root = os.path.join(here, "exchange")

c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"

# Every autograde (formgrader button, nbgrader autograde, darktrail grade) runs each submission
# as its own trainee, so hidden tests rebuild the evidence that trainee worked on.
c.Autograde.pre_convert_hook = grade_as_trainee
c.Autograde.post_convert_hook = graded_as_trainee

# Feedback shows test results and hints, never hidden tests or the lines that failed.
c.GenerateFeedback.preprocessors = FEEDBACK_PREPROCESSORS

# Per-cell budget when autograding; a runaway loop fails that submission, not the batch.
c.Execute.timeout = 120
c.Execute.interrupt_on_timeout = True
