"""cxlib.sample: deterministic files, valid inputs, and the planted ground truth visible in the data.

One full sample (seed 42) is written once per module into a temporary folder; the planted-effect tests read it
the way an analysis would (labels, texts, ratings), not through the generator's internals.
"""
from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from cxlib import sample
from cxlib.errors import CxParameterError
from cxlib.io import load
from cxlib.schemas import parse_yes_no

ROOT = Path(__file__).resolve().parents[2]
COMMITTED = ROOT / "data" / "sample"
CSV_FILES = ("mentions.csv", "touchpoints.csv", "survey.csv", "customers.csv")
ALL_FILES = (*CSV_FILES, "README.md")
TOUCHPOINT_NAMES = [t[0] for t in sample.TOUCHPOINTS]
SMALL = {"mentions": 400, "survey": 60, "customers": 60}

EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.(?:com|org|net)\b")
PHONE = re.compile(r"\+7 \d{3} \d{3}-\d\d-\d\d|\+373 22 \d{3} \d{3}|\+359 2 \d{3} \d{4}|\+374 10 \d{6}|\(555\) \d{3}-\d{4}")
CARD = re.compile(r"\b\d{4} \d{4} \d{4} \d{4}\b")
ARMENIAN = re.compile("[\u0531-\u058F]")
CYRILLIC = re.compile("[\u0400-\u04FF]")


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def fold(text: str) -> str:
    return " ".join(re.sub(r"[\W_]+", " ", text.lower()).split())


