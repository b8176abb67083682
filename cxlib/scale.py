"""Scale out: the sentiment index over partitioned Parquet or CSV files on Dask, in bounded memory.

:func:`sentiment_index` gives the columns and the numbers of :func:`cxlib.sentiment.sentiment_index` (floating-point
rounding apart) for data that does not fit one process. It runs the two halves of the in-memory index:

1. per partition (a Parquet row group, a CSV file), on the workers: score the mentions with the fitted
   scorer (:func:`cxlib.sentiment.score_mentions`, in slices of :data:`SCORE_ROWS` so memory stays bounded) and
   sum them per brand x period x ``by`` x language (:func:`cxlib.sentiment.index_aggregates`);
2. on the client: add the partitions' sums up (:func:`cxlib.sentiment.combine_aggregates`) and finish the index
   with the same function as the in-memory path (:func:`cxlib.sentiment.index_from_aggregates`): the
   confusion-matrix correction, intervals, share of voice, low_volume and complete.

The scorer travels once to the cluster (one ``dask.delayed`` node that every partition task depends on) and is
used there with one process per worker (``n_jobs=1``): Dask's workers are the parallelism. Dask and distributed
are optional (``pip install -e '.[scale]'``) and imported only here, inside the functions that need them.

Examples
--------
>>> from cxlib import scale, sentiment  # doctest: +SKIP
>>> scorer = sentiment.load_scorer("models/sentiment.joblib")  # doctest: +SKIP
>>> index = scale.sentiment_index("exports/mentions/*.parquet", scorer, freq="W")  # doctest: +SKIP
"""
from __future__ import annotations

import contextlib
import copy
import csv
import glob
import io as _io
import os
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from cxlib.errors import CxDataError, CxParameterError
from cxlib.sentiment import (LABELS, SentimentScorer, _check_index_options, combine_aggregates, index_aggregates,
                             index_from_aggregates, load_scorer, score_mentions)

__all__ = ["sentiment_index", "swot_table", "read_sample", "load_mentions", "find_files", "SCORE_ROWS"]

#: Mentions scored at once inside a partition: bounds the scorer's working memory (features of these texts).
SCORE_ROWS = 50_000
#: Rows per chunk when ``scheduler=None`` reads a Parquet file (its row groups, in slices of this size).
CHUNK_ROWS = 250_000
_WHERE = "scale.sentiment_index"
_PARQUET = (".parquet", ".parq", ".pq")
_CSV = (".csv", ".tsv", ".txt")


# --- files ------------------------------------------------------------------------------------------------------

def find_files(paths: str | os.PathLike | Sequence[str | os.PathLike]) -> list[Path]:
    """The files a glob (or a list of globs and paths) names, sorted; a folder stands for the files in it.

    Raises a :class:`CxDataError` naming the glob when it matches nothing, and when Parquet and CSV are mixed.

    Examples
    --------
    >>> find_files("no/such/dir/*.parquet")
    Traceback (most recent call last):
    ...
    cxlib.errors.CxDataError: no/such/dir/*.parquet: matches no file. Fix: check the folder and the pattern (e.g. 'exports/mentions/*.parquet'); relative paths start at the working directory or the project root
    """
    from cxlib.io import resolve_path

    items = [paths] if isinstance(paths, (str, os.PathLike)) else list(paths)
    if not items:
        raise CxParameterError("paths", _WHERE, "a glob, a path or a list of them", paths)
    files: list[Path] = []
    for item in items:
        text = os.path.expanduser(str(item))
        root = text if os.path.isabs(text) or glob.glob(text) or os.path.exists(text) else str(resolve_path(text))
        if os.path.isdir(root):
            root = os.path.join(root, "*")
        found = sorted(Path(p).resolve() for p in glob.glob(root, recursive=True) if os.path.isfile(p)
                       and p.lower().endswith(_PARQUET + _CSV))
        if not found:
            raise CxDataError(str(item), None, "matches no file", reason="missing_file",
                              hint="check the folder and the pattern (e.g. 'exports/mentions/*.parquet'); relative "
                              "paths start at the working directory or the project root")
        files += [f for f in found if f not in files]
    kinds = {_kind(f) for f in files}
    if len(kinds) > 1:
        raise CxDataError(str(paths), None, "mixes Parquet and CSV files", examples=[f.name for f in files[:5]],
                          hint="convert them to one format or give the two sets one after the other")
    return files


