"""nbgrader configuration of the darktrail course; this folder is the course root.

``darktrail`` commands and ``make lab`` use this file. Generated folders (source, release,
submitted, autograded, feedback, exchange) and the gradebook live here but are not committed.
"""

import os

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

# Per-cell budget when autograding; a runaway loop fails that submission, not the batch.
c.Execute.timeout = 120
c.Execute.interrupt_on_timeout = True
