# %% [markdown]
# # 00 · Orientation: your case, your evidence, your first checks
#
# **Time:** about 45 minutes · **Graded:** 9 autograded points and 2 points marked by your instructor
#
# **Objectives.** By the end of this notebook you can
#
# 1. work in the lab: run a cell, read a hint, validate and submit your work;
# 2. open the case's evidence index with `pandas` and answer questions from it;
# 3. verify evidence integrity with SHA-256 against a chain-of-custody manifest and find a file
#    that was altered after seizure;
# 4. draw a first chart with `matplotlib`.
#
# No programming experience is assumed. Every task says exactly what to produce.

# %% [markdown]
# ## How to work in the lab
#
# - A notebook is a list of **cells**. Grey cells hold Python code; run the selected cell with
#   **Shift + Enter**. Run the cells from top to bottom: later cells use what earlier ones made.
# - Cells that say `# YOUR CODE HERE` are yours: delete the line `raise NotImplementedError()`
#   and write your answer there.
# - After each of your cells comes a **check cell**. Run it: if it fails, its message is a hint
#   about the *form* of your answer; if it prints "Answer handed in", the form is right. The
#   check cell hands your answer in; your instructor's grader checks the answer itself, on
#   *your* evidence, when you submit.
# - Every trainee has their own evidence: the numbers of your neighbour are not yours.
# - When you are done: **Kernel → Restart Kernel and Run All Cells**, then the **Validate**
#   button, then **Submit** in the *Assignments* tab (*Nbgrader → Assignments*).

# %% role="readonly"
import hashlib

import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import Markdown

from darktrail.evidence import my_evidence
from darktrail.handin import hand_in, hand_in_calls

evidence = my_evidence()
print(_("Your evidence folder:"), evidence)

# %% [markdown]
# ## The case briefing
#
# Read the briefing of the case you will work on all week. Run the cell below.

# %% role="readonly"
Markdown((evidence / "briefing.md").read_text(encoding="utf-8"))

# %% [markdown]
# ## Task 1 · Open the evidence index (1 point)
#
# The file `index.csv` lists every evidence file of the case: its `path`, its `category`, a
# `description`, the number of `records` in it and its size in `bytes`.
#
# Read it with `pd.read_csv` into a variable called `index`, then look at it.
#
# *Hint:* `pd.read_csv(evidence / "index.csv")` reads a CSV file into a table (a DataFrame).

# %% role="solution" grade_id="load-index"
### BEGIN SOLUTION
index = pd.read_csv(evidence / "index.csv")
### END SOLUTION
index.head()

# %% role="tests" grade_id="load-index-test" points=1 needs="load-index"
"""index is the evidence index, one row per evidence file."""
assert isinstance(index, pd.DataFrame), _("index should be a DataFrame: use pd.read_csv")
assert {"path", "category", "bytes"} <= set(index.columns), _(
    "index lacks the columns of index.csv"
)
hand_in(index)

# %% [markdown]
# ## Task 2 · How many seized files? (1 point)
#
# Count the rows of `index` whose `category` is `"seized"` and store the number in `n_seized`
# (a whole number).
#
# *Hint:* `index["category"] == "seized"` gives `True`/`False` for each row; `.sum()` counts the
# `True` values. `int(...)` turns the result into a plain whole number.

# %% role="solution" grade_id="count-seized"
### BEGIN SOLUTION
n_seized = int((index["category"] == "seized").sum())
### END SOLUTION
n_seized

# %% role="tests" grade_id="count-seized-test" points=1 needs="load-index count-seized"
"""n_seized counts the evidence files in the category 'seized'."""
import numbers

assert isinstance(n_seized, numbers.Integral), _("n_seized should be a whole number (use int(...))")
hand_in(n_seized)

# %% [markdown]
# ## Task 3 · The largest evidence file (1 point)
#
# Large files take long to copy and to hash. Find the `path` of the largest evidence file (the
# row with the most `bytes`) and store it, as text, in `largest`.
#
# *Hint:* `index["bytes"].idxmax()` gives the row label of the largest value;
# `index.loc[row, "path"]` reads one cell of the table.

# %% role="solution" grade_id="largest-file"
### BEGIN SOLUTION
largest = index.loc[index["bytes"].idxmax(), "path"]
### END SOLUTION
largest

# %% role="tests" grade_id="largest-file-test" points=1 needs="load-index largest-file"
"""largest is the path of the largest evidence file."""
assert isinstance(largest, str), _("largest should be a path written as text, e.g. 'briefing.md'")
assert largest in set(index["path"]), _("largest should be one of the paths in index")
hand_in(largest)

# %% [markdown]
# ## Task 4 · A fingerprint for a file: SHA-256 (2 points)
#
# A **hash function** turns any file into a short fingerprint. Change one byte of the file and
# the fingerprint changes completely; nobody can make two different files with the same SHA-256
# fingerprint. That is why courts accept a matching SHA-256 as proof that a copy is identical to
# what was seized.
#
# Write a function `sha256_of(path)` that returns the SHA-256 of the **contents** of the file at
# `path`, as 64 lower-case hexadecimal characters.
#
# *Hint:* `hashlib.sha256(data).hexdigest()` hashes bytes; `open(path, "rb").read()` or
# `path.read_bytes()` reads a file's bytes.


# %% role="solution" grade_id="sha256-of"
def sha256_of(path):
    ### BEGIN SOLUTION
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
    ### END SOLUTION