@pytest.fixture(scope="module")
def fresh(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("sample42")
    sample.write_sample(out, seed=42)
    return out


@pytest.fixture(scope="module")
def mentions(fresh) -> pd.DataFrame:
    m = pd.read_csv(fresh / "mentions.csv", dtype=str, keep_default_na=False)
    m["created_at"] = pd.to_datetime(m["created_at"])
    m["week"] = m["created_at"].dt.to_period("W-SUN").dt.start_time
    return m


@pytest.fixture(scope="module")
def survey(fresh) -> pd.DataFrame:
    return pd.read_csv(fresh / "survey.csv")


@pytest.fixture(scope="module")
def customers(fresh) -> pd.DataFrame:
    return pd.read_csv(fresh / "customers.csv", dtype=str, keep_default_na=False)


def keyword_pattern(aspect: str) -> str:
    stems = {k for spec in sample.load_phrases()["languages"].values() for k in spec["aspects"][aspect]["keywords"]}
    return "|".join(sorted(map(re.escape, stems)))


# --- files ---------------------------------------------------------------------------------------------------

def test_cli_in_a_new_process_writes_byte_identical_files_for_the_same_seed(fresh, tmp_path):
    # another process with another hash seed: nothing may depend on hash randomisation
    env = dict(os.environ, PYTHONHASHSEED="12345")
    proc = subprocess.run([sys.executable, "-m", "cxlib.sample", "--out", str(tmp_path), "--seed", "42"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    for name in ALL_FILES:
        assert sha256(tmp_path / name) == sha256(fresh / name), name
    assert "20,000 rows" in proc.stdout and "MB" in proc.stdout


def test_another_seed_gives_other_data_but_the_same_touchpoint_map(tmp_path):
    a = sample.write_sample(tmp_path / "a", seed=1, rows=SMALL)
    b = sample.write_sample(tmp_path / "b", seed=2, rows=SMALL)
    for name in ("mentions", "survey", "customers", "readme"):
        assert sha256(a[name]) != sha256(b[name]), name
    assert sha256(a["touchpoints"]) == sha256(b["touchpoints"])


def test_committed_sample_equals_what_write_sample_generates_now(fresh):
    # if this fails, run `make sample` (python -m cxlib.sample --out data/sample --seed 42) and commit
    for name in ALL_FILES:
        assert (COMMITTED / name).exists(), f"data/sample/{name} is missing"
        assert sha256(COMMITTED / name) == sha256(fresh / name), f"data/sample/{name} is stale"


def test_files_stay_small_enough_to_commit(fresh):
    sizes = {name: (fresh / name).stat().st_size for name in ALL_FILES}
    assert all(sizes[name] < 3.5e6 for name in CSV_FILES), sizes
    assert sum(sizes.values()) < 5e6, sizes


def test_files_are_utf8_with_unix_line_ends_and_one_line_per_row(fresh):
    for name in CSV_FILES:
        raw = (fresh / name).read_bytes()
        raw.decode("utf-8")  # strict
        assert b"\r" not in raw and not raw.startswith(b"\xef\xbb\xbf"), name
        rows = len(pd.read_csv(fresh / name, dtype=str))
        assert raw.count(b"\n") == rows + 1, f"{name}: a value spans lines"


@pytest.mark.parametrize("kind", ["mentions", "touchpoints", "survey", "customers"])
def test_every_file_passes_its_input_contract(fresh, kind):
    df = load(fresh / f"{kind}.csv", kind, touchpoints=TOUCHPOINT_NAMES if kind == "survey" else ())
    assert len(df) == {"mentions": 20000, "touchpoints": 16, "survey": 3000, "customers": 5000}[kind]


def test_main_prints_each_file_with_rows_and_size(tmp_path, capsys):
    assert sample.main(["--out", str(tmp_path), "--seed", "3", "--mentions", "300", "--survey", "40",
                        "--customers", "50"]) == 0
    printed = capsys.readouterr().out
    assert re.search(r"mentions\.csv\s+300 rows\s+\d+\.\d\d MB", printed)
    assert re.search(r"customers\.csv\s+50 rows", printed) and "README.md" in printed and "total" in printed


def test_bad_parameters_are_refused_with_the_rule():
    with pytest.raises(CxParameterError, match="'n' parameter of sample.make_mentions must be an int >= 1"):
        sample.make_mentions(n=0)
    with pytest.raises(CxParameterError, match="'seed'"):
        sample.make_customers(seed=-1)
    with pytest.raises(SystemExit):
        sample.main(["--seed", "-1"])


def test_readme_states_every_planted_value(fresh):
    text = (fresh / "README.md").read_text(encoding="utf-8")
    for value in (sample.DIP_WEEK_START, sample.WEAK_COMPETITOR, sample.WEAK_ASPECT, sample.NOISE_TOUCHPOINT,
                  "synthetic", "--seed 42", f"{sample.CHURN_INTERCEPT:.2f}"):
        assert value in text, value
    for tp, weight in sample.DRIVER_WEIGHTS.items():
        assert f"| `{tp}` |" in text and f"| {weight:.2f} |" in text, tp
    for feature, beta in sample.CHURN_DRIVERS.items():
        assert f"| `{feature}` | {beta:+.2f} |" in text, feature


# --- phrases -------------------------------------------------------------------------------------------------

def test_every_phrase_names_its_own_aspect_and_no_other():
    for lang, spec in sample.load_phrases()["languages"].items():
        keywords = {a: v["keywords"] for a, v in spec["aspects"].items()}
        assert list(keywords) == list(sample.ASPECTS), lang
        for aspect, v in spec["aspects"].items():
            for sentiment in ("positive", "negative", "neutral"):
                assert v[sentiment], (lang, aspect, sentiment)
                for template in v[sentiment]:
                    for text in sample.expand_all(template):
                        low = text.lower()
                        found = {a for a, ks in keywords.items() if any(k in low for k in ks)}
                        assert found == {aspect}, (lang, text, found)
        generic = (spec["openers"] + sum(spec["closers"].values(), []) + sum(spec["negation"].values(), [])
                   + [t.format(email="", phone="", card="") for t in sum(spec["pii"].values(), [])])
        for text in generic:
            assert not any(k in text.lower() for ks in keywords.values() for k in ks), (lang, text)


def test_phrases_avoid_false_friends_and_russian_spelling_in_bulgarian():
    languages = sample.load_phrases()["languages"]
    everything = {lang: repr(spec) for lang, spec in languages.items()}
    assert "ожидани" not in everything["ru"] and "așteptări" not in everything["ro"]
    assert "սպասարկ" not in everything["hy"] and "reclamă" not in everything["ro"]
    assert "сервиз" not in everything["bg"] and not re.search("[ыэЫЭ]", everything["bg"])
    assert re.search("[şţŞŢ]", everything["ro"]) is None, "Romanian needs comma-below ș ț, not cedillas"
    for lang, spec in languages.items():
        for text in sum(spec["negation"].values(), []):
            assert any(n in text.lower() for n in spec["negators"]), (lang, text)


# --- mentions ------------------------------------------------------------------------------------------------

def test_mentions_cover_the_period_in_time_order_with_our_brand_largest_but_under_45_percent(mentions):
    assert mentions["id"].is_unique and mentions["created_at"].is_monotonic_increasing
    assert mentions["created_at"].min() >= pd.Timestamp(sample.PERIOD_START)
    assert mentions["created_at"].max() < pd.Timestamp(sample.PERIOD_END) + pd.Timedelta(days=1)
    assert mentions["created_at"].dt.to_period("M").nunique() == 18
    share = mentions["brand"].value_counts(normalize=True)
    assert share.index[0] == sample.OUR_BRAND and share.iloc[0] < 0.45
    assert set(share.index) == set(sample.BRANDS)


def test_language_mix_and_scripts_match_the_language(mentions):
    mix = mentions["language"].value_counts(normalize=True)
    for lang, expected in sample.LANGUAGE_SHARES.items():
        assert abs(mix[lang] - expected) < 0.03, (lang, mix[lang])
    by = {lang: g["text"] for lang, g in mentions.groupby("language")}
    assert by["hy"].str.contains(ARMENIAN).all()
    assert by["ru"].str.contains(CYRILLIC).all() and by["bg"].str.contains(CYRILLIC).all()
    assert not by["bg"].str.contains("[ыэЫЭ]").any()
    assert by["bg"].str.contains("ъ").mean() > 0.2
    assert by["ro"].str.contains("[ăâîșțĂÂÎȘȚ]").mean() > 0.7 and not by["ro"].str.contains("[şţ]").any()
    assert not by["en"].str.contains(CYRILLIC).any() and not by["en"].str.contains(ARMENIAN).any()


def test_our_brand_is_far_more_negative_and_louder_in_the_outage_week(mentions):
    dip = pd.Timestamp(sample.DIP_WEEK_START)
    ours = mentions[mentions["brand"] == sample.OUR_BRAND]
    before = ours[(ours["week"] >= dip - pd.Timedelta(weeks=8)) & (ours["week"] < dip)]
    during = ours[ours["week"] == dip]
    negative = lambda df: (df.loc[df["label"] != "", "label"] == "negative").mean()  # noqa: E731
    assert negative(during) > 0.6 and negative(during) > 2 * negative(before)
    assert len(during) > 2 * len(before) / 8
    about_outage = during["text"].str.lower().str.contains(keyword_pattern("phone_access") + "|"
                                                           + keyword_pattern("billing"))
    assert about_outage.mean() > 0.6


def test_weak_competitor_is_clearly_more_negative_on_the_weak_aspect(mentions):
    about = mentions[mentions["text"].str.lower().str.contains(keyword_pattern(sample.WEAK_ASPECT))
                     & (mentions["label"] != "")]
    negative = (about["label"] == "negative").groupby(about["brand"] == sample.WEAK_COMPETITOR).mean()
    assert negative[True] > 0.6 and negative[True] - negative[False] > 0.3


def test_brands_differ_in_baseline_net_sentiment_meridian_best_kvant_worst(mentions):
    labelled = mentions[mentions["label"] != ""]
    net = labelled.groupby("brand")["label"].apply(
        lambda s: ((s == "positive").sum() - (s == "negative").sum()) / (s != "neutral").sum())
    assert net.idxmax() == "Meridian" and net.idxmin() == "Kvant"


def test_duplicates_are_planted_at_their_shares_and_nowhere_else(mentions):
    n = len(mentions)
    exact = mentions["text"].duplicated()
    assert exact.sum() == round(sample.EXACT_DUPLICATE_SHARE * n)
    copies = mentions[mentions["text"].duplicated(keep=False)].groupby("text")
    assert (copies["author"].nunique() == copies.size()).all(), "a copy comes from another author"
    same_words = mentions["text"].map(fold).duplicated() & ~exact
    assert 0.005 * n < same_words.sum() <= sample.NEAR_DUPLICATE_SHARE * n
    truth = sample.make_mentions(truth=True)
    near = truth[truth["kind"] == "near_duplicate"]
    source = truth.set_index("id").loc[near["duplicate_of"], "text"].to_numpy()
    assert len(near) == round(sample.NEAR_DUPLICATE_SHARE * n) and (near["text"].to_numpy() != source).all()


def test_spam_comes_from_few_accounts_with_links_and_no_labels(mentions):
    spam = mentions[mentions["author"].isin(list(sample.SPAMMERS))]
    assert abs(len(spam) / len(mentions) - sample.SPAM_SHARE) < 0.002
    assert spam["author"].value_counts().min() >= 20
    assert spam["text"].str.contains("https://deals.example.net/").all()
    assert (spam["label"] == "").all() and (spam["rating"] == "").all()
    assert spam["text"].str.contains(r"(?i)promo|промокод|click|жми|!!!").mean() > 0.8


def test_fake_personal_data_and_html_are_present_for_redaction_tests(mentions):
    text = mentions["text"]
    email, phone = text.str.contains(EMAIL), text.str.contains(PHONE)
    assert 0.01 < email.mean() < 0.02 and 0.01 < phone.mean() < 0.02
    assert abs((email | phone).mean() - sample.PII_SHARE) < 0.005
    cards = [card for t in text for card in CARD.findall(t)]
    assert len(cards) >= sample.N_CARD_NUMBERS and set(cards) <= set(sample._TEST_CARDS)
    assert text.str.contains("<script>alert(1)</script>", regex=False).sum() >= 2
    assert text.str.contains("<b>", regex=False).sum() >= 2
    assert not text.str.contains(r"@(?!example\.)[\w-]+\.(?:com|org|net)\b").any(), "only reserved domains"


def test_labels_and_stars_follow_the_true_sentiment(mentions):
    labelled = mentions["label"] != ""
    assert abs(labelled.mean() - sample.LABEL_SHARE) < 0.02
    rated = mentions[mentions["rating"] != ""]
    assert 0.25 < len(rated) / len(mentions) < 0.35
    assert rated["channel"].isin(["review_site", "complaint_book"]).mean() > 0.8
    both = rated[rated["label"] != ""]
    low = both[both["rating"].astype(int) <= 2]
    assert (low["label"] == "negative").mean() > 0.85
    assert (both.loc[both["rating"].astype(int) >= 4, "label"] == "positive").mean() > 0.85


def test_volume_is_quieter_at_weekends_and_higher_in_december(mentions):
    ordinary = mentions[mentions["brand"] != sample.OUR_BRAND]
    by_weekday = ordinary["created_at"].dt.day_of_week.value_counts()
    assert by_weekday[[5, 6]].mean() < 0.9 * by_weekday[[0, 1, 2]].mean()
    by_month = ordinary["created_at"].dt.month.value_counts()
    assert by_month[12] > 1.2 * by_month[6]


# --- touchpoints and survey ----------------------------------------------------------------------------------

def test_touchpoint_map_lists_every_survey_rating_with_a_stage_and_the_noise_item(fresh, survey):
    tp = pd.read_csv(fresh / "touchpoints.csv")
    assert tp["touchpoint"].tolist() == TOUCHPOINT_NAMES == list(sample.DRIVER_WEIGHTS)
    assert list(survey.columns[7:]) == TOUCHPOINT_NAMES
    assert set(tp["stage"]) == {"before", "during", "after"}
    ease = set(tp.loc[tp["group"] == "ease of access", "touchpoint"])
    assert {"reached_first_call", "hold_time", "ease_of_finding_number", "evening_weekend_availability"} <= ease
    assert sample.DRIVER_WEIGHTS[sample.NOISE_TOUCHPOINT] == 0


def test_survey_not_applicable_is_coded_0_or_blank_at_the_planted_shares(survey):
    na = {t: ((survey[t] == 0) | survey[t].isna()).mean() for t in TOUCHPOINT_NAMES}
    assert 0.3 < na["delivery_on_time"] < 0.5 and 0.6 < na["complaint_handling"] < 0.8
    for t in sample.NA_TOUCHPOINTS:
        assert 0.02 < (survey[t] == 0).mean() < 0.07 and 0.02 < survey[t].isna().mean() < 0.07, t
    assert na["staff_politeness"] == 0
    values = survey[TOUCHPOINT_NAMES].to_numpy().ravel()
    assert set(values[~np.isnan(values)]) == {0, 1, 2, 3, 4, 5}


def test_survey_satisfaction_follows_the_top_driver_and_ignores_the_noise_touchpoint(survey):
    overall = survey["overall_satisfaction"]
    assert 3.6 < overall.mean() < 4.0 and set(overall) == {1, 2, 3, 4, 5}
    ratings = survey[TOUCHPOINT_NAMES].where(survey[TOUCHPOINT_NAMES] > 0)
    corr = ratings.corrwith(overall)
    assert corr.idxmax() == max(sample.DRIVER_WEIGHTS, key=sample.DRIVER_WEIGHTS.get) == "staff_politeness"
    assert abs(corr[sample.NOISE_TOUCHPOINT]) < 0.06
    # standardised OLS on mean-imputed ratings: the largest coefficient is the largest true weight
    x = ratings.fillna(ratings.mean())
    x = ((x - x.mean()) / x.std()).to_numpy()
    y = ((overall - overall.mean()) / overall.std()).to_numpy()
    beta = dict(zip(TOUCHPOINT_NAMES, np.linalg.lstsq(np.column_stack([np.ones(len(y)), x]), y, rcond=None)[0][1:]))
    assert max(beta, key=beta.get) == "staff_politeness" and abs(beta[sample.NOISE_TOUCHPOINT]) < 0.04
    assert survey["nps"].corr(overall) > 0.6


@pytest.mark.parametrize("seed", range(10))
def test_planted_effects_hold_for_seeds_0_to_9(seed):
    m = sample.make_mentions(seed=seed)
    week = m["created_at"].dt.to_period("W-SUN").dt.start_time
    dip = pd.Timestamp(sample.DIP_WEEK_START)
    ours = (m["brand"] == sample.OUR_BRAND) & m["label"].notna()
    negative = m["label"] == "negative"
    before = ours & (week >= dip - pd.Timedelta(weeks=8)) & (week < dip)
    assert negative[ours & (week == dip)].mean() - negative[before].mean() > 0.3
    about = m["text"].str.lower().str.contains(keyword_pattern(sample.WEAK_ASPECT)) & m["label"].notna()
    weak = about & (m["brand"] == sample.WEAK_COMPETITOR)
    assert negative[weak].mean() - negative[about & ~weak].mean() > 0.25
    s = sample.make_survey(seed=seed)
    ratings = s[TOUCHPOINT_NAMES].where(s[TOUCHPOINT_NAMES] > 0).astype(float)
    corr = ratings.corrwith(s["overall_satisfaction"].astype(float))
    assert corr.idxmax() == "staff_politeness" and abs(corr[sample.NOISE_TOUCHPOINT]) < 0.06
    c = sample.make_customers(seed=seed)
    churned = parse_yes_no(c["churned"]).astype(bool)
    m2m, rude = c["contract"] == "month-to-month", c["rude_staff_complaints"] > 0
    assert 0.20 < churned.mean() < 0.28
    assert churned[m2m].mean() - churned[~m2m].mean() > 0.1 and churned[rude].mean() - churned[~rude].mean() > 0.15


# --- customers -----------------------------------------------------------------------------------------------

def test_churn_rate_and_its_planted_drivers(customers):
    churned = parse_yes_no(customers["churned"]).astype(bool)
    assert 0.20 < churned.mean() < 0.27
    m2m = customers["contract"] == "month-to-month"
    assert churned[m2m].mean() > churned[~m2m].mean() + 0.10
    rude = customers["rude_staff_complaints"].astype(int) > 0
    assert churned[rude].mean() > churned[~rude].mean() + 0.15
    by_color = churned.groupby(customers["favourite_color"]).mean()
    assert by_color.max() - by_color.min() < 0.08


def test_logistic_fit_recovers_the_signs_of_the_churn_drivers(customers):
    # Newton-Raphson logistic regression on the features as the generator defines them (CHURN_SCALES)
    c = customers
    nps = pd.to_numeric(c["last_nps"], errors="coerce")
    feats = {
        "contract_month_to_month": (c["contract"] == "month-to-month").astype(float),
        "rude_staff_complaints": c["rude_staff_complaints"].astype(float),
        "tenure_months": c["tenure_months"].astype(float),
        "first_contact_resolution": parse_yes_no(c["first_contact_resolution"]).astype(float),
        "avg_resolution_hours": c["avg_resolution_hours"].astype(float),
        "last_nps": nps,
        "complaint_count": c["complaint_count"].astype(float),
    }
    cols = []
    for name, v in feats.items():
        if name in sample.CHURN_SCALES:
            center, scale = sample.CHURN_SCALES[name]
            v = ((v - center) / scale).fillna(0.0)
        cols.append(v.to_numpy())
    x = np.column_stack([np.ones(len(c)), *cols])
    y = parse_yes_no(c["churned"]).astype(float).to_numpy()
    beta = np.zeros(x.shape[1])
    for _ in range(25):
        p = 1 / (1 + np.exp(-x @ beta))
        beta += np.linalg.solve(x.T @ (x * (p * (1 - p))[:, None]), x.T @ (y - p))
    fitted = dict(zip(feats, beta[1:]))
    for name, true in sample.CHURN_DRIVERS.items():
        if abs(true) >= 0.35:
            assert np.sign(fitted[name]) == np.sign(true) and abs(fitted[name] - true) < 0.35, (name, fitted[name])
    assert abs(beta[0] - sample.CHURN_INTERCEPT) < 0.35


def test_total_revenue_is_text_with_a_space_exactly_where_tenure_is_zero(customers):
    zero = customers["tenure_months"].astype(int) == 0
    assert 10 < zero.sum() < 150
    assert ((customers["total_revenue"] == " ") == zero).all()
    total = customers.loc[~zero, "total_revenue"].astype(float)
    expected = customers.loc[~zero, "tenure_months"].astype(int) * customers.loc[~zero, "monthly_revenue"].astype(float)
    assert ((total / expected - 1).abs() < 0.15).all()


def test_customer_flags_use_mixed_spellings_that_the_schema_reads(customers):
    assert customers["churned"].nunique() >= 6 and customers["first_contact_resolution"].nunique() >= 6
    assert parse_yes_no(customers["first_contact_resolution"]).notna().all()
    assert 0.07 < (customers["last_nps"] == "").mean() < 0.13
    assert customers["tenure_months"].astype(int).between(0, 72).all()