def _kind(path: Path) -> str:
    return "parquet" if path.suffix.lower() in _PARQUET else "csv"


def _csv_header(path: Path) -> tuple[list[str], str, str]:
    """Column names, encoding and delimiter of a CSV file, from its first megabyte."""
    from cxlib.io import _sniff_delimiter, detect_encoding

    with open(path, "rb") as f:
        raw = f.read(1_000_000)
    encoding = detect_encoding(raw, partial=len(raw) == 1_000_000)
    text = raw.decode(encoding, errors="replace")
    sep = "\t" if path.suffix.lower() == ".tsv" else _sniff_delimiter("\n".join(text.splitlines()[:50]))
    header = next(csv.reader(_io.StringIO(text), delimiter=sep), [])
    return [h.strip() for h in header], encoding, sep


def _columns(path: Path) -> list[str]:
    if _kind(path) == "parquet":
        import pyarrow.parquet as pq

        try:
            return list(pq.read_schema(path).names)
        except Exception as exc:  # noqa: BLE001 - any reader failure is one readable data error
            raise CxDataError(path.name, None, f"could not be read as Parquet ({type(exc).__name__})",
                              hint="write it again, e.g. with DataFrame.to_parquet", reason="bad_file") from None
    return _csv_header(path)[0]


def _renamed_columns(path: Path, columns: dict | None) -> list[str]:
    """A file's column names after the analyst's mapping ``{their_name: our_name}`` (a mapped name the file
    lacks is an error naming the file, with the closest names)."""
    from cxlib.io import rename_columns

    raw = _columns(path)
    if not columns:
        return raw
    return list(rename_columns(pd.DataFrame(columns=raw), columns, source=path.name).columns)


def _raw_names(names: list[str], columns: dict | None) -> list[str]:
    """The files' own names of cxlib's column names ``names`` (the mapping read backwards)."""
    theirs = {ours: their for their, ours in (columns or {}).items()}
    return [theirs.get(c, c) for c in names]


def _needed_columns(files: list[Path], by: Sequence[str], weight: str | None, columns: dict | None = None
                    ) -> list[str]:
    """The columns the index reads (cxlib's names, after the mapping ``columns``), checked in every file (a
    missing one names the file and the column)."""
    needed: list[str] | None = None
    for f in files:
        cols = _renamed_columns(f, columns)
        scored = all(c in cols for c in LABELS)
        labelled = "sentiment" in cols
        required = ["created_at", "brand", *by] + ([] if scored or labelled else ["text"])
        missing = [c for c in required if c not in cols]
        if missing:
            raise CxDataError(f.name, missing[0], f"is missing: the index needs {', '.join(required)}",
                              reason="missing_column",
                              hint=f"leave {missing[0]!r} out of by=" if missing[0] in by else
                              f"map the files' own name with columns={{'Their name': {missing[0]!r}}}, or write "
                              "the files with cxlib's column names (created_at, brand, text, optional language)")
        optional = ["language"] + (["reach"] if weight == "reach" else []) + \
            (list(LABELS) if scored else ["sentiment"] + ([] if "language" in cols else ["text"]) if labelled else [])
        wanted = list(dict.fromkeys(required + [c for c in optional if c in cols]))
        needed = wanted if needed is None else [c for c in needed if c in wanted]
    return needed or []


def _read_csv(path: Path, keep: list[str], names: list[str] | None = None) -> pd.DataFrame:
    """One CSV file as the in-memory path reads it (:func:`cxlib.io.read_table`), with only the columns ``keep``
    (the file's names), renamed ``names`` (cxlib's) when given."""
    from cxlib.io import read_table

    return _named(read_table(path)[keep], names)


def _named(frame: pd.DataFrame, names: list[str] | None) -> pd.DataFrame:
    if names is not None:
        frame.columns = names
    return frame


def _row_groups(path: Path) -> int:
    import pyarrow.parquet as pq

    return max(1, pq.ParquetFile(path).num_row_groups)


