# %% [markdown]
# # Sample
#
# Count the seized phones.

# %% role="readonly"
phones = ["P1", "P2", "P3"]

# %% role="solution" grade_id="count"
### BEGIN SOLUTION
n_phones = len(phones)
### END SOLUTION

# %% role="tests" grade_id="count-test" points=2
"""n_phones is the number of seized phones."""
assert isinstance(n_phones, int), _("n_phones must be a whole number")
### BEGIN HIDDEN TESTS
assert n_phones == len(phones), _("count every phone exactly once")
### END HIDDEN TESTS

# %% role="solution" grade_id="trainee"
import os

### BEGIN SOLUTION
who = os.environ["DARKTRAIL_TRAINEE"]
### END SOLUTION

# %% role="tests" grade_id="trainee-test" points=1
"""The grader runs each submission with its own trainee id."""
### BEGIN HIDDEN TESTS
from pathlib import Path

# nbgrader grades in autograded/<student>/<assignment>/
assert who == os.environ["DARKTRAIL_TRAINEE"] == Path.cwd().parent.name
### END HIDDEN TESTS

# %% [markdown] role="answer" grade_id="why" points=2
# Why do we count phones?
