"""The aspect engine: pattern syntax, clauses, languages, exclusions, bad taxonomy files."""
from __future__ import annotations

import textwrap

import pandas as pd
import pytest

from cxlib import aspects
from cxlib.errors import CxDataError, CxParameterError


@pytest.fixture
def tax(tmp_path):
    path = tmp_path / "tax.yaml"
    path.write_text(textwrap.dedent("""\
        name: test
        aspects:
          price:
            label: Price and value
            patterns:
              en: [pric, "=cost", "value for money"]
              ro: [pret, scump]
          waiting:
            label: Waiting
            patterns:
              en: [queue, "wait"]
              ru: [очеред, ожидани]
            exclude:
              ru: ["ожидани не оправда"]
          billing:
            patterns:
              en: ["=bill", invoice, "re:double[- ]charg\\\\w*"]
        """), encoding="utf-8")
    return aspects.load_taxonomy(path)


def found(texts, languages, tax):
    return aspects.find_aspects(texts, languages, tax)[["doc", "aspect", "term"]].values.tolist()


def test_a_plain_pattern_is_a_word_prefix(tax):
    assert found(["Pricing is odd", "the surprice"], "en", tax) == [[0, "price", "Pricing"]]


def test_an_equals_pattern_is_a_whole_word_only(tax):
    assert found(["the cost", "costly", "a bill", "a billion"], "en", tax) == [[0, "price", "cost"],
                                                                               [2, "billing", "bill"]]


def test_a_phrase_matches_its_words_in_sequence(tax):
    assert found(["good value for money"], "en", tax) == [[0, "price", "value for money"]]
    assert found(["value and money"], "en", tax) == []


def test_a_raw_regex_pattern(tax):
    assert found(["They double-charged me"], "en", tax) == [[0, "billing", "double-charged"]]


def test_an_exclusion_wins_over_an_overlapping_pattern(tax):
    assert found(["Ожидания не оправдались", "Время ожидания 40 минут"], "ru", tax) == [[1, "waiting", "ожидания"]]


def test_texts_are_folded_so_diacritics_and_yo_do_not_matter(tax):
    assert found(["Prețul e bun", "Pretul e bun", "PREȚ SCĂZUT"], "ro", tax) == [
        [0, "price", "Prețul"], [1, "price", "Pretul"], [2, "price", "PREȚ"]]


def test_patterns_apply_to_their_own_language_and_all_apply_to_an_unknown_one(tax):
    assert found(["pret mic"], "ro", tax) == [[0, "price", "pret"]]
    assert found(["pret mic"], "en", tax) == []  # Romanian stem not used on an English text
    assert found(["pret mic", "long queue"], "und", tax) == [[0, "price", "pret"], [1, "waiting", "queue"]]


def test_each_aspect_counts_once_per_clause_and_clauses_split_on_but(tax):
    out = aspects.find_aspects(["Prices, prices, prices! Queue was short but the invoice was wrong"], "en", tax)
    assert out[["clause", "aspect"]].values.tolist() == [[0, "price"], [1, "waiting"], [2, "billing"]]
    assert out["clause_text"].tolist() == ["Prices, prices, prices!", "Queue was short",
                                           "but the invoice was wrong"]


def test_split_clauses_in_other_scripts():
    t = "Персонал вежливый, но очередь огромная. Ցածր գին, բայց երկար հերթ"
    assert [t[a:b] for a, b in aspects.split_clauses(t)] == ["Персонал вежливый,", "но очередь огромная.",
                                                              "Ցածր գին,", "բայց երկար հերթ"]


def test_aspect_flags_keep_the_series_index(tax):
    s = pd.Series(["queue", "invoice", ""], index=[10, 11, 12])
    flags = aspects.aspect_flags(s, "en", tax)
    assert flags.index.tolist() == [10, 11, 12]
    assert flags.to_dict("list") == {"price": [False] * 3, "waiting": [True, False, False],
                                     "billing": [False, True, False]}


def test_missing_values_and_empty_input(tax):
    assert aspects.find_aspects([None, float("nan"), ""], "en", tax).empty
    assert aspects.find_aspects([], "en", tax).columns.tolist() == ["doc", "clause", "aspect", "term", "start", "end",
                                                                     "clause_text"]


def test_languages_must_match_the_texts(tax):
    with pytest.raises(CxParameterError):
        aspects.find_aspects(["a", "b"], ["en"], tax)


def test_a_label_defaults_to_the_id(tax):
    assert tax.label("billing") == "billing" and tax.label("price") == "Price and value"


@pytest.mark.parametrize("body, where", [
    ("name: x\n", "aspects"),
    ("aspects:\n  price: {label: P}\n", "aspects.price"),
    ("aspects:\n  price: {patterns: {en: 3.5}}\n", "aspects.price.patterns.en"),
    ("aspects:\n  price: {patterns: {en: ['re:(unclosed']}}\n", "aspects.price.patterns.en"),
    ("aspects: [\n", None),
])
def test_a_bad_taxonomy_file_is_one_clear_error_naming_the_file(tmp_path, body, where):
    path = tmp_path / "bad.yaml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(CxDataError) as exc:
        aspects.load_taxonomy(path)
    assert "bad.yaml" in str(exc.value)
    if where:
        assert where in str(exc.value)


def test_an_unknown_taxonomy_name_is_a_parameter_error():
    with pytest.raises(CxParameterError):
        aspects.load_taxonomy("no_such_taxonomy.yaml")


def test_an_edited_taxonomy_file_is_read_again(tmp_path):
    path = tmp_path / "t.yaml"
    path.write_text("aspects:\n  price: {patterns: {en: [pric]}}\n", encoding="utf-8")
    assert aspects.load_taxonomy(path).aspects == ("price",)
    import os
    import time
    path.write_text("aspects:\n  price: {patterns: {en: [pric]}}\n  staff: {patterns: {en: [staff]}}\n",
                    encoding="utf-8")
    os.utime(path, ns=(time.time_ns() + 10**9, time.time_ns() + 10**9))
    assert aspects.load_taxonomy(path).aspects == ("price", "staff")


def test_fold_keeps_the_length_so_offsets_carry_over():
    s = "Ёлка ȘȚĂÎÂ reclamație"
    assert len(aspects.fold(s)) == len(s)


def test_stretched_letters_do_not_hide_an_aspect(tax):
    out = aspects.find_aspects(["Priiiiices are crazy", "ok, Очеееередь"], ["en", "ru"], tax)
    assert out[["doc", "aspect", "term"]].values.tolist() == [[0, "price", "Priiiiices"], [1, "waiting", "Очеееередь"]]
