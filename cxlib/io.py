"""Reading the analyst's files and writing ours: the only module (with the report runner) that touches disk.

- :func:`read_table` reads CSV (UTF-8, UTF-8 with BOM, cp1251, latin-1; delimiter sniffed), Excel and
  Parquet, and renames the analyst's columns to cxlib's canonical names.
- :func:`resolve_path` resolves relative paths against the project root, so that a notebook run from
  ``notebooks/`` and the runner run from the root read the same ``data/sample/...`` file.
- ``atomic_write_*`` write through a temporary file and ``os.replace``: a failed run never leaves a
  half-written report behind.
"""
from __future__ import annotations

import codecs

import csv
import difflib
import hashlib
import io as _io
import os
import tempfile
import warnings
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from cxlib.errors import CxDataError

__all__ = [
    "read_table", "resolve_path", "project_root", "detect_encoding", "rename_columns",
    "atomic_write_text", "atomic_write_bytes", "atomic_write_csv", "file_checksum",
]

CSV_SUFFIXES = {".csv", ".txt", ".tsv"}
EXCEL_SUFFIXES = {".xlsx", ".xlsm", ".xls"}
PARQUET_SUFFIXES = {".parquet", ".pq"}
_ROOT_MARKERS = ("reports.yml",)


def project_root(start: str | os.PathLike | None = None) -> Path:
    """Return the cxlib project root: ``$CX_PROJECT_ROOT`` if set, else the nearest folder upwards
    from ``start`` (default: the working directory) that holds ``reports.yml``, else ``start``.

    Examples
    --------
    >>> isinstance(project_root(), Path)
    True
    """
    env = os.environ.get("CX_PROJECT_ROOT")
    if env:
        return Path(env).resolve()
    here = Path(start or os.getcwd()).resolve()
    for folder in (here, *here.parents):
        if any((folder / m).exists() for m in _ROOT_MARKERS):
            return folder
    return here


def resolve_path(path: str | os.PathLike) -> Path:
    """Resolve ``path``: absolute as given; relative to the working directory if it exists there;
    otherwise relative to :func:`project_root`.

    Examples
    --------
    >>> resolve_path("/tmp/x.csv")
    PosixPath('/tmp/x.csv')
    """
    p = Path(os.path.expanduser(str(path)))
    if p.is_absolute():
        return p
    if p.exists():
        return p.resolve()
    return project_root() / p


def detect_encoding(raw: bytes, *, partial: bool = False) -> str:
    """Guess the text encoding of ``raw`` among UTF-8 (with or without BOM), cp1251 and latin-1.

    UTF-8 is tried strictly first (its byte patterns are almost never valid by accident). Otherwise the
    bytes are cp1251 if most non-ASCII letters decode to Cyrillic there, else latin-1 (cp1252 where it
    decodes, which covers Windows exports' curly quotes and euro sign). ``partial=True`` says ``raw`` is the start
    of a longer file, which may end inside a character.

    Examples
    --------
    >>> detect_encoding("Привет".encode("cp1251"))
    'cp1251'
    >>> detect_encoding("café".encode("latin-1"))
    'cp1252'
    >>> detect_encoding("\\ufeffid,text".encode("utf-8"))
    'utf-8-sig'
    >>> detect_encoding("Привет".encode("utf-8")[:-1], partial=True)  # a file's first bytes, cut inside a letter
    'utf-8'
    """
    if raw.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    try:
        codecs.getincrementaldecoder("utf-8")().decode(raw, final=not partial)
        return "utf-8"
    except UnicodeDecodeError:
        pass
    # cp1251 and latin-1 both map bytes 0xC0-0xFF to letters, but Cyrillic words are made *entirely* of such
    # bytes while latin-1 texts put single accented letters inside ASCII words. So look at run lengths.
    if _looks_cyrillic(raw):
        return "cp1251"
    try:
        raw.decode("cp1252")
        return "cp1252"
    except UnicodeDecodeError:
        return "latin-1"


def _looks_cyrillic(raw: bytes) -> bool:
    """True when most letter bytes >= 0xC0 stand in runs of 2 or more, as Cyrillic words do in cp1251.

    Latin-1 texts put single accented letters inside ASCII words; Cyrillic words, even "Да", are made
    of such bytes only.
    """
    high_total = in_runs = run = 0
    for b in raw + b" ":
        if b >= 0xC0 or b in (0xA8, 0xB8):  # А-я plus Ё/ё
            run += 1
        else:
            high_total += run
            if run >= 2:
                in_runs += run
            run = 0
    return high_total > 0 and in_runs / high_total > 0.6


def _sniff_delimiter(sample: str) -> str:
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t|").delimiter
    except csv.Error:
        return ","


