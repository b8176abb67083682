"""Unit tests of cxlib.scale: the sentiment index on Dask gives the in-memory index's numbers.

The committed sample (``data/sample/mentions.csv``, 20,000 mentions) is written as partitioned Parquet and CSV in
a temporary folder; the reference is :func:`cxlib.sentiment.sentiment_index` on the same rows in memory, with the
same fitted lexicon scorer (fitted on the sample's labels, so its confusion-matrix correction and model error
take part). Sums over partitions add up in another order than in memory: equal to floating-point tolerance.
"""
from __future__ import annotations

import os
import signal
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

pytest.importorskip("dask.dataframe")
distributed = pytest.importorskip("distributed")

from cxlib import io, sample, scale, sentiment  # noqa: E402
from cxlib.errors import CxDataError, CxParameterError  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
PARTS = 4


@pytest.fixture(scope="module")
def mentions() -> pd.DataFrame:
    return io.read_table(ROOT / "data" / "sample" / "mentions.csv")


@pytest.fixture(scope="module")
def scorer(mentions) -> sentiment.SentimentScorer:
    return sentiment.make_scorer("lexicon").fit(mentions["text"], sentiment.training_labels(mentions),
                                                languages=mentions["language"])


@pytest.fixture(scope="module")
def files(mentions, tmp_path_factory) -> Path:
    """The sample as part-0..3.parquet and part-0..3.csv."""
    folder = tmp_path_factory.mktemp("partitioned")
    for k, rows in enumerate(np.array_split(np.arange(len(mentions)), PARTS)):
        mentions.iloc[rows].to_parquet(folder / f"part-{k}.parquet", index=False)
        mentions.iloc[rows].to_csv(folder / f"part-{k}.csv", index=False)
    return folder


@pytest.fixture(scope="module")
def expected(mentions, scorer) -> pd.DataFrame:
    return sentiment.sentiment_index(mentions, scorer)


def assert_same_index(got: pd.DataFrame, want: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(got, want, check_exact=False, rtol=1e-9, atol=1e-12)
    assert got.attrs == want.attrs
    assert want["n"].sum() == 20000 and want.attrs["corrected_languages"], "the check must cover the correction"


def test_dask_on_a_local_cluster_gives_the_in_memory_index_for_parquet_and_csv(files, scorer, expected):
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None) \
            as cluster, distributed.Client(cluster) as client:
        assert_same_index(scale.sentiment_index(str(files / "*.parquet"), scorer, scheduler=client), expected)
        assert_same_index(scale.sentiment_index(sorted(files.glob("*.csv")), scorer, scheduler=client), expected)
        assert client.status == "running", "a Client given by the caller is left open"
    assert scorer.n_jobs is None, "the caller's scorer is not changed"


def test_scheduler_none_reads_the_files_in_pieces_with_pandas_and_gives_the_same_index(files, scorer, expected,
                                                                                       monkeypatch):
    monkeypatch.setattr(scale, "CHUNK_ROWS", 2_000)  # several pieces per file: the sums must still add up
    assert_same_index(scale.sentiment_index(str(files / "*.parquet"), scorer, scheduler=None), expected)


def test_extra_keywords_of_the_in_memory_index_work_the_same(mentions, scorer, tmp_path):
    scored = sentiment.score_mentions(mentions, scorer)
    for k, rows in enumerate(np.array_split(np.arange(len(scored)), 3)):
        scored.iloc[rows].to_parquet(tmp_path / f"scored-{k}.parquet", index=False)
    options = dict(by=("channel",), denominator="all", weight="reach", min_mentions=10, correct=False,
                   confidence=0.9)
    want = sentiment.sentiment_index(scored, scorer, "M", **options)
    got = scale.sentiment_index(str(tmp_path / "*.parquet"), scorer, "M", scheduler=None, **options)
    pd.testing.assert_frame_equal(got, want, check_exact=False, rtol=1e-9, atol=1e-12)
    assert got.attrs == want.attrs and "channel" in got and got.attrs["weight"] == "reach"


