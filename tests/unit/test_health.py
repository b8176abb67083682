"""cxlib.health: the data-health tables on small hand-made frames with answers counted by hand.

Nothing in cxlib.health raises on bad data (problems are listed); edge cases are empty frames, all-N/A columns
and single rows.
"""
from __future__ import annotations

import pandas as pd
import pytest

from cxlib import health
from cxlib.errors import CxDataError, CxParameterError

SURVEY_TOUCHPOINTS = ["wifi", "food"]


def customers() -> pd.DataFrame:
    return pd.DataFrame({"customer_id": ["a", "b"], "churned": ["yes", "no"]})


# --- missing_values --------------------------------------------------------------------------------------------

def test_missing_values_counts_none_empty_and_whitespace_as_blank_worst_first():
    df = pd.DataFrame({"a": [1, None, 3, None], "b": ["x", " ", "", None], "c": [1, 2, 3, 4]})
    out = health.missing_values(df)
    assert list(out.columns) == ["column", "missing", "missing_share", "n"]
    assert out.values.tolist() == [["b", 3, 0.75, 4], ["a", 2, 0.5, 4], ["c", 0, 0.0, 4]]


def test_missing_values_breaks_ties_by_column_name():
    out = health.missing_values(pd.DataFrame({"z": [None, 1], "a": [None, 1], "m": [1, 1]}))
    assert out["column"].tolist() == ["a", "z", "m"]


def test_missing_values_of_an_all_blank_column_is_a_share_of_one():
    out = health.missing_values(pd.DataFrame({"x": [None, None, " "]}))
    assert out[["missing", "missing_share"]].values.tolist() == [[3, 1.0]]


def test_missing_values_of_a_frame_without_rows_is_zero_not_nan():
    out = health.missing_values(pd.DataFrame({"a": [], "b": []}))
    assert out[["column", "missing", "missing_share", "n"]].values.tolist() == [["a", 0, 0.0, 0], ["b", 0, 0.0, 0]]


def test_missing_values_of_a_frame_without_columns_is_an_empty_table():
    out = health.missing_values(pd.DataFrame())
    assert out.empty
    assert list(out.columns) == ["column", "missing", "missing_share", "n"]


def test_missing_values_does_not_change_its_input():
    df = pd.DataFrame({"a": [1, None]})
    before = df.copy()
    health.missing_values(df)
    pd.testing.assert_frame_equal(df, before)


# --- duplicates ------------------------------------------------------------------------------------------------

def test_duplicates_counts_repeated_ids_rows_and_texts_of_mentions():
    df = pd.DataFrame({"id": ["1", "2", "1", "3"], "text": ["Great!", "great", "Great!", None]})
    out = health.duplicates(df, "mentions")
    assert list(out.columns) == ["check", "count", "share", "example_rows"]
    assert out.values.tolist() == [
        ["duplicate id", 1, 0.25, "3"],
        ["duplicate row", 1, 0.25, "3"],
        ["duplicate text (exact)", 1, 0.25, "3"],
        ["duplicate text (same words)", 2, 0.5, "2, 3"],  # "great" repeats "Great!" once case and punctuation go
    ]


def test_duplicates_uses_each_kinds_id_column():
    assert health.duplicates(pd.DataFrame({"respondent_id": ["r", "r"]}), "survey")["check"].tolist()[0] == "duplicate id"
    out = health.duplicates(pd.DataFrame({"touchpoint": ["a", "a"], "stage": ["before", "before"]}), "touchpoints")
    assert out[["check", "count"]].values.tolist() == [["duplicate touchpoint", 1], ["duplicate row", 1]]


def test_duplicates_lists_the_first_five_repeated_rows():
    out = health.duplicates(pd.DataFrame({"customer_id": ["a", "b"] + ["a"] * 6}), "customers")
    assert out.iloc[0].tolist() == ["duplicate id", 6, 0.75, "3, 4, 5, 6, 7"]


def test_duplicates_without_an_id_column_checks_whole_rows_only():
    out = health.duplicates(pd.DataFrame({"x": [1, 1, 2]}), "customers")
    assert out[["check", "count"]].values.tolist() == [["duplicate row", 1]]


def test_duplicates_of_an_empty_frame_are_zero():
    out = health.duplicates(pd.DataFrame({"id": [], "text": []}), "mentions")
    assert out["count"].tolist() == [0, 0, 0, 0]
    assert out["share"].tolist() == [0.0, 0.0, 0.0, 0.0]