def _read_csv(path: Path, name: str, nrows: int | None) -> pd.DataFrame:
    raw = path.read_bytes()
    if not raw.strip():
        raise CxDataError(name, None, "is empty (0 bytes of data)", hint="export the file again with a header row and data rows",
                          reason="empty_file")
    encoding = detect_encoding(raw[:1_000_000], partial=len(raw) > 1_000_000)
    text = raw.decode(encoding, errors="strict" if encoding != "latin-1" else "replace")
    first_lines = "\n".join(text.splitlines()[:50])
    sep = "\t" if path.suffix.lower() == ".tsv" else _sniff_delimiter(first_lines)
    try:
        with warnings.catch_warnings():
            # index_col=False: a first data row with more fields than the header must not silently turn the
            # first column into the index and shift every value one column to the left
            warnings.simplefilter("error", pd.errors.ParserWarning)
            df = pd.read_csv(_io.StringIO(text), sep=sep, nrows=nrows, low_memory=False, index_col=False)
    except pd.errors.ParserWarning:
        header = len(next(csv.reader(_io.StringIO(text), delimiter=sep), []))
        bad = [i for i, row in enumerate(csv.reader(_io.StringIO(text), delimiter=sep)) if i and len(row) > header]
        raise CxDataError(name, None, f"has rows with more fields than the {header} in the header", rows=bad,
                          hint=f"quote texts that contain the delimiter '{sep}' (or export with a different one)",
                          reason="bad_csv") from None
    except pd.errors.EmptyDataError:
        raise CxDataError(name, None, "has no columns", hint="check that the file is a CSV export with a header row",
                          reason="empty_file") from None
    except pd.errors.ParserError as exc:
        detail = " ".join(str(exc).split())
        raise CxDataError(name, None, f"could not be parsed as CSV ({detail})",
                          hint="check quoting of texts that contain the delimiter or line breaks", reason="bad_csv") from None
    df.attrs["encoding"] = encoding
    df.attrs["delimiter"] = sep
    return df


def rename_columns(df: pd.DataFrame, columns: Mapping[str, str] | None, source: str = "input") -> pd.DataFrame:
    """Rename the analyst's columns to cxlib's names with ``columns={their_name: our_name}``.

    A name in ``columns`` that the table lacks is an error that lists the closest existing names.

    Examples
    --------
    >>> df = pd.DataFrame({"Exited": [0, 1]})
    >>> list(rename_columns(df, {"Exited": "churned"}).columns)
    ['churned']
    """
    if not columns:
        return df
    if not isinstance(columns, Mapping):
        from cxlib.errors import CxParameterError
        raise CxParameterError("columns", "io.read_table", "a dict {their_name: our_name}", columns)
    missing = [c for c in columns if c not in df.columns]
    if missing:
        col = missing[0]
        close = difflib.get_close_matches(str(col), [str(c) for c in df.columns], n=3, cutoff=0.5)
        hint = (f"did you mean {', '.join(repr(c) for c in close)}? " if close else "") + \
            f"the file has columns {', '.join(repr(str(c)) for c in list(df.columns)[:12])}" + \
            ("..." if len(df.columns) > 12 else "")
        raise CxDataError(source, col, "named in the column mapping is not in the file", hint=hint,
                          reason="missing_column")
    out = df.rename(columns=dict(columns))
    out.attrs["column_map"] = {ours: theirs for theirs, ours in columns.items()}
    dupes = out.columns[out.columns.duplicated()].tolist()
    if dupes:
        raise CxDataError(source, dupes[0], "appears twice after the column mapping",
                          hint="map only one of the file's columns to each cxlib name", reason="duplicate_column")
    return out


