"""nbgrader configuration of the darktrail course; this folder is the course root.

``darktrail`` commands and ``make lab`` use this file. Generated folders (source, release,
submitted, autograded, feedback, exchange) and the gradebook live here but are not committed.
"""

import os

from darktrail.course.feedback import FEEDBACK_PREPROCESSORS
from darktrail.course.grading import SANITIZE_PREPROCESSORS
from darktrail.course.judge import AUTOGRADE_PREPROCESSORS
from darktrail.course.language import recorded_language, stubs

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

# The course language (en, ru): recorded in .darktrail/course.json by `darktrail build|release|lab
# --lang` (make lab LANG_COURSE=ru), not here, so choosing it edits no committed file. The
# answer placeholders nbgrader writes into released notebooks are in that language.
c.CourseLanguage.lang = recorded_language(here)
c.ClearSolutions.code_stub = {"python": stubs(c.CourseLanguage.lang)["code"]}
c.ClearSolutions.text_stub = stubs(c.CourseLanguage.lang)["text"]

# The evidence locker: the course key, every trainee's frozen evidence and answer record.
# Instructor-only (owner-only modes); never commit, release or copy it to trainees.
c.Locker.root = os.path.join(here, "locker")
c.Locker.scenario = "default"

# Every autograde (formgrader button, nbgrader autograde, darktrail grade) gives each graded
# cell's verdict in this process: the submitting trainee's frozen evidence goes in before the
# kernel runs, and each check cell's handed-in answer is judged against that trainee's answer
# record after it ran (darktrail.course.judge). Expected answers live in exercises/*/answers.py.
c.Casework.exercises = os.path.join(os.path.dirname(here), "exercises")
c.Autograde.autograde_preprocessors = AUTOGRADE_PREPROCESSORS
# A deleted graded cell is put back (and scored) instead of leaving the submission waiting for
# manual grading; a duplicated one is forgotten (darktrail.course.grading).
c.OverwriteCells.add_missing_cells = True
c.Autograde.sanitize_preprocessors = SANITIZE_PREPROCESSORS

# Feedback shows test results and hints, never hidden tests or the lines that failed.
c.GenerateFeedback.preprocessors = FEEDBACK_PREPROCESSORS

# Every grading kernel runs in the sandbox (darktrail.course.sandbox): no network, read-only
# system, none of the course, the exercise sources, the locker or the home folder in view,
# and limits on memory, CPU time, files and processes. The lab's own kernels are not touched.
c.Execute.kernel_manager_class = "darktrail.course.sandbox.SandboxedKernelManager"
c.Sandbox.course_root = here
c.Sandbox.exercises = c.Casework.exercises
c.Sandbox.memory_mb = 2048
c.Sandbox.cpu_seconds = 900
c.Sandbox.language = c.CourseLanguage.lang  # what the kernels say in feedback

# Caps on a submission (darktrail.course.grading.SubmissionLimits): one over them is refused
# ("too large") before any kernel runs, under darktrail grade, nbgrader autograde and the
# formgrader alike. nbgrader's exchange leaves every file over max_file_size (in kB) behind when
# a trainee submits and when the instructor collects, so no such file reaches submitted/.
c.SubmissionLimits.max_mb = 50
c.SubmissionLimits.max_files = 200
c.CourseDirectory.max_file_size = 50_000
# One oversized inbound folder no longer stops the collection of the others.
c.ExchangeFactory.collect = "darktrail.course.grading.CollectWithinCaps"

# Per-cell budget when autograding; a runaway loop fails that submission, not the batch.
c.Execute.timeout = 120
c.Execute.interrupt_on_timeout = True
# Time for a flood of output to drain before nbgrader gives up on the kernel (its default, 4 s,
# fails a submission that prints megabytes, or any submission on a busy machine).
c.Execute.iopub_timeout = 30