# --- not_applicable_shares -------------------------------------------------------------------------------------

def test_not_applicable_counts_zero_and_blank_and_averages_only_real_answers():
    df = pd.DataFrame({"wifi": [0, 4, None, 5], "food": [1, 2, 3, 0]})
    out = health.not_applicable_shares(df, ["wifi", "food"])
    assert list(out.columns) == ["touchpoint", "n", "na_zero", "na_blank", "na_share", "mean_score"]
    # wifi: one 0, one blank of 4 -> 0.5; mean of 4 and 5. food: one 0 -> 0.25; mean of 1, 2, 3.
    assert out.values.tolist() == [["wifi", 4, 1, 1, 0.5, 4.5], ["food", 4, 1, 0, 0.25, 2.0]]


def test_not_applicable_of_an_all_na_touchpoint_is_one_with_no_mean():
    out = health.not_applicable_shares(pd.DataFrame({"wifi": [0, 0, None, None]}), ["wifi"])
    assert out[["na_zero", "na_blank", "na_share"]].values.tolist() == [[2, 2, 1.0]]
    assert pd.isna(out["mean_score"].iloc[0])


def test_not_applicable_reads_ratings_stored_as_text():
    out = health.not_applicable_shares(pd.DataFrame({"wifi": ["0", "4", "n/a", "5"]}), ["wifi"])
    assert out[["na_zero", "na_blank", "na_share", "mean_score"]].values.tolist() == [[1, 1, 0.5, 4.5]]


def test_not_applicable_skips_touchpoints_the_survey_lacks():
    out = health.not_applicable_shares(pd.DataFrame({"wifi": [1]}), ["wifi", "parking"])
    assert out["touchpoint"].tolist() == ["wifi"]


def test_not_applicable_of_an_empty_survey_is_zero_not_a_division_error():
    out = health.not_applicable_shares(pd.DataFrame({"wifi": []}), ["wifi"])
    assert out[["n", "na_share"]].values.tolist() == [[0, 0.0]]
    assert health.not_applicable_shares(pd.DataFrame({"wifi": [1]}), []).empty


# --- category_mix and describe_mix -----------------------------------------------------------------------------

def test_category_mix_counts_values_with_blanks_as_blank_largest_first():
    out = health.category_mix(pd.DataFrame({"channel": ["b", "a", " a ", "", None, "b", "c"]}), "channel")
    assert list(out.columns) == ["channel", "n", "share"]
    assert out[["channel", "n"]].values.tolist() == [["(blank)", 2], ["a", 2], ["b", 2], ["c", 1]]
    assert out["share"].sum() == pytest.approx(1.0)
    assert out["share"].iloc[-1] == pytest.approx(1 / 7)


def test_category_mix_of_one_row_is_a_share_of_one():
    assert health.category_mix(pd.DataFrame({"c": ["x"]}), "c").values.tolist() == [["x", 1, 1.0]]


def test_category_mix_of_an_empty_frame_is_an_empty_table():
    out = health.category_mix(pd.DataFrame({"c": []}), "c")
    assert out.empty
    assert list(out.columns) == ["c", "n", "share"]


def test_describe_mix_names_the_count_and_the_largest_shares():
    mix = pd.DataFrame({"language": ["en", "ru", "ro"], "n": [6, 3, 1], "share": [0.6, 0.3, 0.1]})
    assert health.describe_mix(mix, "language", "languages") == "3 languages: en 60.0 %, ru 30.0 %, ro 10.0 %."


def test_describe_mix_shows_six_values_and_counts_the_rest():
    mix = pd.DataFrame({"c": list("abcdefgh"), "n": [1] * 8, "share": [0.125] * 8})
    assert health.describe_mix(mix, "c", "channels") == (
        "8 channels: a 12.5 %, b 12.5 %, c 12.5 %, d 12.5 %, e 12.5 %, f 12.5 % and 2 more.")


def test_describe_mix_of_an_empty_mix_is_a_readable_sentence():
    text = health.describe_mix(pd.DataFrame({"c": [], "n": [], "share": []}), "c", "channels")
    assert ": ." not in text


# --- language_mix ----------------------------------------------------------------------------------------------

def test_language_mix_uses_the_language_column_when_filled():
    out = health.language_mix(pd.DataFrame({"text": ["a", "b", "c"], "language": ["ro", "en", "ro"]}))
    assert out.values.tolist() == [["ro", 2, 2 / 3, "column"], ["en", 1, 1 / 3, "column"]]