def read_table(path: str | os.PathLike, columns: Mapping[str, str] | None = None, *,
               sheet: str | int | None = None, nrows: int | None = None) -> pd.DataFrame:
    """Read a CSV, Excel or Parquet file into a DataFrame, renaming columns to cxlib's names.

    Parameters
    ----------
    path : str or path
        ``.csv``/``.tsv``/``.txt`` (encoding and delimiter detected), ``.xlsx``/``.xls``, ``.parquet``.
        Relative paths resolve against the project root (see :func:`resolve_path`).
    columns : dict, optional
        ``{their_name: our_name}``, e.g. ``{"Exited": "churned"}``.
    sheet : str or int, optional
        Excel sheet (default: the first).
    nrows : int, optional
        Read only the first rows (CSV and Excel).

    Returns
    -------
    pandas.DataFrame
        Column names stripped of blanks; ``df.attrs["source"]`` holds the file name, used in error messages.

    Raises
    ------
    CxDataError
        Missing or empty file, unknown format, unreadable content, a mapped column that is not in the file.

    Examples
    --------
    >>> df = read_table("data/sample/customers.csv", columns={"customer_id": "id"})  # doctest: +SKIP
    """
    p = resolve_path(path)
    name = p.name
    if not p.exists():
        raise CxDataError(str(path), None, "does not exist", hint=f"check the path (looked in {p.parent})",
                          reason="missing_file")
    if p.is_dir():
        raise CxDataError(str(path), None, "is a folder, not a file", hint="give the path of one CSV, Excel or Parquet file",
                          reason="missing_file")
    suffix = p.suffix.lower()
    if suffix in CSV_SUFFIXES:
        df = _read_csv(p, name, nrows)
    elif suffix in EXCEL_SUFFIXES:
        if p.stat().st_size == 0:
            raise CxDataError(name, None, "is empty (0 bytes)", hint="save the workbook again", reason="empty_file")
        try:
            df = pd.read_excel(p, sheet_name=0 if sheet is None else sheet, nrows=nrows)
        except ValueError as exc:
            raise CxDataError(name, None, f"could not be read as Excel ({exc})", hint="check the sheet name",
                              reason="bad_excel") from None
    elif suffix in PARQUET_SUFFIXES:
        if p.stat().st_size == 0:
            raise CxDataError(name, None, "is empty (0 bytes)", hint="write the Parquet file again", reason="empty_file")
        try:
            df = pd.read_parquet(p)
        except Exception as exc:  # pyarrow raises several types for corrupt files
            raise CxDataError(name, None, f"could not be read as Parquet ({type(exc).__name__}: {exc})",
                              hint="write the file again with pandas.DataFrame.to_parquet", reason="bad_parquet") from None
    else:
        raise CxDataError(name, None, f"has an unknown format '{suffix or '(no extension)'}'",
                          hint="use .csv, .tsv, .xlsx, .xls or .parquet", reason="unknown_format")
    df.columns = [str(c).strip().lstrip("\ufeff") for c in df.columns]
    if df.shape[1] == 0:
        raise CxDataError(name, None, "has no columns", hint="check that the first row is a header", reason="empty_file")
    df = rename_columns(df, columns, source=name)
    if len(df) == 0:
        raise CxDataError(name, None, "has a header but no data rows", hint="export the data again, not just the header",
                          reason="empty_file")
    df.attrs["source"] = name
    df.attrs["path"] = str(p)
    return df


def file_checksum(path: str | os.PathLike, algorithm: str = "sha256") -> str:
    """Hex digest of a file's bytes (reports record it for each input).

    Examples
    --------
    >>> import tempfile, os
    >>> f = tempfile.NamedTemporaryFile(delete=False); _ = f.write(b"abc"); f.close()
    >>> file_checksum(f.name)[:12]
    'ba7816bf8f01'
    >>> os.unlink(f.name)
    """
    h = hashlib.new(algorithm)
    with open(resolve_path(path), "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def atomic_write_bytes(path: str | os.PathLike, data: bytes) -> Path:
    """Write ``data`` to ``path`` through a temporary file in the same folder and ``os.replace``.

    Readers see either the old file or the new one, never half of it.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "a.txt"
    >>> atomic_write_bytes(p, b"hi").read_bytes()
    b'hi'
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return target


def atomic_write_text(path: str | os.PathLike, text: str, encoding: str = "utf-8") -> Path:
    """Write ``text`` atomically (see :func:`atomic_write_bytes`).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> atomic_write_text(pathlib.Path(tempfile.mkdtemp()) / "a.txt", "hi").read_text()
    'hi'
    """
    return atomic_write_bytes(path, text.encode(encoding))


def atomic_write_csv(df: pd.DataFrame, path: str | os.PathLike, **to_csv_kwargs) -> Path:
    """Write a DataFrame as UTF-8 CSV atomically; ``index=False`` unless given.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = atomic_write_csv(pd.DataFrame({"a": [1]}), pathlib.Path(tempfile.mkdtemp()) / "a.csv")
    >>> p.read_text()
    'a\\n1\\n'
    """
    to_csv_kwargs.setdefault("index", False)
    to_csv_kwargs.setdefault("lineterminator", "\n")
    return atomic_write_text(path, df.to_csv(**to_csv_kwargs))


def load(path: str | os.PathLike, kind: str, columns: Mapping[str, str] | None = None, *,
         touchpoints: "list[str] | tuple[str, ...]" = (), scale: tuple[int, int] = (1, 5),
         required: "list[str] | tuple[str, ...]" = ()) -> pd.DataFrame:
    """Read and validate one input in a single call: :func:`read_table` then :func:`cxlib.schemas.validate`.

    Examples
    --------
    >>> customers = load("data/sample/customers.csv", "customers")  # doctest: +SKIP
    """
    from cxlib.schemas import validate  # schemas imports pandera: keep `import cxlib.io` light

    return validate(read_table(path, columns), kind, touchpoints=touchpoints, scale=scale, required=required)