def test_column_mapping_and_filters_apply_on_every_partition_as_in_memory(mentions, scorer, tmp_path):
    """Files with the analyst's own column names, a brand, date and language selection: the index of the
    in-memory path on the same mentions, renamed and selected there (on Dask and in one process)."""
    theirs = {"text": "Message", "created_at": "Post date", "brand": "Brand", "language": "Lang"}
    renamed = mentions.rename(columns=theirs)
    for k, rows in enumerate(np.array_split(np.arange(len(renamed)), 3)):
        renamed.iloc[rows].to_parquet(tmp_path / f"part-{k}.parquet", index=False)
        renamed.iloc[rows].to_csv(tmp_path / f"part-{k}.csv", index=False)
    columns = {v: k for k, v in theirs.items()}
    chosen = dict(brands=[sample.OUR_BRAND, "Kvant"], start="2025-01-01", end="2025-06-30", languages=["en", "ru"])
    selected = sentiment.select_mentions(mentions, **chosen)
    assert 0 < len(selected) < len(mentions) / 4, "the selection must leave some mentions out and keep some"
    want = sentiment.sentiment_index(selected, scorer)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None) \
            as cluster, distributed.Client(cluster) as client:
        got = scale.sentiment_index(str(tmp_path / "*.parquet"), scorer, scheduler=client, columns=columns, **chosen)
    pd.testing.assert_frame_equal(got, want, check_exact=False, rtol=1e-9, atol=1e-12)
    assert got.attrs == want.attrs
    assert set(got["brand"]) == {sample.OUR_BRAND, "Kvant"} and got["n"].sum() == len(selected)
    got = scale.sentiment_index(str(tmp_path / "*.csv"), scorer, scheduler=None, columns=columns, **chosen)
    pd.testing.assert_frame_equal(got, want, check_exact=False, rtol=1e-9, atol=1e-12)
    # a mapped name the files lack, and brands that never occur, are data errors naming what to fix
    with pytest.raises(CxDataError, match=r"part-0\.csv: column 'Mesage' named in the column mapping.*'Message'"):
        scale.sentiment_index(str(tmp_path / "*.csv"), scorer, scheduler=None, columns={"Mesage": "text"})
    with pytest.raises(CxDataError, match=r"has no mention of the selection \(brands Nobody\)"):
        scale.sentiment_index(str(tmp_path / "*.csv"), scorer, scheduler=None, columns=columns, brands=["Nobody"])


class KillOnce(distributed.WorkerPlugin):
    """Kills its worker process (SIGKILL, no goodbye) when the first partition task starts, once per cluster."""

    def __init__(self, marker: str) -> None:
        self.marker = marker

    def transition(self, key, start, finish, **kwargs) -> None:
        if finish == "executing" and "partition_aggregates" in str(key):
            try:
                fd = os.open(self.marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
            except FileExistsError:
                return
            os.write(fd, str(os.getpid()).encode())
            os.close(fd)
            os.kill(os.getpid(), signal.SIGKILL)


def test_a_worker_killed_mid_run_does_not_change_the_result(files, scorer, expected, tmp_path):
    marker = tmp_path / "killed"
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) \
            as cluster, distributed.Client(cluster) as client:
        client.register_plugin(KillOnce(str(marker)))
        got = scale.sentiment_index(str(files / "*.parquet"), scorer, scheduler=client)
        alive = set(client.run(os.getpid).values())
    assert marker.exists(), "no worker was killed: the test did not test anything"
    assert int(marker.read_text()) not in alive, "the killed worker was replaced"
    assert_same_index(got, expected)


def test_a_glob_that_matches_nothing_is_a_data_error_naming_the_glob(scorer, tmp_path):
    pattern = str(tmp_path / "nothing" / "*.parquet")
    with pytest.raises(CxDataError, match="matches no file") as err:
        scale.sentiment_index(pattern, scorer, scheduler=None)
    assert pattern in str(err.value)


def test_a_missing_column_is_a_data_error_naming_the_file_and_column(mentions, scorer, tmp_path):
    mentions.iloc[:100].to_parquet(tmp_path / "a.parquet", index=False)
    mentions.iloc[100:200].drop(columns="brand").to_parquet(tmp_path / "b.parquet", index=False)
    with pytest.raises(CxDataError, match=r"b\.parquet: column 'brand' is missing"):
        scale.sentiment_index(str(tmp_path / "*.parquet"), scorer, scheduler=None)
    with pytest.raises(CxDataError, match=r"column 'channel' is missing.*leave 'channel' out of by="):
        mentions.iloc[:100].drop(columns="channel").to_csv(tmp_path / "c.csv", index=False)
        scale.sentiment_index(str(tmp_path / "c.csv"), scorer, by=("channel",), scheduler=None)


def test_an_unfitted_scorer_and_an_unknown_scheduler_are_refused_with_the_rule(files, scorer):
    with pytest.raises(CxParameterError, match="'scorer' parameter of scale.sentiment_index must be a fitted"):
        scale.sentiment_index(str(files / "*.parquet"), sentiment.make_scorer("lexicon"), scheduler=None)
    with pytest.raises(CxParameterError, match="'scheduler' parameter of scale.sentiment_index"):
        scale.sentiment_index(str(files / "*.parquet"), scorer, scheduler="threads")
    with pytest.raises(CxParameterError, match="'denominator'"):
        scale.sentiment_index(str(files / "*.parquet"), scorer, denominator="net", scheduler=None)