sha256_of(evidence / "briefing.md")

# %% role="tests" grade_id="sha256-of-test" points=2 needs="sha256-of"
"""sha256_of hashes a file's contents with SHA-256."""
import tempfile
from pathlib import Path

with tempfile.TemporaryDirectory() as _tmp:
    _sample = Path(_tmp) / "abc.txt"
    _sample.write_bytes(b"abc")
    _digest = sha256_of(_sample)
    assert isinstance(_digest, str) and len(_digest) == 64, _("return the hexdigest: 64 characters")
    assert _digest == _digest.lower(), _("return lower-case hexadecimal, as .hexdigest() gives it")
    # The published SHA-256 test vector for the three bytes "abc" (FIPS 180-2).
    assert _digest.lower() == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", _(
        "hash the contents of the file with hashlib.sha256, not its name"
    )
hand_in_calls(sha256_of, "sha256-of-test")

# %% [markdown]
# ## Task 5 · Chain of custody: which file was altered? (2 points)
#
# When the laptop was seized, the examiner hashed every file and wrote the results into
# `seized/manifest.csv` (columns `item`, `path`, `sha256`, `bytes`, `seized_at`; paths are
# relative to the `seized/` folder). Since then, one file was changed.
#
# 1. Read the manifest into `manifest`.
# 2. Hash each file again with your `sha256_of`.
# 3. Store the list of paths (as written in the manifest) whose hash no longer matches in
#    `altered`.
#
# *Hint:* a loop `for path in manifest["path"]:` visits each path; the file is
# `evidence / "seized" / path`. Compare the **hashes**, not the sizes: a changed date or amount
# keeps the file the same size.

# %% role="solution" grade_id="find-altered"
### BEGIN SOLUTION
manifest = pd.read_csv(evidence / "seized" / "manifest.csv")
now = [sha256_of(evidence / "seized" / path) for path in manifest["path"]]
altered = [
    path
    for path, then, current in zip(manifest["path"], manifest["sha256"], now)
    if then != current
]
### END SOLUTION
altered

# %% role="tests" grade_id="find-altered-test" points=2 needs="sha256-of find-altered"
"""altered lists exactly the seized files whose SHA-256 no longer matches the manifest."""
assert not isinstance(altered, str), _("altered should be a list of paths, e.g. ['notes/a.txt']")
assert all(p in set(manifest["path"]) for p in altered), _("write each path as the manifest does")
hand_in(list(altered))

# %% [markdown]
# ## Task 6 · Name the exhibit (1 point)
#
# A report names exhibits by their item number, not their path. Store the `item` number of the
# altered file (for example `"EX-001"`) in `altered_item`.

# %% role="solution" grade_id="altered-item"
### BEGIN SOLUTION
altered_item = manifest.loc[manifest["path"] == altered[0], "item"].iloc[0]
### END SOLUTION
altered_item

# %% role="tests" grade_id="altered-item-test" points=1 needs="sha256-of find-altered altered-item"
"""altered_item is the manifest's item number of the altered file."""
assert isinstance(altered_item, str), _("altered_item should be text such as 'EX-001'")
assert altered_item in set(manifest["item"]), _(
    "altered_item should be one of the manifest's items"
)
hand_in(altered_item)

# %% [markdown]
# ## Task 7 · A first chart (1 point)
#
# Draw a bar chart of the **number of evidence files in each category** and keep the chart's
# axes in `ax`.
#
# *Hint:* `index["category"].value_counts()` counts the rows per category, and
# `.plot.bar()` on that result draws it and returns the axes. Add a title with `ax.set_title(...)`.

# %% role="solution" grade_id="category-chart"
### BEGIN SOLUTION
fig, ax = plt.subplots()
index["category"].value_counts().plot.bar(ax=ax)
ax.set_title("Evidence files per category")
ax.set_ylabel("files")
### END SOLUTION
plt.show()

# %% role="tests" grade_id="category-chart-test" points=1 needs="load-index category-chart"
"""ax is a bar chart with one bar per category."""
import matplotlib.axes

assert isinstance(ax, matplotlib.axes.Axes), _("ax should be the axes returned by .plot.bar()")
assert len(ax.patches) == index["category"].nunique(), _("draw one bar per category")
hand_in(ax)

# %% [markdown]
# ## Task 8 · In your own words (2 points, marked by your instructor)
#
# In two or three sentences: why does a matching SHA-256 show that a file is unchanged since
# seizure, and why would you not rely on MD5 for this today?

# %% [markdown] role="answer" grade_id="why-sha256" points=2
# A matching SHA-256 means the file is bit-for-bit the one that was hashed at seizure: changing any
# byte changes the hash, and no one can construct a different file with the same SHA-256. MD5 is
# broken: two different files with the same MD5 can be made on purpose, so a matching MD5 no longer
# proves the file was not replaced.

# %% [markdown]
# ## Key points
#
# - Each trainee works on their own evidence; check cells test the form, the grader the answer.
# - `pandas` reads evidence tables (`pd.read_csv`) and answers questions with a line of code.
# - Hash the **contents** of evidence with SHA-256, at seizure and before every analysis; a
#   mismatch means the file changed, even when its size did not.
# - Reports name exhibits by item number; keep the manifest with the evidence.
# - A chart (`.plot.bar()`) shows a table's shape faster than the table does.
