"""cxlib.errors: the exception tree and the shape of every message an analyst reads.

A message names the file, the column (and the analyst's own name for it), up to 5 rows, examples and the fix.
"""
from __future__ import annotations

import pytest

from cxlib.errors import CxDataError, CxError, CxParameterError


# --- the tree --------------------------------------------------------------------------------------------------

def test_data_and_parameter_errors_are_cx_errors_and_plain_exceptions():
    assert issubclass(CxDataError, CxError)
    assert issubclass(CxParameterError, CxError)
    assert issubclass(CxError, Exception)
    # a parameter error is not a data error: callers catch them apart
    assert not issubclass(CxParameterError, CxDataError)


def test_cx_error_str_is_the_message_and_keeps_the_reason():
    err = CxError("something is wrong", reason="custom")
    assert str(err) == "something is wrong"
    assert err.message == "something is wrong"
    assert err.reason == "custom"
    assert CxError("x").reason == "error"


def test_a_cx_data_error_can_be_raised_and_caught_as_cx_error():
    with pytest.raises(CxError, match=r"^m\.csv: column 'id' is blank"):
        raise CxDataError("m.csv", "id", "is blank")


# --- CxDataError message shape ---------------------------------------------------------------------------------

def test_data_error_message_names_file_column_rows_examples_and_fix():
    err = CxDataError("survey.csv", "nps", "has values outside 0-10", rows=[12, 57, 301], examples=[11, 12],
                      hint="check the scale")
    assert str(err) == ("survey.csv: column 'nps' has values outside 0-10 in rows 12, 57, 301 (e.g. 11, 12). "
                        "Fix: check the scale")
    assert (err.file, err.column, err.rows, err.examples, err.hint) == (
        "survey.csv", "nps", [12, 57, 301], [11, 12], "check the scale")
    assert err.reason == "invalid_data"


def test_data_error_says_row_not_rows_for_a_single_row():
    assert str(CxDataError("c.csv", "churned", "is blank", rows=[7])) == "c.csv: column 'churned' is blank in row 7"


def test_data_error_shows_five_rows_and_counts_the_rest():
    err = CxDataError("c.csv", "tenure_months", "has values below 0", rows=list(range(1, 13)))
    assert str(err) == "c.csv: column 'tenure_months' has values below 0 in rows 1, 2, 3, 4, 5 (and 7 more)"
    assert err.rows == list(range(1, 13))  # all rows are kept on the object, only the message is capped


def test_data_error_with_exactly_five_rows_has_no_and_more():
    assert "(and" not in str(CxDataError("f", "c", "bad", rows=[1, 2, 3, 4, 5]))
    assert str(CxDataError("f", "c", "bad", rows=[1, 2, 3, 4, 5, 6])).endswith("in rows 1, 2, 3, 4, 5 (and 1 more)")


def test_data_error_keeps_at_most_five_examples_and_quotes_texts_only():
    err = CxDataError("m.csv", "rating", "has values that are not numbers", examples=["five", 6, "n/a", 7.5, "x", "y"])
    assert err.examples == ["five", 6, "n/a", 7.5, "x"]
    assert str(err) == "m.csv: column 'rating' has values that are not numbers (e.g. 'five', 6, 'n/a', 7.5, 'x')"


def test_data_error_names_the_analysts_own_column_when_it_was_mapped():
    err = CxDataError("churn.xlsx", "churned", "has values that are neither yes nor no", rows=[2],
                      examples=["maybe"], their_column="Exited")
    assert str(err) == ("churn.xlsx: column 'churned' (your 'Exited') has values that are neither yes nor no "
                        "in row 2 (e.g. 'maybe')")
    assert err.their_column == "Exited"


def test_data_error_does_not_repeat_a_column_mapped_to_its_own_name():
    err = CxDataError("c.csv", "churned", "is blank", their_column="churned")
    assert str(err) == "c.csv: column 'churned' is blank"


def test_data_error_without_file_or_column_is_just_the_problem():
    assert str(CxDataError(None, None, "2 contract problems in all")) == "2 contract problems in all"
    assert str(CxDataError("c.csv", None, "is empty")) == "c.csv: is empty"
    assert str(CxDataError(None, "nps", "is missing")) == "column 'nps' is missing"


def test_data_error_message_is_one_line():
    err = CxDataError("survey.csv", "nps", "has values outside 0-10", rows=list(range(40)), examples=[11] * 9,
                      hint="check the scale", their_column="Q1")
    assert "\n" not in str(err)


def test_data_error_accepts_rows_and_examples_as_any_iterable():
    err = CxDataError("f.csv", "c", "bad", rows=(3, 4), examples=iter([1, 2]))
    assert err.rows == [3, 4]
    assert err.examples == [1, 2]
    assert str(err) == "f.csv: column 'c' bad in rows 3, 4 (e.g. 1, 2)"


def test_data_error_keeps_its_reason_code():
    assert CxDataError("f", "c", "is missing", reason="missing_column").reason == "missing_column"


# --- CxParameterError ------------------------------------------------------------------------------------------

def test_parameter_error_uses_scikit_learns_wording():
    err = CxParameterError("cv", "churn.cross_validate", "an int >= 2", 1)
    assert str(err) == "The 'cv' parameter of churn.cross_validate must be an int >= 2. Got 1 instead."
    assert err.parameter == "cv"
    assert err.reason == "invalid_parameter"


def test_parameter_error_shows_the_given_value_with_repr():
    err = CxParameterError("kind", "schemas.validate", "one of customers, mentions", "reviews")
    assert str(err).endswith("Got 'reviews' instead.")


def test_parameter_error_appends_the_hint_after_the_rule():
    err = CxParameterError("freq", "sentiment.sentiment_index", "one of D, W, M", "week", hint="Use freq='W'.")
    assert str(err) == ("The 'freq' parameter of sentiment.sentiment_index must be one of D, W, M. "
                        "Got 'week' instead. Use freq='W'.")