def test_language_mix_detects_languages_when_the_column_is_absent_or_empty():
    texts = ["The food was very good", "Очень вкусно", "Foarte bun și ieftin", "", None]
    out = health.language_mix(pd.DataFrame({"text": texts}))
    assert out[["language", "n"]].values.tolist() == [["und", 2], ["en", 1], ["ro", 1], ["ru", 1]]
    assert set(out["source"]) == {"detected"}
    blank_column = health.language_mix(pd.DataFrame({"text": ["The food was good"], "language": [None]}))
    assert blank_column[["language", "source"]].values.tolist() == [["en", "detected"]]


def test_language_mix_of_no_mentions_is_an_empty_table():
    out = health.language_mix(pd.DataFrame({"text": []}))
    assert out.empty
    assert list(out.columns) == ["language", "n", "share", "source"]


# --- volume_over_time ------------------------------------------------------------------------------------------

DATES = pd.DataFrame({"created_at": ["2025-03-09", "2025-03-10", "2025-03-16", "2025-03-17", "2025-04-01", "bad"],
                      "brand": ["A", "A", "B", "A", None, "A"]})


def test_volume_over_time_counts_weeks_starting_monday_and_drops_unreadable_dates():
    out = health.volume_over_time(DATES, "created_at")
    assert list(out.columns) == ["period", "n"]
    # Sun 9 Mar is in the week of Mon 3 Mar; Sun 16 Mar in the week of Mon 10 Mar; "bad" is not counted
    assert out.values.tolist() == [[pd.Timestamp("2025-03-03"), 1], [pd.Timestamp("2025-03-10"), 2],
                                   [pd.Timestamp("2025-03-17"), 1], [pd.Timestamp("2025-03-31"), 1]]


def test_volume_over_time_counts_months_and_days():
    months = health.volume_over_time(DATES, "created_at", freq="M")
    assert months.values.tolist() == [[pd.Timestamp("2025-03-01"), 4], [pd.Timestamp("2025-04-01"), 1]]
    assert len(health.volume_over_time(DATES, "created_at", freq="D")) == 5


def test_volume_over_time_splits_by_a_group_with_blanks_as_blank():
    out = health.volume_over_time(DATES, "created_at", by="brand")
    assert list(out.columns) == ["period", "brand", "n"]
    assert out.values.tolist() == [
        [pd.Timestamp("2025-03-03"), "A", 1], [pd.Timestamp("2025-03-10"), "A", 1], [pd.Timestamp("2025-03-10"), "B", 1],
        [pd.Timestamp("2025-03-17"), "A", 1], [pd.Timestamp("2025-03-31"), "(blank)", 1]]


def test_volume_over_time_counts_times_with_one_offset_in_their_local_day():
    df = pd.DataFrame({"created_at": ["2025-03-10T00:30:00+02:00", "2025-03-10T23:30:00+02:00"]})
    assert health.volume_over_time(df, "created_at", freq="D").values.tolist() == [[pd.Timestamp("2025-03-10"), 2]]


def test_volume_over_time_reads_timestamps_across_a_daylight_saving_change():
    df = pd.DataFrame({"created_at": ["2025-03-29T10:00:00+02:00", "2025-03-31T10:00:00+03:00"]})
    assert health.volume_over_time(df, "created_at")["n"].sum() == 2


def test_volume_over_time_of_no_rows_is_an_empty_table():
    out = health.volume_over_time(pd.DataFrame({"created_at": []}), "created_at")
    assert out.empty
    assert list(out.columns) == ["period", "n"]


# --- schema_problems and all_schema_problems -------------------------------------------------------------------

def test_schema_problems_lists_every_contract_violation_as_a_table():
    df = pd.DataFrame({"customer_id": ["a", "a"], "churned": ["maybe", "yes"]})
    df.attrs["source"] = "c.csv"
    out = health.schema_problems(df, "customers")
    assert list(out.columns) == ["column", "problem", "rows", "example_rows", "examples", "fix", "message"]
    assert out[["column", "problem", "rows", "example_rows", "examples"]].values.tolist() == [
        ["churned", "has values that are neither yes nor no", 1, "1", "maybe"],
        ["customer_id", "has duplicate values", 2, "1, 2", "a"],
    ]
    assert out["message"].iloc[0] == ("c.csv: column 'churned' has values that are neither yes nor no in row 1 "
                                      "(e.g. 'maybe'). Fix: use yes/no, 1/0 or true/false")
    assert out["fix"].iloc[1] == "each customer row needs its own id"