def test_the_benchmark_set_is_the_same_for_any_number_of_processes(tmp_path):
    one = sample.write_mentions_set(tmp_path / "one", 3000, seed=5, partition_rows=1000, pool_size=1500, workers=1)
    two = sample.write_mentions_set(tmp_path / "two", 3000, seed=5, partition_rows=1000, pool_size=1500, workers=2)
    a = pd.concat([pd.read_parquet(f) for f in one], ignore_index=True)
    b = pd.concat([pd.read_parquet(f) for f in two], ignore_index=True)
    pd.testing.assert_frame_equal(a, b)
    assert len(a) == 3000 and a["id"].is_unique and list(a.columns) == list(sample.make_mentions(300).columns)
    # texts come from the pool (a pool cell this small may lack a language x aspect x sentiment x brand: composed)
    assert a["text"].isin(set(sample.text_pool(1500, seed=5)["text"])).mean() > 0.9
    assert abs(a["label"].notna().mean() - sample.LABEL_SHARE) < 0.03


def test_the_swot_on_dask_gives_the_in_memory_table(mentions, files, scorer):
    """Same table, quotes included, from Parquet partitions on a cluster (scheduler=None shares the partition code)."""
    from cxlib import swot

    want = swot.swot_table(mentions, sample.OUR_BRAND, scorer=scorer, window="6M")
    assert ((want["brand"] == sample.WEAK_COMPETITOR) & (want["aspect"] == sample.WEAK_ASPECT)).any()
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None) \
            as cluster, distributed.Client(cluster) as client:
        got = scale.swot_table(str(files / "*.parquet"), sample.OUR_BRAND, scorer, window="6M", scheduler=client)
    pd.testing.assert_frame_equal(got, want, check_exact=False, rtol=1e-9)
    pd.testing.assert_frame_equal(got.attrs["current"], want.attrs["current"], check_exact=False, rtol=1e-9)


def test_the_swot_on_dask_maps_columns_and_selects_mentions_as_in_memory(mentions, scorer, tmp_path):
    """Parts with the analyst's column names, a date, language and brand selection: the in-memory table of the
    selected mentions (the last day of the windows read from the selected mentions too)."""
    from cxlib import swot

    theirs = {"text": "Message", "created_at": "Post date", "brand": "Brand", "language": "Lang"}
    for k, rows in enumerate(np.array_split(np.arange(len(mentions)), 3)):
        mentions.iloc[rows].rename(columns=theirs).to_csv(tmp_path / f"part-{k}.csv", index=False)
    columns = {v: k for k, v in theirs.items()}
    rivals = [sample.WEAK_COMPETITOR]
    selected = sentiment.select_mentions(mentions, [sample.OUR_BRAND, *rivals], "2024-06-01", None, ["en", "ru", "ro"])
    want = swot.swot_table(selected, sample.OUR_BRAND, rivals, scorer=scorer, window="6M")
    assert set(want["brand"]) == {sample.OUR_BRAND, *rivals}
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None) \
            as cluster, distributed.Client(cluster) as client:
        got = scale.swot_table(str(tmp_path / "*.csv"), sample.OUR_BRAND, scorer, rivals, window="6M",
                               scheduler=client, columns=columns, start="2024-06-01", languages=["en", "ru", "ro"])
    pd.testing.assert_frame_equal(got, want, check_exact=False, rtol=1e-9)
    pd.testing.assert_frame_equal(got.attrs["current"], want.attrs["current"], check_exact=False, rtol=1e-9)
    got = scale.swot_table(str(tmp_path / "*.csv"), sample.OUR_BRAND, scorer, rivals, window="6M", scheduler=None,
                           columns=columns, start="2024-06-01", languages=["en", "ru", "ro"])
    pd.testing.assert_frame_equal(got, want, check_exact=False, rtol=1e-9)


def test_the_swot_on_dask_needs_a_fitted_scorer(files):
    with pytest.raises(CxParameterError, match="fitted"):
        scale.swot_table(str(files / "*.parquet"), sample.OUR_BRAND, sentiment.make_scorer("auto"), scheduler=None)


def test_load_mentions_reads_the_whole_file_or_a_validated_sample_of_the_parts(files, mentions):
    whole = scale.load_mentions(ROOT / "data" / "sample" / "mentions.csv")
    assert len(whole) == len(mentions)
    part = scale.load_mentions(str(files / "*.parquet"), None, scheduler="local",
                               sample_rows=1234)
    assert len(part) == 1234 and pd.api.types.is_datetime64_any_dtype(part["created_at"])
    renamed = scale.load_mentions(str(files / "*.parquet"), {"brand": "brand"}, scheduler="local", sample_rows=10)
    assert list(renamed.columns) == list(part.columns)
