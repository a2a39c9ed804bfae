# %% [markdown]
# # Sample
#
# Count the seized phones, then the files in your seizure manifest.

# %% role="readonly"
from darktrail.evidence import my_evidence
from darktrail.handin import hand_in

evidence = my_evidence()
phones = ["P1", "P2", "P3"]

# %% role="solution" grade_id="count"
### BEGIN SOLUTION
n_phones = len(phones)
### END SOLUTION

# %% role="tests" grade_id="count-test" points=2 needs="count"
"""n_phones is the number of seized phones."""
assert isinstance(n_phones, int), _("n_phones must be a whole number")
hand_in(n_phones)

# %% role="solution" grade_id="manifest"
### BEGIN SOLUTION
n_manifest = len((evidence / "seized" / "manifest.csv").read_text().splitlines()) - 1
### END SOLUTION

# %% role="tests" grade_id="manifest-test" points=1 needs="manifest"
"""n_manifest counts the rows of your seizure manifest."""
hand_in(n_manifest)

# %% [markdown] role="answer" grade_id="why" points=2
# Why do we count phones?
