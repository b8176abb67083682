"""Reading and validating real exports with their known quirks (../shared/datasets/README.md)."""
from __future__ import annotations

import pandas as pd
import pytest

from cxlib import health, io, schemas
from cxlib.errors import CxDataError

TELCO_MAP = {"customerID": "customer_id", "Churn": "churned", "tenure": "tenure_months", "MonthlyCharges": "monthly_revenue"}
AIRLINE_TOUCHPOINTS = ["Inflight wifi service", "Departure/Arrival time convenient", "Ease of Online booking",
                       "Gate location", "Food and drink", "Online boarding", "Seat comfort", "Inflight entertainment",
                       "On-board service", "Leg room service", "Baggage handling", "Checkin service", "Inflight service",
                       "Cleanliness"]


def test_telco_validates_with_a_mapping_and_keeps_the_published_churn_rate(datasets):
    telco = io.load(datasets / "telco_churn" / "WA_Fn-UseC_-Telco-Customer-Churn.csv", "customers", TELCO_MAP)
    assert len(telco) == 7043
    assert telco["churned"].mean() == pytest.approx(0.2654, abs=1e-3)  # 1869 / 7043, per the dataset's README


def test_telco_total_charges_is_reported_as_numbers_stored_as_text(datasets):
    telco = io.read_table(datasets / "telco_churn" / "WA_Fn-UseC_-Telco-Customer-Churn.csv")
    found = health.numbers_stored_as_text(telco).set_index("column")
    assert found.loc["TotalCharges", "blank"] == 11  # the 11 single-space rows, all with tenure 0


def test_tweets_with_newlines_in_texts_parse_to_the_published_row_count(datasets):
    tweets = io.read_table(datasets / "twitter_airline_sentiment" / "Tweets.csv")
    assert len(tweets) == 14640 and tweets["text"].str.contains("\n").sum() > 100


def test_tweets_duplicate_ids_stop_validation_naming_the_analysts_column(datasets):
    tweets = io.read_table(datasets / "twitter_airline_sentiment" / "Tweets.csv",
                           {"tweet_id": "id", "tweet_created": "created_at", "airline": "brand"})
    with pytest.raises(CxDataError) as info:
        schemas.validate(tweets, "mentions")
    msg = str(info.value)
    assert "Tweets.csv" in msg and "'id' (your 'tweet_id')" in msg and "duplicate" in msg
    dups = health.duplicates(tweets, "mentions").set_index("check")
    assert dups.loc["duplicate id", "count"] == 155


def test_airline_survey_zero_means_not_applicable(datasets):
    survey = io.read_table(datasets / "airline_satisfaction" / "test.csv", {"id": "respondent_id"})
    survey = survey.assign(overall_satisfaction=survey["satisfaction"].eq("satisfied").map({True: 5, False: 1}))
    checked = schemas.validate(survey, "survey", touchpoints=AIRLINE_TOUCHPOINTS, scale=(1, 5))
    na = health.not_applicable_shares(checked, AIRLINE_TOUCHPOINTS).set_index("touchpoint")
    assert na.loc["Inflight wifi service", "na_zero"] > 500   # README: wifi has many zeros, all "not applicable"
    assert (na["mean_score"] >= 1).all()                       # zeros never pull a mean below the scale


def test_romanian_reviews_json_is_not_a_table_format(datasets, tmp_path):
    with pytest.raises(CxDataError, match="unknown format '.json'"):
        io.read_table(datasets / "ro_laroseda" / "positive_reviews.json")


@pytest.mark.parametrize("lang, floor", [("bg", 0.85), ("ro", 0.80), ("en", 0.99), ("ru", 0.99)])
def test_basic_language_detector_recognises_each_real_corpus(datasets, lang, floor):
    # The rule-based detector of the foundation; the sentiment issue replaces it with a trained one.
    import json

    from cxlib.text import detect_language

    if lang == "bg":
        texts = io.read_table(datasets / "bg_twitter" / "bulgarian_twitter_sentiment_dev.csv")["text"]
    elif lang == "ro":
        raw = json.loads((datasets / "ro_laroseda" / "positive_reviews.json").read_text(encoding="utf-8"))
        texts = pd.Series([r["content"] for r in raw["reviews"]])
    elif lang == "en":
        texts = io.read_table(datasets / "twitter_airline_sentiment" / "Tweets.csv")["text"]
    else:
        texts = io.read_table(datasets / "ru_sentirueval2015_restaurants" / "restaurant_reviews_flat.csv")["text"]
    assert (detect_language(texts) == lang).mean() >= floor