def test_schema_problems_of_a_clean_input_is_empty_with_the_same_columns():
    out = health.schema_problems(customers(), "customers")
    assert out.empty
    assert list(out.columns) == ["column", "problem", "rows", "example_rows", "examples", "fix", "message"]


def test_schema_problems_checks_the_touchpoints_on_their_scale():
    survey = pd.DataFrame({"respondent_id": ["r1", "r2"], "nps": [9, 10], "wifi": [0, 7]})
    assert health.schema_problems(survey, "survey", ["wifi"])[["column", "rows"]].values.tolist() == [["wifi", 1]]
    assert health.schema_problems(survey, "survey", ["wifi"], scale=(1, 10)).empty


def test_all_schema_problems_stacks_the_inputs_with_an_input_column():
    survey = pd.DataFrame({"respondent_id": ["r1", "r2"], "nps": [9, 11], "wifi": [0, 7]})
    out = health.all_schema_problems({"customers": customers(), "survey": survey}, touchpoints=["wifi"])
    assert list(out.columns) == ["input", "column", "problem", "rows", "example_rows", "examples", "fix", "message"]
    assert out[["input", "column", "example_rows"]].values.tolist() == [["survey", "nps", "2"], ["survey", "wifi", "2"]]


def test_all_schema_problems_checks_touchpoints_only_in_the_survey():
    # "wifi" is not a column of customers: it must not be reported missing there
    assert health.all_schema_problems({"customers": customers()}, touchpoints=["wifi"]).empty


def test_all_schema_problems_of_clean_or_no_inputs_is_empty_with_columns():
    for frames in ({"customers": customers()}, {}):
        out = health.all_schema_problems(frames)
        assert out.empty
        assert list(out.columns) == ["input", "column", "problem", "rows", "example_rows", "examples", "fix", "message"]


# --- stop_on_problems ------------------------------------------------------------------------------------------

def test_stop_on_problems_raises_the_first_message_and_the_count():
    problems = health.all_schema_problems({"customers": pd.DataFrame({"customer_id": ["a", "a"],
                                                                      "churned": ["x", "no"]})})
    with pytest.raises(CxDataError) as info:
        health.stop_on_problems(problems)
    assert str(info.value) == ("input: column 'churned' has values that are neither yes nor no in row 1 (e.g. 'x'). "
                               "Fix: use yes/no, 1/0 or true/false (2 contract problems in all; set strict=False to "
                               "build the health report anyway)")
    assert info.value.reason == "contract"


def test_stop_on_problems_says_problem_for_one():
    with pytest.raises(CxDataError, match=r"\(1 contract problem in all;"):
        health.stop_on_problems(pd.DataFrame({"message": ["c.csv: column 'churned' is missing"]}))


def test_stop_on_problems_lets_a_clean_or_non_strict_run_go_on():
    assert health.stop_on_problems(pd.DataFrame(columns=["message"])) is None
    assert health.stop_on_problems(pd.DataFrame({"message": ["bad"]}), strict=False) is None


# --- input_overview and describe_overview ----------------------------------------------------------------------

def overview_inputs():
    mentions = pd.DataFrame({"id": ["1", "1", "1"], "created_at": ["2025-03-10", "2025-01-05", ""],
                             "brand": ["A", "B", None], "text": ["a", "b", "c"]})
    mentions.attrs["source"] = "mentions.csv"
    survey = pd.DataFrame({"respondent_id": ["r1", "r2"], "nps": [9, 11], "wifi": [0, 7]})
    frames = {"mentions": mentions, "customers": customers(), "survey": survey}
    return frames, {name: name for name in frames}


def test_input_overview_has_one_row_per_input_with_size_period_blanks_and_problems():
    frames, kinds = overview_inputs()
    out = health.input_overview(frames, kinds, touchpoints=["wifi"])
    assert list(out.columns) == ["input", "file", "kind", "rows", "columns", "period_start", "period_end",
                                 "blank_cells_share", "duplicate_ids", "problems", "status"]
    assert out["input"].tolist() == ["mentions", "customers", "survey"]
    assert out["file"].tolist() == ["mentions.csv", "", ""]
    assert out["rows"].tolist() == [3, 2, 2]
    assert out["columns"].tolist() == [4, 2, 3]
    mentions = out.iloc[0]
    assert (mentions["period_start"], mentions["period_end"]) == (pd.Timestamp("2025-01-05"), pd.Timestamp("2025-03-10"))
    assert mentions["blank_cells_share"] == pytest.approx(2 / 12)  # one blank date, one blank brand of 12 cells
    # mentions: duplicate id, blank created_at, blank brand; survey: nps 11 and wifi 7
    assert out["duplicate_ids"].tolist() == [2, 0, 0]
    assert out["problems"].tolist() == [3, 0, 2]
    assert out["status"].tolist() == ["problems", "ok", "problems"]
    assert pd.isna(out["period_start"].iloc[1])


