"""cxlib.schemas: one contract per input kind; valid frames come back with canonical types, every broken rule
becomes one readable CxDataError naming the file, the column and the rows.

Frames are small and hand-made so that each expected row number can be checked by eye.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cxlib.errors import CxDataError, CxParameterError
from cxlib.io import read_table
from cxlib.schemas import JOURNEY_STAGES, KINDS, SENTIMENT_LABELS, find_problems, parse_yes_no, schema, validate


def mentions(**changes) -> pd.DataFrame:
    df = pd.DataFrame({
        "id": ["m1", "m2", "m3"],
        "created_at": ["2025-03-10 14:05", "2025-03-11", "2025-03-12T08:30:00"],
        "brand": ["Acme", "Beta", "Acme"],
        "text": ["Fast delivery", "Очень долго", "Livrare rapidă"],
    })
    return df.assign(**changes)


def survey(**changes) -> pd.DataFrame:
    df = pd.DataFrame({"respondent_id": ["r1", "r2", "r3", "r4"], "nps": [10, 0, 7, 9],
                       "wifi": [5, 0, None, 3], "food": [1, 2, 3, 4]})
    return df.assign(**changes)


def touchpoints(**changes) -> pd.DataFrame:
    df = pd.DataFrame({"touchpoint": ["website", "checkout", "support"], "stage": ["before", "during", "after"]})
    return df.assign(**changes)


def customers(**changes) -> pd.DataFrame:
    df = pd.DataFrame({"customer_id": ["c1", "c2", "c3"], "churned": ["yes", "no", "no"],
                       "tenure_months": [12, 3, 40], "monthly_revenue": [9.99, 20.0, 0.0]})
    return df.assign(**changes)


VALID = {"mentions": mentions, "survey": survey, "touchpoints": touchpoints, "customers": customers}


def error_of(df: pd.DataFrame, kind: str, **kwargs) -> CxDataError:
    with pytest.raises(CxDataError) as info:
        validate(df, kind, **kwargs)
    return info.value


def problems_of(df: pd.DataFrame, kind: str, **kwargs) -> list[tuple[str | None, str, list[int]]]:
    _, problems = find_problems(df, kind, **kwargs)
    return [(p.column, p.reason, p.rows) for p in problems]


# --- valid frames pass and are coerced -------------------------------------------------------------------------

def test_kinds_are_the_four_input_contracts():
    assert sorted(KINDS) == ["customers", "mentions", "survey", "touchpoints"]


@pytest.mark.parametrize("kind", sorted(VALID))
def test_a_valid_frame_of_each_kind_passes_with_no_problems(kind):
    df = VALID[kind]()
    touch = ["wifi", "food"] if kind == "survey" else ()
    out = validate(df, kind, touchpoints=touch)
    assert len(out) == len(df)
    assert list(out.columns) == list(df.columns)
    assert find_problems(df, kind, touchpoints=touch)[1] == []


@pytest.mark.parametrize("kind", sorted(VALID))
def test_validate_does_not_change_its_input(kind):
    df = VALID[kind]()
    before = df.copy()
    validate(df, kind, file="x.csv")
    pd.testing.assert_frame_equal(df, before)
    assert "source" not in df.attrs


def test_validate_parses_mention_dates_and_keeps_naive_times_naive():
    out = validate(mentions(), "mentions")
    assert pd.api.types.is_datetime64_any_dtype(out["created_at"])
    assert out["created_at"].dt.tz is None
    assert out["created_at"].tolist() == [pd.Timestamp("2025-03-10 14:05"), pd.Timestamp("2025-03-11"),
                                          pd.Timestamp("2025-03-12 08:30")]


def test_validate_converts_dates_with_an_offset_to_utc():
    out = validate(mentions(created_at=["2025-03-10T10:00:00+02:00", "2025-03-11T00:00:00Z", "2025-03-12"]),
                   "mentions")
    assert str(out["created_at"].dt.tz) == "UTC"
    assert out["created_at"].iloc[0] == pd.Timestamp("2025-03-10 08:00", tz="UTC")
    assert out["created_at"].iloc[1] == pd.Timestamp("2025-03-11 00:00", tz="UTC")


def test_validate_reads_numbers_stored_as_text_and_blanks_as_missing():
    out = validate(mentions(rating=["5", " 4.5 ", " "], reach=["10", "0", None]), "mentions")
    assert str(out["rating"].dtype) == "Float64"
    assert out["rating"].tolist()[:2] == [5.0, 4.5]
    assert out["rating"].isna().tolist() == [False, False, True]
    assert out["reach"].tolist()[:2] == [10.0, 0.0]


def test_validate_lower_cases_and_strips_sentiment_labels():
    out = validate(mentions(label=["Positive", " negative ", "NEUTRAL"]), "mentions")
    assert out["label"].tolist() == ["positive", "negative", "neutral"]
    assert set(out["label"]) <= set(SENTIMENT_LABELS)


def test_validate_strips_texts_and_ids():
    out = validate(mentions(id=[" m1", "m2 ", "m3"], brand=[" Acme ", "Beta", "Acme"]), "mentions")
    assert out["id"].tolist() == ["m1", "m2", "m3"]
    assert out["brand"].tolist() == ["Acme", "Beta", "Acme"]
    assert pd.api.types.is_string_dtype(out["id"])


def test_validate_survey_keeps_zero_and_blank_touchpoints_as_not_applicable():
    out = validate(survey(nps=["10", "0", " ", "9"]), "survey", touchpoints=["wifi", "food"])
    assert out["wifi"].iloc[1] == 0.0  # 0 = not applicable, allowed next to the 1-5 scale
    assert out["wifi"].isna().tolist() == [False, False, True, False]
    assert out["nps"].isna().tolist() == [False, False, True, False]
    assert str(out["nps"].dtype) == "Float64"


def test_validate_survey_accepts_touchpoints_on_another_scale():
    df = survey(wifi=[8, 10, 0, 1])
    assert validate(df, "survey", touchpoints=["wifi"], scale=(1, 10))["wifi"].tolist() == [8.0, 10.0, 0.0, 1.0]


def test_validate_survey_with_overall_satisfaction_instead_of_nps():
    out = validate(survey().drop(columns="nps").assign(overall_satisfaction=[5, 4, 1, 3]), "survey")
    assert out["overall_satisfaction"].tolist() == [5.0, 4.0, 1.0, 3.0]


def test_validate_touchpoint_map_lower_cases_stages_and_strips_names():
    out = validate(touchpoints(touchpoint=[" website", "checkout ", "support"], stage=["Before", " DURING", "after "]),
                   "touchpoints")
    assert out["touchpoint"].tolist() == ["website", "checkout", "support"]
    assert out["stage"].tolist() == ["before", "during", "after"]
    assert set(out["stage"]) <= set(JOURNEY_STAGES)


def test_validate_customers_turns_churned_into_booleans_and_numbers_from_text():
    out = validate(customers(churned=["Yes", "0", "TRUE"], tenure_months=["12", " 3 ", ""],
                             monthly_revenue=["9.99", "1e2", "0"]), "customers")
    assert str(out["churned"].dtype) == "boolean"
    assert out["churned"].tolist() == [True, False, True]
    assert out["tenure_months"].tolist()[:2] == [12.0, 3.0]
    assert pd.isna(out["tenure_months"].iloc[2])
    assert out["monthly_revenue"].tolist() == [9.99, 100.0, 0.0]


def test_validate_reads_numeric_customer_ids_as_text():
    out = validate(customers(customer_id=[101, 102, 103]), "customers")
    assert out["customer_id"].tolist() == ["101", "102", "103"]


def test_validate_keeps_extra_columns_untouched():
    out = validate(customers(segment=["A", "B", "A"], age=[30, 40, 50]), "customers")
    assert out["segment"].tolist() == ["A", "B", "A"]
    assert out["age"].tolist() == [30, 40, 50]


def test_validate_keeps_attrs_and_names_the_file():
    df = customers()
    df.attrs["source"] = "customers.csv"
    assert validate(df, "customers").attrs["source"] == "customers.csv"
    assert validate(df, "customers", file="other.csv").attrs["source"] == "other.csv"


# --- parse_yes_no ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("spelling", ["yes", "Yes", "YES", " y ", "Y", "true", "True", "T", "1", "1.0", "Да", "da",
                                      "так", "oui", "si", "ja", "churned", "Left"])
def test_parse_yes_no_reads_yes_in_many_spellings(spelling):
    assert parse_yes_no(pd.Series([spelling])).tolist() == [True]


@pytest.mark.parametrize("spelling", ["no", "No", "NO", " n ", "N", "false", "FALSE", "f", "0", "0.0", "нет", "Nu",
                                      "не", "non", "nein", "stayed", "active"])
def test_parse_yes_no_reads_no_in_many_spellings(spelling):
    assert parse_yes_no(pd.Series([spelling])).tolist() == [False]


def test_parse_yes_no_reads_integers_floats_and_booleans():
    assert parse_yes_no(pd.Series([1, 0, 1])).tolist() == [True, False, True]
    assert parse_yes_no(pd.Series([1.0, 0.0, np.nan])).tolist() == [True, False, pd.NA]
    assert parse_yes_no(pd.Series([True, False])).tolist() == [True, False]
    assert parse_yes_no(pd.Series([True, None], dtype="boolean")).tolist() == [True, pd.NA]


def test_parse_yes_no_turns_blanks_into_na_and_keeps_the_index():
    out = parse_yes_no(pd.Series(["yes", "", "  ", None, "no"], index=[10, 20, 30, 40, 50]))
    assert str(out.dtype) == "boolean"
    assert out.index.tolist() == [10, 20, 30, 40, 50]
    assert out.isna().tolist() == [False, True, True, True, False]


def test_parse_yes_no_names_the_unknown_spellings():
    with pytest.raises(ValueError) as info:
        parse_yes_no(pd.Series(["yes", "Maybe", "2", "maybe"]))
    assert info.value.args[0] == ["2", "maybe"]


# --- missing columns -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("kind, column, their_name", [
    ("mentions", "text", "txt"), ("survey", "respondent_id", "respondent"), ("touchpoints", "stage", "stages"),
    ("customers", "churned", "churn"),
])
def test_a_missing_required_column_names_it_and_suggests_the_closest_column(kind, column, their_name):
    df = VALID[kind]().rename(columns={column: their_name})
    err = error_of(df, kind, file=f"{kind}.csv")
    assert err.reason == "missing_column"
    assert err.column == column
    assert str(err).startswith(f"{kind}.csv: column '{column}' is missing. Fix: ")
    assert f'columns={{"{their_name}": "{column}"}}' in str(err)
    assert their_name in str(err).split("the file has: ")[1]


def test_a_missing_column_without_a_close_name_shows_a_placeholder():
    err = error_of(pd.DataFrame({"customer_id": ["a"], "zzz": [1]}), "customers", file="c.csv")
    assert str(err) == ('c.csv: column \'churned\' is missing. Fix: map your column to it, e.g. '
                        'columns={"YourColumn": "churned"} (the file has: customer_id, zzz)')


def test_a_missing_column_lists_only_the_first_ten_columns_of_a_wide_file():
    df = pd.DataFrame({f"q{i:02d}": [1] for i in range(15)})
    message = str(error_of(df.assign(customer_id="a"), "customers"))
    assert "q09..." in message
    assert "q10" not in message


def test_a_survey_without_any_outcome_column_says_one_is_needed():
    err = error_of(survey().drop(columns="nps"), "survey", file="survey.csv")
    assert err.reason == "missing_column"
    assert str(err).startswith("survey.csv: column 'overall_satisfaction or nps' is missing: an outcome column is needed")


def test_a_touchpoint_column_the_survey_lacks_is_missing_with_the_closest_name():
    err = error_of(survey(), "survey", touchpoints=["wiifi"], file="survey.csv")
    assert err.column == "wiifi"
    assert 'columns={"wifi": "wiifi"}' in str(err)


def test_the_error_names_the_file_from_read_table_and_the_analysts_column_name(write_file):
    path = write_file("churn.csv", "CustomerId,Exited\n1,yes\n2,maybe\n3,no\n")
    df = read_table(path, columns={"CustomerId": "customer_id", "Exited": "churned"})
    err = error_of(df, "customers")
    assert str(err) == ("churn.csv: column 'churned' (your 'Exited') has values that are neither yes nor no in row 2 "
                        "(e.g. 'maybe'). Fix: use yes/no, 1/0 or true/false")
    assert err.their_column == "Exited"


def test_without_a_file_name_the_error_says_input():
    assert str(error_of(customers(churned=["yes", "x", "no"]), "customers")).startswith("input: column 'churned'")


# --- wrong types -----------------------------------------------------------------------------------------------

def test_text_in_a_number_column_names_the_rows_and_the_values():
    err = error_of(customers(tenure_months=["12", "3 months", "n/a"]), "customers", file="c.csv")
    assert err.reason == "wrong_type"
    assert err.column == "tenure_months"
    assert err.rows == [2, 3]
    assert err.examples == ["3 months", "n/a"]
    assert str(err).startswith("c.csv: column 'tenure_months' has values that are not numbers in rows 2, 3 "
                               "(e.g. '3 months', 'n/a'). Fix: ")


def test_a_decimal_comma_is_not_read_as_a_number():
    # "1,5" is ambiguous (1.5 or 15); it is reported instead of guessed
    err = error_of(customers(monthly_revenue=["9.99", "1,5", "0"]), "customers")
    assert (err.column, err.rows, err.examples) == ("monthly_revenue", [2], ["1,5"])


def test_nps_with_a_fraction_is_not_a_whole_number():
    err = error_of(survey(nps=[10, 7.5, 3, 9]), "survey")
    assert (err.column, err.reason, err.rows, err.examples) == ("nps", "wrong_type", [2], [7.5])
    assert "not whole numbers" in str(err)


def test_text_in_a_date_column_names_the_rows():
    err = error_of(mentions(created_at=["2025-03-10", "yesterday", "2025-03-12"]), "mentions", file="m.csv")
    assert (err.column, err.reason, err.rows, err.examples) == ("created_at", "wrong_type", [2], ["yesterday"])
    assert "are not dates" in str(err)


def test_text_in_a_touchpoint_column_is_reported_with_its_rows():
    err = error_of(survey(food=["1", "good", "3", "4"]), "survey", touchpoints=["food"])
    assert (err.column, err.reason, err.rows) == ("food", "wrong_type", [2])


# --- values out of range ---------------------------------------------------------------------------------------

def test_a_six_star_rating_is_outside_1_to_5():
    err = error_of(mentions(rating=[6, 5, 1]), "mentions", file="reviews.csv")
    assert err.reason == "out_of_range"
    assert (err.column, err.rows, err.examples) == ("rating", [1], [6.0])
    assert str(err) == ("reviews.csv: column 'rating' has values outside 1-5 in row 1 (e.g. 6.0). "
                        "Fix: ratings must be stars 1-5; rescale 0-10 scores first")


def test_nps_11_and_minus_1_are_outside_0_to_10():
    err = error_of(survey(nps=[11, 10, -1, 0]), "survey", file="survey.csv")
    assert (err.column, err.reason, err.rows) == ("nps", "out_of_range", [1, 3])
    assert sorted(err.examples) == [-1.0, 11.0]
    assert str(err).startswith("survey.csv: column 'nps' has values outside 0-10 in rows 1, 3")


def test_nps_0_and_10_are_inside_the_scale():
    assert validate(survey(nps=[0, 10, 5, 6]), "survey")["nps"].tolist() == [0.0, 10.0, 5.0, 6.0]


def test_a_touchpoint_rating_outside_the_scale_says_zero_means_not_applicable():
    err = error_of(survey(wifi=[6, 5, -1, 0]), "survey", touchpoints=["wifi"])
    assert (err.column, err.rows) == ("wifi", [1, 3])
    assert "has ratings outside 1-5 (0 or blank = not applicable)" in str(err)


def test_a_negative_tenure_and_revenue_are_below_zero():
    problems = problems_of(customers(tenure_months=[1, -2, 3], monthly_revenue=[-5, 1, 1]), "customers")
    assert ("tenure_months", "out_of_range", [2]) in problems
    assert ("monthly_revenue", "out_of_range", [1]) in problems


def test_overall_satisfaction_on_a_0_to_10_scale_accepts_0():
    out = validate(survey().drop(columns="nps").assign(overall_satisfaction=[0, 10, 5, 7]), "survey")
    assert out["overall_satisfaction"].tolist() == [0.0, 10.0, 5.0, 7.0]


# --- duplicates, labels, stages, yes/no, blanks -----------------------------------------------------------------

@pytest.mark.parametrize("kind, id_column", [("mentions", "id"), ("survey", "respondent_id"),
                                             ("touchpoints", "touchpoint"), ("customers", "customer_id")])
def test_duplicate_ids_name_the_column_and_every_repeated_row(kind, id_column):
    df = VALID[kind]()
    ids = df[id_column].tolist()
    df[id_column] = [ids[0], ids[1], ids[0]] + ids[3:]
    err = error_of(df, kind, file=f"{kind}.csv")
    assert (err.column, err.reason, err.rows) == (id_column, "duplicate_id", [1, 3])
    assert err.examples == [ids[0]]
    assert str(err).startswith(f"{kind}.csv: column '{id_column}' has duplicate values in rows 1, 3")


def test_ids_that_differ_only_by_blanks_around_them_are_duplicates():
    err = error_of(touchpoints(touchpoint=["wifi", " wifi", "food"]), "touchpoints")
    assert (err.column, err.rows) == ("touchpoint", [1, 2])


def test_a_label_other_than_negative_neutral_positive_is_reported():
    err = error_of(mentions(label=["good", "positive", "bad"]), "mentions", file="m.csv")
    assert (err.column, err.rows, err.examples) == ("label", [1, 3], ["good", "bad"])
    assert "has labels other than negative/neutral/positive" in str(err)


def test_a_journey_stage_other_than_before_during_after_is_reported():
    err = error_of(touchpoints(stage=["before", "purchase", "after"]), "touchpoints", file="map.csv")
    assert (err.column, err.rows, err.examples) == ("stage", [2], ["purchase"])
    assert str(err) == ("map.csv: column 'stage' has stages other than before/during/after in row 2 (e.g. 'purchase'). "
                        "Fix: stage must be before, during or after (the purchase)")


def test_a_churned_value_that_is_neither_yes_nor_no_is_reported():
    err = error_of(customers(churned=["yes", "maybe", "Perhaps"]), "customers")
    assert (err.column, err.reason, err.rows) == ("churned", "wrong_value", [2, 3])
    assert err.examples == ["maybe", "Perhaps"]


def test_every_row_with_an_unknown_yes_no_spelling_is_counted():
    df = pd.DataFrame({"customer_id": list("abcdefgh"), "churned": ["a", "b", "c", "d", "e", "k", "g", "yes"]})
    err = error_of(df, "customers")
    assert err.rows == [1, 2, 3, 4, 5, 6, 7]


def test_a_blank_in_a_required_column_is_reported_with_its_rows():
    err = error_of(customers(churned=["yes", "", None]), "customers")
    assert (err.column, err.reason, err.rows) == ("churned", "missing_value", [2, 3])
    err = error_of(mentions(brand=["Acme", " ", "Beta"]), "mentions")
    assert (err.column, err.reason, err.rows) == ("brand", "missing_value", [2])


def test_blank_ids_are_reported_as_blank_not_as_duplicates():
    problems = problems_of(customers(customer_id=["a", None, " "]), "customers")
    assert problems == [("customer_id", "missing_value", [2, 3])]


def test_rows_are_counted_from_one_after_the_header_whatever_the_index():
    df = customers(tenure_months=[1, -2, 3])
    df.index = [10, 20, 30]
    assert error_of(df, "customers").rows == [2]


def test_rows_are_named_for_a_frame_with_a_text_index():
    df = customers(tenure_months=[1, -2, 3])
    df.index = ["x", "y", "z"]
    assert error_of(df, "customers").rows == [2]


# --- empty frames ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("kind", sorted(VALID))
def test_a_frame_without_columns_lists_every_required_column_as_missing(kind):
    problems = problems_of(pd.DataFrame(), kind)
    required = [c for c, col in KINDS[kind].columns.items() if col.required]
    assert [c for c, reason, _ in problems if reason == "missing_column"][:len(required)] == required
    assert all(reason == "missing_column" for _, reason, _ in problems)


@pytest.mark.parametrize("kind", sorted(VALID))
def test_a_frame_with_no_rows_is_a_data_error(kind):
    with pytest.raises(CxDataError):
        validate(VALID[kind]().iloc[:0], kind, file=f"{kind}.csv")


# --- find_problems and the combined message ---------------------------------------------------------------------

def test_find_problems_returns_every_problem_without_raising():
    df = pd.DataFrame({"customer_id": ["a", "a", "b"], "churned": ["x", "yes", "no"],
                       "tenure_months": ["t", -1, 2], "monthly_revenue": ["m", -3, 1]})
    coerced, problems = find_problems(df, "customers")
    assert [(p.column, p.reason, p.rows) for p in problems] == [
        ("churned", "wrong_value", [1]),
        ("tenure_months", "wrong_type", [1]),
        ("monthly_revenue", "wrong_type", [1]),
        ("customer_id", "duplicate_id", [1, 2]),
        ("tenure_months", "out_of_range", [2]),
        ("monthly_revenue", "out_of_range", [2]),
    ]
    assert all(isinstance(p, CxDataError) for p in problems)
    assert coerced["tenure_months"].tolist()[1:] == [-1.0, 2.0]  # the coerced frame comes back anyway


def test_find_problems_names_the_file_from_attrs():
    df = customers(churned=["yes", "x", "no"])
    df.attrs["source"] = "crm.xlsx"
    _, problems = find_problems(df, "customers")
    assert [p.file for p in problems] == ["crm.xlsx"]


def test_find_problems_still_checks_types_when_a_column_is_missing():
    problems = problems_of(pd.DataFrame({"customer_id": ["a", "b"], "tenure_months": ["x", 1]}), "customers")
    assert problems == [("churned", "missing_column", []), ("tenure_months", "wrong_type", [1])]


def test_validate_raises_the_first_problem_and_lists_the_others_in_also():
    df = pd.DataFrame({"customer_id": ["a", "b"], "churned": ["x", "yes"], "tenure_months": [-1, 2]})
    err = error_of(df, "customers", file="c.csv")
    assert err.column == "churned"
    assert str(err) == ("c.csv: column 'churned' has values that are neither yes nor no in row 1 (e.g. 'x'). "
                        "Fix: use yes/no, 1/0 or true/false (also: 'tenure_months' has values below 0)")


def test_validate_lists_three_other_problems_and_counts_the_rest():
    df = pd.DataFrame({"customer_id": ["a", "a"], "churned": ["x", "yes"], "tenure_months": ["t", -1],
                       "monthly_revenue": ["m", -3]})
    message = str(error_of(df, "customers"))
    also = message.split("(also: ")[1]
    assert also == ("'tenure_months' has values that are not numbers; 'monthly_revenue' has values that are not "
                    "numbers; 'customer_id' has duplicate values; 2 more)")
    assert "\n" not in message


def test_a_single_problem_has_no_also():
    assert "(also" not in str(error_of(customers(churned=["yes", "x", "no"]), "customers"))


def test_more_than_five_bad_rows_are_capped_in_the_message():
    df = pd.DataFrame({"customer_id": [str(i) for i in range(12)], "churned": ["no"] * 12, "tenure_months": [-1] * 12})
    err = error_of(df, "customers")
    assert err.rows == list(range(1, 13))
    assert "in rows 1, 2, 3, 4, 5 (and 7 more)" in str(err)


# --- schema() and kinds ----------------------------------------------------------------------------------------

def test_an_unknown_kind_is_a_parameter_error_listing_the_kinds():
    with pytest.raises(CxParameterError) as info:
        validate(customers(), "reviews")
    assert str(info.value) == ("The 'kind' parameter of schemas.validate must be one of customers, mentions, survey, "
                               "touchpoints. Got 'reviews' instead.")
    with pytest.raises(CxParameterError):
        find_problems(customers(), "reviews")
    with pytest.raises(CxParameterError):
        schema("reviews")


@pytest.mark.parametrize("kind", sorted(VALID))
def test_schema_declares_every_contract_column_and_marks_the_required_ones(kind):
    sch = schema(kind)
    assert sch.name == kind
    assert set(sch.columns) == set(KINDS[kind].columns)
    required = {name for name, col in sch.columns.items() if col.required}
    assert required == {name for name, col in KINDS[kind].columns.items() if col.required}


def test_schema_adds_the_touchpoint_columns_as_required():
    sch = schema("survey", touchpoints=["wifi", "food"], scale=(1, 10))
    assert sch.columns["wifi"].required and sch.columns["food"].required
