"""Expected answers of the sample assignment."""

from darktrail.course.judge import Answers, _, whole_number

answers = Answers()


@answers.value(
    "count-test", form=whole_number, hint=_("count every phone exactly once"), shared="a fixed list"
)
def count(case):
    return 3


@answers.value(
    "manifest-test", form=whole_number, hint=_("count the manifest's rows, not its header")
)
def manifest(case):
    return case.files["seized/manifest.csv"].count(b"\n") - 1