def test_input_overview_of_an_empty_input_is_ok_with_no_blanks():
    out = health.input_overview({"c": pd.DataFrame({"customer_id": [], "churned": []})}, {"c": "customers"})
    assert out[["rows", "columns", "blank_cells_share", "duplicate_ids"]].values.tolist() == [[0, 2, 0.0, 0]]
    assert health.input_overview({}, {}).empty


def test_input_overview_with_an_unknown_kind_is_a_parameter_error():
    with pytest.raises(CxParameterError):
        health.input_overview({"x": customers()}, {"x": "reviews"})


def test_input_overview_reads_the_period_across_a_daylight_saving_change():
    mentions = pd.DataFrame({"id": ["1", "2"], "created_at": ["2025-03-29T10:00:00+02:00", "2025-03-31T10:00:00+03:00"],
                             "brand": ["A", "A"], "text": ["a", "b"]})
    out = health.input_overview({"mentions": mentions}, {"mentions": "mentions"})
    assert out["rows"].tolist() == [2]


def test_describe_overview_writes_one_line_per_input_from_its_numbers():
    frames, kinds = overview_inputs()
    text = health.describe_overview(health.input_overview(frames, kinds, touchpoints=["wifi"]))
    assert text.splitlines() == [
        "- **mentions** (`mentions.csv`): 3 rows from 2025-01-05 to 2025-03-10; 16.7 % of cells blank; "
        "2 duplicated ids; **3 contract problems** (see below).",
        "- **customers** (``): 2 rows; 0.0 % of cells blank; no contract problems.",
        "- **survey** (``): 2 rows; 0.0 % of cells blank; **2 contract problems** (see below).",
    ]


def test_describe_overview_uses_thousands_separators_and_singular_problem():
    ov = pd.DataFrame({"input": ["survey"], "file": ["s.csv"], "rows": [12345], "period_start": [pd.NaT],
                       "period_end": [pd.NaT], "blank_cells_share": [0.5], "problems": [1], "duplicate_ids": [1200]})
    assert health.describe_overview(ov) == ("- **survey** (`s.csv`): 12,345 rows; 50.0 % of cells blank; "
                                            "1,200 duplicated ids; **1 contract problem** (see below).")


def test_describe_overview_of_no_inputs_is_empty():
    assert health.describe_overview(health.input_overview({}, {})) == ""


# --- read_inputs -----------------------------------------------------------------------------------------------

def test_read_inputs_reads_each_path_maps_columns_and_skips_empty_paths(write_file):
    path = write_file("churn.csv", "CustomerId,Exited\na,1\nb,0\n")
    frames = health.read_inputs({"customers": str(path), "survey": ""},
                                columns={"customers": {"CustomerId": "customer_id", "Exited": "churned"}})
    assert list(frames) == ["customers"]
    assert frames["customers"]["customer_id"].tolist() == ["a", "b"]
    assert frames["customers"]["churned"].tolist() == [1, 0]
    assert frames["customers"].attrs["source"] == "churn.csv"


def test_read_inputs_keyed_by_an_unknown_kind_is_a_parameter_error(write_file):
    with pytest.raises(CxParameterError, match=r"^The 'paths' parameter of health\.read_inputs .* Got 'reviews'"):
        health.read_inputs({"reviews": "x.csv"})
    path = write_file("c.csv", "customer_id,churned\na,1\n")
    with pytest.raises(CxParameterError, match=r"^The 'columns' parameter of health\.read_inputs .* Got 'survy'"):
        health.read_inputs({"customers": str(path)}, columns={"survy": {}})


def test_read_inputs_names_a_file_that_does_not_exist(tmp_path):
    with pytest.raises(CxDataError, match=r"nope\.csv: does not exist"):
        health.read_inputs({"customers": str(tmp_path / "nope.csv")})


# --- numbers_stored_as_text ------------------------------------------------------------------------------------