def _read_row_group(piece: tuple[str, int], keep: list[str], names: list[str] | None = None) -> pd.DataFrame:
    """One row group of a Parquet file, only the columns ``keep``, as pandas reads it (object strings), renamed
    ``names`` when given."""
    import pyarrow.parquet as pq

    path, group = piece
    f = pq.ParquetFile(path)
    if f.num_row_groups == 0:
        return _named(f.schema_arrow.empty_table().select(keep).to_pandas(), names)
    return _named(f.read_row_group(group, columns=keep).to_pandas(), names)


def _chunks(files: list[Path], columns: list[str], names: list[str] | None = None) -> Iterator[pd.DataFrame]:
    """The files in pieces of bounded size, one process: Parquet by row groups, CSV one file at a time; only the
    columns ``columns`` (the files' names), renamed ``names`` when given."""
    import pyarrow.parquet as pq

    for f in files:
        if _kind(f) == "csv":
            yield _read_csv(f, columns, names)
            continue
        for batch in pq.ParquetFile(f).iter_batches(batch_size=CHUNK_ROWS, columns=columns):
            yield _named(batch.to_pandas(), names)


# --- the work of one partition -----------------------------------------------------------------------------------

def partition_aggregates(part: pd.DataFrame, scorer: SentimentScorer | None, freq: str = "W",
                         by: Sequence[str] = (), weight: str | None = None,
                         select: dict | None = None) -> pd.DataFrame:
    """Score one partition of mentions (in slices of :data:`SCORE_ROWS`) and sum it per key and language;
    ``select``: only the mentions of :func:`cxlib.sentiment.select_mentions` with these keywords (``brands``,
    ``start``, ``end``, ``languages``), chosen before scoring.

    Examples
    --------
    >>> part = pd.DataFrame({"created_at": ["2025-03-10"] * 2, "brand": "A", "language": "en",
    ...                      "sentiment": ["positive", "negative"]})
    >>> partition_aggregates(part, None)[["brand", "_lang", "_n", "_positive"]].values.tolist()
    [['A', 'en', 2.0, 1.0]]
    """
    if select:
        part = _selected(part, **select)
        if part.empty:  # nothing of this partition is asked for (another period, other brands)
            return _meta(by)
    if len(part) > SCORE_ROWS and not all(c in part for c in LABELS):
        pieces = [partition_aggregates(part.iloc[a: a + SCORE_ROWS], scorer, freq, by, weight)
                  for a in range(0, len(part), SCORE_ROWS)]
        return combine_aggregates(pieces) if any(len(p) for p in pieces) else pieces[0]
    scored = part if all(c in part for c in LABELS) else score_mentions(part, scorer)
    return index_aggregates(scored, freq, by=by, weight=weight)


def _selected(part: pd.DataFrame, brands: Sequence[str] = (), start: str | None = None, end: str | None = None,
              languages: Sequence[str] = ()) -> pd.DataFrame:
    """:func:`cxlib.sentiment.select_mentions` on one partition: a partition without the brands asked for is
    simply empty here (a selection that leaves no mention in any partition is one error of the caller's)."""
    from cxlib.sentiment import select_mentions

    part = select_mentions(part, (), start, end, languages)
    return part[part["brand"].astype(str).isin([str(b) for b in brands])] if brands else part


def _meta(by: Sequence[str]) -> pd.DataFrame:
    columns = {"brand": "object", "period": "datetime64[ns]", **{b: "object" for b in by}, "_lang": "object",
               **{c: "float64" for c in ("_n", "_w", "_w2", "_negative", "_neutral", "_positive")},
               "_first": "datetime64[ns]", "_last": "datetime64[ns]"}
    return pd.DataFrame({c: pd.Series(dtype=t) for c, t in columns.items()})


# --- schedulers ----------------------------------------------------------------------------------------------------

def _cores() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # macOS, Windows
        return max(1, os.cpu_count() or 1)


