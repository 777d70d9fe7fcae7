"""The differences between two bank versions, as the publish page and the assessment show them."""

import copy

from banks.check import structure_errors
from banks.diff import BankDiff, NumberChange, QuestionRef, Rewording, bank_diff
from banks.schema import default_scale_choices
from tests.assessment_factories import make_bank_data, scale_question


def test_identical_versions_differ_in_nothing():
    data = make_bank_data()
    diff = bank_diff(data, copy.deepcopy(data))
    assert diff == BankDiff()
    assert diff.is_empty
    assert diff.summary() == "no changes to questions, weights or thresholds"


def test_added_removed_and_reworded_questions_are_matched_by_key():
    old = make_bank_data()
    new = copy.deepcopy(old)
    removed = new.dimensions[0].questions.pop(0)  # A1
    new.dimensions[1].questions.append(scale_question("B1"))
    new.dimensions[1].questions[0].text = "Reworded question"
    reworded_key = new.dimensions[1].questions[0].key
    # Moving a question to another dimension is no change of its own.
    new.dimensions[0].questions.append(new.dimensions[1].questions.pop(1))
    diff = bank_diff(old, new)
    assert diff.added == (QuestionRef("B1", new.dimensions[1].questions[-1].text),)
    assert diff.removed == (QuestionRef("A1", removed.text),)
    old_text = next(q.text for d in old.dimensions for q in d.questions if q.key == reworded_key)
    assert diff.reworded == (Rewording(reworded_key, old_text, "Reworded question"),)
    assert diff.weights == diff.thresholds == ()
    assert diff.summary() == "1 question added, 1 question removed, 1 question reworded"


def test_weights_and_thresholds_that_moved_are_listed_with_before_and_after():
    old = make_bank_data()
    new = copy.deepcopy(old)
    new.dimensions[0].weight, new.dimensions[1].weight = 60, 40
    new.dimensions[0].questions[1].weight = 9
    new.go, new.gap = 80, 40
    diff = bank_diff(old, new)
    assert diff.weights == (
        NumberChange("dimension “Dimension 1”", 50, 60),
        NumberChange("dimension “Dimension 2”", 50, 40),
        NumberChange(f"question {new.dimensions[0].questions[1].key}", 2, 9),
    )
    assert diff.thresholds == (
        NumberChange("GO threshold", 70, 80),
        NumberChange("gap threshold", 50, 40),
    )
    assert diff.summary() == "3 weights changed, 2 thresholds changed"


def test_default_scale_anchors_score_0_to_100_and_pass_the_publish_rules():
    choices = default_scale_choices()
    assert [c.score for c in choices] == [0, 25, 50, 75, 100]
    assert all(c.label for c in choices)
    data = make_bank_data()
    data.dimensions[0].questions[0].choices = choices
    assert structure_errors(data) == []