def test_numbers_stored_as_text_finds_text_columns_of_numbers():
    df = pd.DataFrame({"total": ["1.5", " ", "2", "3"], "name": ["a", "b", "c", "d"], "n": [1, 2, 3, 4],
                       "blank": [" ", None, "", None]})
    out = health.numbers_stored_as_text(df)
    assert list(out.columns) == ["column", "numeric_share", "blank", "not_numbers", "examples"]
    assert out.values.tolist() == [["total", 1.0, 1, 0, ""]]


def test_numbers_stored_as_text_shows_the_values_that_are_not_numbers():
    df = pd.DataFrame({"total": ["1", "2", "n/a", "3", "4", "n/a", "-"]})
    assert health.numbers_stored_as_text(df, threshold=0.9).empty  # 4 of 7 = 0.57 is below 0.9
    out = health.numbers_stored_as_text(df, threshold=0.5)
    assert out.values.tolist() == [["total", 4 / 7, 0, 3, "'n/a', '-'"]]  # repeated 'n/a' shown once


def test_numbers_stored_as_text_of_an_empty_frame_is_empty():
    assert health.numbers_stored_as_text(pd.DataFrame()).empty
    assert health.numbers_stored_as_text(pd.DataFrame({"x": pd.Series([], dtype=object)})).empty


# --- touchpoint_columns ----------------------------------------------------------------------------------------

def test_touchpoint_columns_come_from_the_touchpoint_map_stripped_in_order():
    frames = {"touchpoints": pd.DataFrame({"touchpoint": [" wifi", None, "food "]}),
              "survey": pd.DataFrame({"other": [1]})}
    assert health.touchpoint_columns(frames) == ["wifi", "food"]


def test_touchpoint_columns_without_a_map_are_numeric_0_to_10_columns_other_than_ids_and_outcomes():
    survey = pd.DataFrame({"respondent_id": [1, 2], "nps": [1, 2], "overall_satisfaction": [3, 4], "wifi": [0, 5],
                           "food": [1.0, None], "age": [25, 70], "segment": ["a", "b"], "empty": [None, None]})
    assert health.touchpoint_columns({"survey": survey}) == ["wifi", "food"]


def test_touchpoint_columns_without_any_input_are_none():
    assert health.touchpoint_columns({}) == []


# --- outcome_distribution --------------------------------------------------------------------------------------

def test_outcome_distribution_counts_each_score_of_each_outcome():
    survey = pd.DataFrame({"nps": [10, "9", " ", 9.4, None], "overall_satisfaction": [5, 4, 4, None, "x"]})
    out = health.outcome_distribution(survey)
    assert list(out.columns) == ["outcome", "score", "n", "share"]
    assert out[["outcome", "score", "n"]].values.tolist() == [
        ["nps", 9, 2], ["nps", 10, 1], ["overall_satisfaction", 4, 2], ["overall_satisfaction", 5, 1]]
    assert out["share"].tolist() == pytest.approx([2 / 3, 1 / 3, 2 / 3, 1 / 3])


def test_outcome_distribution_without_outcomes_or_answers_is_empty_with_columns():
    for survey in (pd.DataFrame({"x": [1]}), pd.DataFrame({"nps": [None, None]})):
        out = health.outcome_distribution(survey)
        assert out.empty
        assert list(out.columns) == ["outcome", "score", "n", "share"]


# --- describe_not_applicable -----------------------------------------------------------------------------------

def test_describe_not_applicable_gives_the_range_and_the_touchpoints_above_the_threshold():
    na = health.not_applicable_shares(pd.DataFrame({"wifi": [0, None, 4, 5], "food": [1, 2, 3, 0]}), ["wifi", "food"])
    assert health.describe_not_applicable(na) == (
        '"Not applicable" answers range from 25.0 % to 50.0 % per touchpoint. Above 20 %: wifi (50.0 %), food (25.0 %); '
        "estimates for these rest on fewer answers.")


def test_describe_not_applicable_needs_strictly_more_than_the_threshold():
    na = pd.DataFrame({"touchpoint": ["a", "b"], "na_share": [0.2, 0.1]})
    assert health.describe_not_applicable(na) == '"Not applicable" answers range from 10.0 % to 20.0 % per touchpoint.'


def test_describe_not_applicable_of_all_na_and_of_no_touchpoints():
    na = pd.DataFrame({"touchpoint": ["a"], "na_share": [1.0]})
    assert health.describe_not_applicable(na, warn_share=0.5).endswith("Above 50 %: a (100.0 %); estimates for these "
                                                                       "rest on fewer answers.")
    assert health.describe_not_applicable(health.not_applicable_shares(pd.DataFrame(), ["wifi"])) == \
        "No touchpoint columns found."