@contextlib.contextmanager
def _client(scheduler: Any) -> Iterator[Any]:
    """A dask.distributed Client for ``scheduler``; what this function starts, it closes."""
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError:
        raise CxParameterError("scheduler", _WHERE, "None (pandas in one process) unless Dask is installed",
                               scheduler, hint="Install it with pip install -e '.[scale]'.") from None
    if isinstance(scheduler, Client):
        yield scheduler
    elif scheduler == "local":
        # one single-threaded worker process per core: scoring is Python code that holds the GIL
        with LocalCluster(n_workers=_cores(), threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
                Client(cluster, set_as_default=False) as client:
            yield client
    elif isinstance(scheduler, str) and "://" in scheduler:
        with Client(scheduler, set_as_default=False) as client:
            yield client
    else:
        raise CxParameterError("scheduler", _WHERE, "None, 'local', a scheduler address such as "
                               "'tcp://scheduler:8786' or a dask.distributed.Client", scheduler)


def _dask_aggregates(files: list[Path], columns: list[str], scorer: SentimentScorer | None, freq: str,
                     by: Sequence[str], weight: str | None, client: Any, names: list[str] | None = None,
                     select: dict | None = None) -> pd.DataFrame:
    import dask
    import dask.dataframe as dd

    # object columns, as pandas reads them in the in-memory path (not pyarrow strings: "nan" vs "<NA>" labels)
    with dask.config.set({"dataframe.convert-string": False}):
        if _kind(files[0]) == "parquet":
            # one partition per row group, read with only the needed columns (dd.read_parquet would fuse several
            # files into one partition after the column projection: fewer, larger tasks, more memory per worker)
            pieces = [(str(f), k) for f in files for k in range(_row_groups(f))]
            mentions = dd.from_map(_read_row_group, pieces, args=(columns, names),
                                   meta=pd.DataFrame({c: pd.Series(dtype=object) for c in names or columns}))
        else:
            mentions = dd.from_map(_read_csv, files, args=(columns, names),
                                   meta=pd.DataFrame({c: pd.Series(dtype=object) for c in names or columns}))
        # the scorer once in the graph: every partition task depends on this one node, so it is pickled once and
        # each worker fetches it once (n_jobs=1: the workers are the parallelism, no process pools inside them)
        shipped = dask.delayed(_single_process(scorer), pure=False)
        parts = mentions.map_partitions(partition_aggregates, shipped, freq, tuple(by), weight, select,
                                        meta=_meta(by), enforce_metadata=False)
        pieces = client.compute(parts, sync=True)
    return combine_aggregates([pieces])


def _single_process(scorer: SentimentScorer | None) -> SentimentScorer | None:
    if scorer is None:
        return None
    one = copy.copy(scorer)  # shallow: the models are shared, the caller's n_jobs is left alone
    one.n_jobs = 1
    return one


# --- the index ---------------------------------------------------------------------------------------------------

def sentiment_index(paths: str | os.PathLike | Sequence[str | os.PathLike], scorer: SentimentScorer | str | None,
                    freq: str = "W", scheduler: Any = "local", *, by: Sequence[str] = (), denominator: str = "polar",
                    weight: str | None = None, min_mentions: int = 30, correct: bool = True,
                    confidence: float = 0.95, columns: dict | None = None, brands: Sequence[str] = (),
                    start: str | None = None, end: str | None = None,
                    languages: Sequence[str] = ()) -> pd.DataFrame:
    """Net sentiment per brand x period over partitioned files, on Dask: the in-memory index's columns and numbers.

    Parameters
    ----------
    paths : a glob (``"exports/mentions/*.parquet"``), a folder, a path, or a list of them; Parquet or CSV files
        with the mentions' columns (``created_at``, ``brand``, ``text``, optional ``language``, ``reach`` and the
        ``by`` columns). A Parquet row group or a CSV file is the unit of work: keep CSV files to a few hundred
        thousand rows each (or convert to Parquet), since a worker reads one whole CSV file at a time.
    scorer : a fitted :class:`cxlib.sentiment.SentimentScorer` (or the path of a saved one): it is not fitted
        here, since fitting needs all the labels in one place. Fit it on a labelled sample, save it, pass it.
        May be None when the files carry ``sentiment`` labels or ``negative``/``neutral``/``positive``.
    freq : "D", "W" (weeks from Monday), "M" or "Q"
    scheduler : None (pandas in one process, the files read in pieces one after the other), "local" (a Dask
        LocalCluster with one single-threaded worker process per core, closed afterwards), the address of a
        running scheduler (``"tcp://scheduler:8786"``), or a ``dask.distributed.Client`` (left open).
    by, denominator, weight, min_mentions, correct, confidence : as in :func:`cxlib.sentiment.sentiment_index`
    columns : ``{their_name: our_name}``, the files' column names mapped to cxlib's (as in :func:`cxlib.io.load`),
        applied to every file and partition
    brands, start, end, languages : only these mentions count, as :func:`cxlib.sentiment.select_mentions` chooses
        them in memory (brands as written in the brand column, dates inclusive by day, language codes); applied on
        every partition before scoring. Duplicate and spam flags need all mentions in one place: they are not
        applied here.

    Returns
    -------
    DataFrame: brand, period, [by ...], n, net_sentiment, ci_low, ci_high, share_of_voice, negative, neutral,
    positive, low_volume, complete, with ``attrs``: exactly what :func:`cxlib.sentiment.sentiment_index` returns on
    the same mentions read into memory, up to floating-point rounding of the sums (about 1e-12). The language of
    a mention is its ``language`` column; only blank ones are detected (as in the in-memory path).

    Raises
    ------
    CxDataError : the glob matches no file, a file lacks a needed column (both named)
    CxParameterError : an unfitted scorer, an unknown scheduler, the options of the in-memory index

    Examples
    --------
    >>> from cxlib import sentiment  # doctest: +SKIP
    >>> scorer = sentiment.load_scorer("models/sentiment.joblib")  # doctest: +SKIP
    >>> sentiment_index("exports/mentions/*.parquet", scorer, scheduler="tcp://scheduler:8786")  # doctest: +SKIP
    """
    _check_index_options(denominator, weight, confidence, _WHERE)
    by = tuple([by] if isinstance(by, str) else by)
    from cxlib.sentiment import period_start

    period_start(pd.Series([], dtype="datetime64[ns]"), freq)  # an unknown freq fails here, before any work
    files = find_files(paths)
    select = {k: v for k, v in dict(brands=tuple(brands or ()), start=start or None, end=end or None,
                                    languages=tuple(languages or ())).items() if v}
    names = _needed_columns(files, by, weight, columns)
    raw = _raw_names(names, columns)
    if isinstance(scorer, (str, os.PathLike)):
        scorer = load_scorer(scorer)
    needs_scorer = not all(c in names for c in LABELS) and "sentiment" not in names
    if scorer is not None and not isinstance(scorer, SentimentScorer):
        raise CxParameterError("scorer", _WHERE, "a fitted cxlib.sentiment.SentimentScorer or the path of a saved "
                               "one", type(scorer).__name__)
    if needs_scorer and (scorer is None or not scorer.used_):
        raise CxParameterError("scorer", _WHERE, "a fitted SentimentScorer (fitting needs all labels in one place)",
                               scorer, hint="Fit one on a labelled sample: scorer = sentiment.make_scorer('auto')"
                               ".fit(sample['text'], sentiment.training_labels(sample), languages=sample['language']).")
    try:
        if scheduler is None:
            aggregates = combine_aggregates(partition_aggregates(chunk, scorer, freq, by, weight, select)
                                            for chunk in _chunks(files, raw, names))
        else:
            with _client(scheduler) as client:
                aggregates = _dask_aggregates(files, raw, scorer, freq, by, weight, client, names, select)
    except CxDataError as err:
        if not (select and err.reason == "no_dates"):
            raise
        chosen = "; ".join(f"{k} {', '.join(map(str, v)) if isinstance(v, tuple) else v}" for k, v in select.items())
        raise CxDataError(str(paths), None, f"has no mention of the selection ({chosen})", reason="empty_selection",
                          hint="check the brand names as written in the brand column, the dates (start and end, "
                          "inclusive) and the language codes") from None
    return index_from_aggregates(aggregates, scorer, freq, by=by, denominator=denominator, weight=weight,
                                 min_mentions=min_mentions, correct=correct, confidence=confidence)


# --- the SWOT table -------------------------------------------------------------------------------------------------

_SWOT = "scale.swot_table"
_SWOT_OPTIONAL = ("id", "language", "channel", "label", "rating", "duplicate", "spam")


def _swot_columns(files: list[Path], columns: dict | None = None) -> list[str]:
    """The columns the SWOT reads (cxlib's names, after the mapping ``columns``), checked in every file."""
    needed: list[str] | None = None
    for f in files:
        cols = _renamed_columns(f, columns)
        missing = [c for c in ("created_at", "brand", "text") if c not in cols]
        if missing:
            raise CxDataError(f.name, missing[0], "is missing: the SWOT needs created_at, brand and text",
                              reason="missing_column",
                              hint=f"map the files' own name with columns={{'Their name': {missing[0]!r}}}, or "
                                   "write the files with cxlib's column names (created_at, brand, text, optional "
                                   "language, id)")
        wanted = ["created_at", "brand", "text", *[c for c in _SWOT_OPTIONAL if c in cols]]
        needed = wanted if needed is None else [c for c in needed if c in wanted]
    return needed or []


def _last_day(part: pd.DataFrame) -> pd.Timestamp:
    from cxlib.health import _naive_dates

    when = part["created_at"]
    when = when if pd.api.types.is_datetime64_any_dtype(when) else _naive_dates(when)
    if getattr(when.dt, "tz", None) is not None:
        when = when.dt.tz_localize(None)
    return when.max()


def _last_selected_day(part: pd.DataFrame, select: dict | None) -> pd.Timestamp:
    return _last_day(_selected(part, **select) if select else part)


def _swot_part(part: pd.DataFrame, scorer: SentimentScorer, taxonomy: Any, window: str, end: str | None,
              quotes: int, select: dict | None = None) -> pd.DataFrame:
    """One partition's share of the SWOT: its aspects scored (:func:`cxlib.swot.aspect_mentions`) and compacted
    (:func:`cxlib.swot.compact_aspects`): sums per brand x aspect x window and the best quote candidates;
    ``select``: only the mentions :func:`_selected` keeps."""
    from cxlib import swot

    if select:
        part = _selected(part, **select)
    if part.empty:
        return pd.DataFrame()
    found = swot.aspect_mentions(part, scorer, taxonomy)
    return swot.compact_aspects(found, window, end, quotes)


def swot_table(paths: str | os.PathLike | Sequence[str | os.PathLike], our_brand: str,
               scorer: SentimentScorer | str, competitors: Sequence[str] | None = None, *,
               taxonomy: Any = None, window: str = "6M", end: str | None = None, scheduler: Any = "local",
               alpha: float = 0.05, min_evidence: int = 30, quotes: int = 3, importance: float = 0.05,
               columns: dict | None = None, start: str | None = None, languages: Sequence[str] = ()
               ) -> pd.DataFrame:
    """:func:`cxlib.swot.swot_table` over partitioned files, on Dask: the same table as in memory.

    Each partition (a Parquet row group or a CSV file) is split into clauses, its aspects found and scored, and
    compacted on the workers into sums per brand x aspect x window plus its best quote candidates
    (:func:`cxlib.swot.compact_aspects`); the client adds them up and applies the tests and rules of the in-memory
    path to them. ``end`` (the last day) is read in a first pass over ``created_at`` when not given, so every
    partition labels its windows alike. Duplicates and spam are not flagged across partitions: flag or drop them
    upstream (or give the files ``duplicate``/``spam`` columns, which the quotes respect).

    Parameters
    ----------
    paths, scheduler : as in :func:`sentiment_index`
    scorer : a fitted :class:`~cxlib.sentiment.SentimentScorer` or the path of a saved one
    our_brand, competitors, taxonomy, window, end, alpha, min_evidence, quotes, importance : as in
        :func:`cxlib.swot.swot_table`
    columns : ``{their_name: our_name}``, as in :func:`sentiment_index`
    start, languages : only mentions from ``start`` to ``end`` (inclusive, by day) in these languages count, as
        :func:`cxlib.sentiment.select_mentions` chooses them in memory (and of our brand and the competitors
        when these are named); applied on every partition

    Examples
    --------
    >>> scale.swot_table("exports/mentions/*.parquet", "Velora", "models/sentiment.joblib")  # doctest: +SKIP
    """
    from cxlib import aspects as _aspects
    from cxlib import swot

    files = find_files(paths)
    names = _swot_columns(files, columns)
    raw = _raw_names(names, columns)
    brands = (our_brand, *competitors) if competitors else ()
    select = {k: v for k, v in dict(brands=tuple(brands), start=start or None, end=end or None,
                                    languages=tuple(languages or ())).items() if v}
    if isinstance(scorer, (str, os.PathLike)):
        scorer = load_scorer(scorer)
    if not isinstance(scorer, SentimentScorer) or not scorer.used_:
        raise CxParameterError("scorer", _SWOT, "a fitted SentimentScorer or the path of a saved one (fitting needs "
                               "all labels in one place)", type(scorer).__name__,
                               hint="Fit one on a labelled sample and save it: sentiment.make_scorer('auto')"
                               ".fit(texts, labels, languages=...).save('models/sentiment.joblib').")
    tax = taxonomy if isinstance(taxonomy, _aspects.Taxonomy) else _aspects.load_taxonomy(taxonomy)
    one = _single_process(scorer)
    # the last day: of the mentions selected (dates, languages, brands), read in a first pass when not given
    when = ["created_at", *[c for c in ("brand", "language") if c in names and select]]
    if scheduler is None:
        if window and end is None:
            end = str(max(_last_selected_day(chunk, select)
                          for chunk in _chunks(files, _raw_names(when, columns), when)).date())
        parts = [_swot_part(chunk, one, tax, window, end, quotes, select) for chunk in _chunks(files, raw, names)]
    else:
        import dask

        with _client(scheduler) as client:
            if _kind(files[0]) == "parquet":
                read, args = _read_row_group, [(str(f), k) for f in files for k in range(_row_groups(f))]
            else:
                read, args = _read_csv, list(files)
            if window and end is None:
                lasts = [dask.delayed(_last_selected_day)(dask.delayed(read)(a, _raw_names(when, columns), when),
                                                          select) for a in args]
                end = str(max(client.compute(lasts, sync=True)).date())
            shipped = dask.delayed(one, pure=False)
            tasks = [dask.delayed(_swot_part)(dask.delayed(read)(a, raw, names), shipped, tax, window, end, quotes,
                                              select) for a in args]
            parts = client.compute(tasks, sync=True)
    parts = [p for p in parts if len(p)]
    if not parts:
        raise CxDataError(files[0].name, "text", "names no aspect of the taxonomy in any file",
                          hint="check the taxonomy (taxonomy=) and the language column")
    return swot.swot_table(pd.concat(parts, ignore_index=True), our_brand, competitors, taxonomy=tax,
                           window=window, end=end, alpha=alpha, min_evidence=min_evidence, quotes=quotes,
                           importance=importance)


def read_sample(paths: str | os.PathLike | Sequence[str | os.PathLike], rows: int = 100_000) -> pd.DataFrame:
    """The first ``rows`` mentions of partitioned files (every column), read piece by piece: for fitting a scorer
    and showing example mentions when the whole set is scored on a cluster.

    Examples
    --------
    >>> m = scale.read_sample("exports/mentions/*.parquet", rows=50_000)  # doctest: +SKIP
    """
    files = find_files(paths)
    columns = _columns(files[0])
    taken, size = [], 0
    for chunk in _chunks(files, columns):
        taken.append(chunk.iloc[: rows - size])
        size += len(taken[-1])
        if size >= rows:
            break
    out = pd.concat(taken, ignore_index=True)
    out.attrs["source"] = files[0].name if len(files) == 1 else f"{files[0].parent.name}/{files[0].name} and others"
    return out


def load_mentions(input_path: str | os.PathLike, columns: dict | None = None, scheduler: Any = None,
                  sample_rows: int = 200_000) -> pd.DataFrame:
    """The mentions a notebook reads: the whole file, validated (:func:`cxlib.io.load`), or with a ``scheduler``
    the first ``sample_rows`` of the partitioned files (:func:`read_sample`), renamed and validated the same way;
    the rest is then scored and counted on the cluster.

    Examples
    --------
    >>> m = scale.load_mentions("data/sample/mentions.csv")  # doctest: +SKIP
    >>> m = scale.load_mentions("exports/mentions/*.parquet", scheduler="local", sample_rows=50_000)  # doctest: +SKIP
    """
    from cxlib import io as cx_io
    from cxlib.schemas import validate

    if not scheduler:
        return cx_io.load(input_path, "mentions", columns)
    return validate(cx_io.rename_columns(read_sample(input_path, sample_rows), columns), "mentions")
