"""cxlib.io: reading the analyst's files (encodings, delimiters, formats, column mapping), paths, atomic writes.

Every test writes real files into ``tmp_path``; nothing is mocked.
"""
from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pandas as pd
import pytest

from cxlib.errors import CxDataError, CxParameterError
from cxlib.io import (
    atomic_write_bytes,
    atomic_write_csv,
    atomic_write_text,
    detect_encoding,
    file_checksum,
    project_root,
    read_table,
    resolve_path,
)

RUSSIAN = ["Очень долго ждал доставку", "Всё хорошо, спасибо!", "Ёлка и щётка: «не работает»"]
FRENCH_GERMAN = ["Café très bon, à bientôt", "Grüße aus Köln – schöne Straße", "Prix: 12 € (reçu)"]


def csv_bytes(texts: list[str], encoding: str, sep: str = ",") -> bytes:
    return pd.DataFrame({"id": range(1, len(texts) + 1), "text": texts}).to_csv(
        index=False, sep=sep, lineterminator="\n").encode(encoding)


# --- encodings -------------------------------------------------------------------------------------------------

def test_read_table_reads_utf8_csv_with_romanian_and_russian_text(write_file):
    texts = ["Livrare rapidă și ușoară", "Спасибо"]
    df = read_table(write_file("m.csv", csv_bytes(texts, "utf-8")))
    assert df["text"].tolist() == texts
    assert df["id"].tolist() == [1, 2]
    assert df.attrs["encoding"] == "utf-8"


def test_read_table_strips_the_utf8_bom_from_the_first_column_name(write_file):
    # Excel's "CSV UTF-8" export starts with a BOM; the first column must still be called "id"
    df = read_table(write_file("m.csv", "\ufeffid,text\n1,héllo\n".encode("utf-8")))
    assert list(df.columns) == ["id", "text"]
    assert df["id"].tolist() == [1]
    assert df["text"].tolist() == ["héllo"]
    assert df.attrs["encoding"] == "utf-8-sig"


def test_read_table_round_trips_russian_text_in_cp1251(write_file):
    df = read_table(write_file("ru.csv", csv_bytes(RUSSIAN, "cp1251")))
    assert df["text"].tolist() == RUSSIAN
    assert df.attrs["encoding"] == "cp1251"


def test_read_table_round_trips_french_and_german_text_in_cp1252(write_file):
    # the en dash and the euro sign exist in cp1252 but not in latin-1
    df = read_table(write_file("fr.csv", csv_bytes(FRENCH_GERMAN, "cp1252")))
    assert df["text"].tolist() == FRENCH_GERMAN


def test_read_table_round_trips_latin1_accents(write_file):
    texts = ["Crème brûlée, naïve façade", "Über große Füße"]
    df = read_table(write_file("de.csv", csv_bytes(texts, "latin-1")))
    assert df["text"].tolist() == texts


def test_read_table_round_trips_short_russian_yes_no_answers_in_cp1251(write_file):
    df = read_table(write_file("customers.csv", "customer_id,churned\n1,Да\n2,Нет\n3,Да\n".encode("cp1251")))
    assert df["churned"].tolist() == ["Да", "Нет", "Да"]


def test_detect_encoding_recognises_a_short_cp1251_word():
    assert detect_encoding("Привет".encode("cp1251")) == "cp1251"


def test_detect_encoding_recognises_a_short_latin1_word_as_cp1252():
    assert detect_encoding("café".encode("latin-1")) == "cp1252"


def test_detect_encoding_prefers_utf8_for_plain_ascii_and_valid_utf8():
    assert detect_encoding(b"id,text\n1,ok\n") == "utf-8"
    assert detect_encoding("Mulțumesc, Спасибо".encode("utf-8")) == "utf-8"


def test_detect_encoding_reports_the_bom_as_utf8_sig():
    assert detect_encoding("\ufeffid,text".encode("utf-8")) == "utf-8-sig"


def test_detect_encoding_falls_back_to_latin1_for_bytes_undefined_in_cp1252():
    # 0x81 has no character in cp1252; latin-1 decodes every byte
    assert detect_encoding(b"caf\xe9 \x81") == "latin-1"


def test_detect_encoding_recognises_long_cp1251_and_cp1252_samples():
    assert detect_encoding(("Очень долго ждал доставку. " * 50_000).encode("cp1251")) == "cp1251"
    assert detect_encoding(("Grüße, très bon café – 12 €. " * 50_000).encode("cp1252")) == "cp1252"


def test_detect_encoding_recognises_two_letter_cp1251_words():
    assert detect_encoding("Да, нет".encode("cp1251")) == "cp1251"


# --- delimiters and quoting ------------------------------------------------------------------------------------

def test_read_table_sniffs_semicolons_even_with_commas_inside_texts(write_file):
    df = read_table(write_file("m.csv", "id;text;rating\n1;Bine, mulțumesc;5\n2;Rău, foarte rău;1\n3;OK;3\n"))
    assert list(df.columns) == ["id", "text", "rating"]
    assert df["text"].tolist() == ["Bine, mulțumesc", "Rău, foarte rău", "OK"]
    assert df.attrs["delimiter"] == ";"


def test_read_table_sniffs_tabs_in_a_csv_file(write_file):
    df = read_table(write_file("m.csv", "id\ttext\n1\ta, b\n2\tc; d\n"))
    assert df["text"].tolist() == ["a, b", "c; d"]
    assert df.attrs["delimiter"] == "\t"


def test_read_table_reads_tsv_files_as_tab_separated(write_file):
    df = read_table(write_file("m.tsv", "id\ttext\n1\tone, two\n"))
    assert df["text"].tolist() == ["one, two"]


def test_read_table_keeps_quoted_texts_with_newlines_commas_and_quotes(write_file):
    content = 'id,text\n1,"line one\nline two, with comma"\n2,"she said ""hi"""\n'
    df = read_table(write_file("m.csv", content))
    assert df["text"].tolist() == ["line one\nline two, with comma", 'she said "hi"']
    assert len(df) == 2


def test_read_table_strips_blanks_around_column_names(write_file):
    df = read_table(write_file("m.csv", " id , text \n1,a\n"))
    assert list(df.columns) == ["id", "text"]


def test_read_table_reads_only_nrows_rows(write_file):
    df = read_table(write_file("m.csv", "id,text\n" + "".join(f"{i},t{i}\n" for i in range(10))), nrows=3)
    assert df["id"].tolist() == [0, 1, 2]


# --- Excel and Parquet -----------------------------------------------------------------------------------------

def test_read_table_reads_the_first_sheet_of_an_xlsx_workbook(tmp_path):
    original = pd.DataFrame({"id": [1, 2], "text": ["Livrare rapidă", "Всё хорошо"], "rating": [5.0, 4.5]})
    original.to_excel(tmp_path / "m.xlsx", index=False)
    df = read_table(tmp_path / "m.xlsx")
    pd.testing.assert_frame_equal(df, original, check_dtype=False)
    assert df.attrs["source"] == "m.xlsx"


def test_read_table_reads_a_named_sheet(tmp_path):
    with pd.ExcelWriter(tmp_path / "m.xlsx") as writer:
        pd.DataFrame({"a": [1]}).to_excel(writer, sheet_name="first", index=False)
        pd.DataFrame({"b": [2, 3]}).to_excel(writer, sheet_name="second", index=False)
    assert read_table(tmp_path / "m.xlsx", sheet="second")["b"].tolist() == [2, 3]


def test_read_table_names_the_file_when_the_sheet_does_not_exist(tmp_path):
    pd.DataFrame({"a": [1]}).to_excel(tmp_path / "m.xlsx", index=False)
    with pytest.raises(CxDataError, match=r"^m\.xlsx: .*'nope'") as info:
        read_table(tmp_path / "m.xlsx", sheet="nope")
    assert info.value.reason == "bad_excel"


def test_read_table_reads_parquet(tmp_path):
    original = pd.DataFrame({"id": ["a", "b"], "text": ["ş", "ы"], "reach": [10, 20]})
    original.to_parquet(tmp_path / "m.parquet")
    df = read_table(tmp_path / "m.parquet")
    pd.testing.assert_frame_equal(df, original, check_dtype=False)


def test_read_table_names_the_file_when_parquet_is_corrupt(write_file):
    with pytest.raises(CxDataError, match=r"^bad\.parquet: could not be read as Parquet") as info:
        read_table(write_file("bad.parquet", b"PAR1 not really parquet"))
    assert info.value.reason == "bad_parquet"


def test_read_table_names_the_file_when_xlsx_is_not_a_workbook(write_file):
    with pytest.raises(CxDataError, match=r"^bad\.xlsx: could not be read as Excel") as info:
        read_table(write_file("bad.xlsx", b"this is not a zip file"))
    assert info.value.reason == "bad_excel"


# --- column mapping --------------------------------------------------------------------------------------------

def test_read_table_renames_their_columns_to_ours_and_keeps_the_rest(write_file):
    df = read_table(write_file("c.csv", "CustomerId,Exited,Age\n1,1,40\n2,0,31\n"),
                    columns={"CustomerId": "customer_id", "Exited": "churned"})
    assert list(df.columns) == ["customer_id", "churned", "Age"]
    assert df["churned"].tolist() == [1, 0]


def test_mapping_a_column_the_file_lacks_names_file_column_and_closest_name(write_file):
    path = write_file("customers.csv", "CustomerId,Exited\n1,1\n")
    with pytest.raises(CxDataError) as info:
        read_table(path, columns={"Exitd": "churned"})
    message = str(info.value)
    assert message.startswith("customers.csv: column 'Exitd' ")
    assert "did you mean 'Exited'" in message
    assert info.value.column == "Exitd"
    assert info.value.reason == "missing_column"


def test_mapping_two_columns_to_one_name_is_an_error_naming_it(write_file):
    with pytest.raises(CxDataError, match=r"^m\.csv: column 'text' appears twice") as info:
        read_table(write_file("m.csv", "id,text,message\n1,a,b\n"), columns={"message": "text"})
    assert info.value.reason == "duplicate_column"


def test_a_column_mapping_that_is_not_a_dict_is_a_parameter_error(write_file):
    with pytest.raises(CxParameterError, match=r"^The 'columns' parameter of io\.read_table must be a dict"):
        read_table(write_file("m.csv", "id,text\n1,a\n"), columns=["text"])


# --- files that cannot be read ---------------------------------------------------------------------------------

def test_a_missing_file_is_an_error_naming_it(tmp_path):
    with pytest.raises(CxDataError, match=r"nope\.csv: does not exist") as info:
        read_table(tmp_path / "nope.csv")
    assert info.value.reason == "missing_file"


def test_a_folder_is_not_read_as_a_file(tmp_path):
    (tmp_path / "data.csv").mkdir()
    with pytest.raises(CxDataError, match=r"data\.csv: is a folder") as info:
        read_table(tmp_path / "data.csv")
    assert info.value.reason == "missing_file"


@pytest.mark.parametrize("name", ["empty.csv", "empty.xlsx", "empty.parquet"])
def test_a_zero_byte_file_is_an_error_naming_it(write_file, name):
    with pytest.raises(CxDataError, match=rf"^{re.escape(name)}: is empty") as info:
        read_table(write_file(name, b""))
    assert info.value.reason == "empty_file"


def test_a_csv_of_blank_lines_is_empty(write_file):
    with pytest.raises(CxDataError, match=r"^blank\.csv: is empty"):
        read_table(write_file("blank.csv", b"  \n\n"))


def test_a_header_only_file_is_an_error_naming_it(write_file):
    with pytest.raises(CxDataError, match=r"^header\.csv: has a header but no data rows") as info:
        read_table(write_file("header.csv", "id,text\n"))
    assert info.value.reason == "empty_file"


@pytest.mark.parametrize("name, shown", [("mentions.json", "'.json'"), ("mentions", "'(no extension)'")])
def test_an_unknown_extension_is_an_error_naming_the_file_and_format(write_file, name, shown):
    with pytest.raises(CxDataError) as info:
        read_table(write_file(name, "id,text\n1,a\n"))
    assert str(info.value).startswith(f"{name}: has an unknown format {shown}")
    assert ".csv" in str(info.value)  # the allowed formats are listed
    assert info.value.reason == "unknown_format"


def test_a_csv_that_cannot_be_parsed_is_an_error_naming_the_file(write_file):
    with pytest.raises(CxDataError, match=r"^broken\.csv: could not be parsed as CSV") as info:
        read_table(write_file("broken.csv", "id,text\n1,a\n2,b,c,d\n"))
    assert info.value.reason == "bad_csv"


def test_a_csv_parse_error_is_one_line(write_file):
    with pytest.raises(CxDataError) as info:
        read_table(write_file("broken.csv", "id,text\n1,a\n2,b,c,d\n"))
    assert "\n" not in str(info.value)


def test_an_unquoted_comma_in_the_first_row_is_an_error_not_shifted_columns(write_file):
    with pytest.raises(CxDataError, match=r"^m\.csv: "):
        read_table(write_file("m.csv", "id,text\n1,hello, world\n2,fine\n"))


# --- paths -----------------------------------------------------------------------------------------------------

def test_resolve_path_keeps_an_absolute_path(tmp_path):
    assert resolve_path(tmp_path / "x.csv") == tmp_path / "x.csv"


def test_resolve_path_uses_cx_project_root(tmp_path, monkeypatch):
    root, elsewhere = tmp_path / "project", tmp_path / "elsewhere"
    root.mkdir()
    elsewhere.mkdir()
    monkeypatch.setenv("CX_PROJECT_ROOT", str(root))
    monkeypatch.chdir(elsewhere)
    assert project_root() == root.resolve()
    assert resolve_path("data/sample/mentions.csv") == root.resolve() / "data" / "sample" / "mentions.csv"


def test_resolve_path_finds_the_root_from_a_subfolder_by_reports_yml(tmp_path, monkeypatch):
    monkeypatch.delenv("CX_PROJECT_ROOT", raising=False)
    (tmp_path / "reports.yml").write_text("reports: []\n")
    (tmp_path / "notebooks").mkdir()
    (tmp_path / "data" / "sample").mkdir(parents=True)
    (tmp_path / "data" / "sample" / "m.csv").write_text("id,text\n1,from the root\n")
    monkeypatch.chdir(tmp_path / "notebooks")
    assert project_root() == tmp_path.resolve()
    assert resolve_path("data/sample/m.csv") == tmp_path.resolve() / "data" / "sample" / "m.csv"
    # the notebook (run from notebooks/) and the runner (run from the root) read the same file
    assert read_table("data/sample/m.csv")["text"].tolist() == ["from the root"]


def test_resolve_path_prefers_a_file_that_exists_in_the_working_directory(tmp_path, monkeypatch):
    monkeypatch.delenv("CX_PROJECT_ROOT", raising=False)
    (tmp_path / "reports.yml").write_text("")
    (tmp_path / "notebooks").mkdir()
    (tmp_path / "notebooks" / "local.csv").write_text("id\n1\n")
    monkeypatch.chdir(tmp_path / "notebooks")
    assert resolve_path("local.csv") == (tmp_path / "notebooks" / "local.csv").resolve()


def test_project_root_without_marker_or_variable_is_the_start_folder(tmp_path, monkeypatch):
    monkeypatch.delenv("CX_PROJECT_ROOT", raising=False)
    if any((p / "reports.yml").exists() for p in (tmp_path, *tmp_path.parents)):
        pytest.skip("a reports.yml above the temporary folder would be found first")
    assert project_root(tmp_path) == tmp_path.resolve()


# --- atomic writes ---------------------------------------------------------------------------------------------

def test_atomic_write_replaces_the_whole_file(tmp_path):
    target = tmp_path / "report.html"
    target.write_bytes(b"x" * 10_000)
    atomic_write_bytes(target, b"short")
    assert target.read_bytes() == b"short"  # no tail of the longer old content


def test_atomic_write_leaves_a_reader_of_the_old_file_with_all_of_it(tmp_path):
    target = tmp_path / "report.html"
    target.write_bytes(b"old " * 1000)
    with open(target, "rb") as reader:
        atomic_write_bytes(target, b"new")
        assert reader.read() == b"old " * 1000
    assert target.read_bytes() == b"new"


def test_atomic_write_leaves_no_temporary_files(tmp_path):
    atomic_write_text(tmp_path / "a.html", "one")
    atomic_write_text(tmp_path / "a.html", "two")
    atomic_write_csv(pd.DataFrame({"a": [1]}), tmp_path / "b.csv")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.html", "b.csv"]


def test_atomic_write_creates_missing_folders(tmp_path):
    target = atomic_write_text(tmp_path / "reports" / "2025" / "a.html", "hi")
    assert target.read_text() == "hi"


def test_atomic_write_text_that_cannot_be_encoded_keeps_the_previous_file(tmp_path):
    target = tmp_path / "report.html"
    target.write_text("previous report")
    with pytest.raises(UnicodeEncodeError):
        atomic_write_text(target, "half a surrogate \ud800")
    assert target.read_text() == "previous report"
    assert [p.name for p in tmp_path.iterdir()] == ["report.html"]


def test_atomic_write_that_fails_while_writing_keeps_the_previous_file(tmp_path):
    target = tmp_path / "report.html"
    target.write_text("previous report")
    with pytest.raises(TypeError):
        atomic_write_bytes(target, "a str, not bytes")  # fails inside the write, after the temp file exists
    assert target.read_text() == "previous report"
    assert [p.name for p in tmp_path.iterdir()] == ["report.html"]


def test_atomic_write_csv_that_fails_keeps_the_previous_file(tmp_path):
    target = tmp_path / "table.csv"
    target.write_text("a\n1\n")
    with pytest.raises(TypeError):
        atomic_write_csv(pd.DataFrame({"a": [2]}), target, no_such_option=True)
    assert target.read_text() == "a\n1\n"
    assert [p.name for p in tmp_path.iterdir()] == ["table.csv"]


def test_atomic_write_into_a_read_only_folder_keeps_the_previous_file(tmp_path):
    folder = tmp_path / "reports"
    folder.mkdir()
    target = folder / "report.html"
    target.write_text("previous report")
    folder.chmod(0o555)
    try:
        try:
            (folder / ".probe").touch()
        except PermissionError:
            pass
        else:  # root (with CAP_DAC_OVERRIDE) ignores folder permissions
            (folder / ".probe").unlink()
            pytest.skip("this user can write into read-only folders (root)")
        with pytest.raises(PermissionError):
            atomic_write_text(target, "new report")
        assert target.read_text() == "previous report"
        assert [p.name for p in folder.iterdir()] == ["report.html"]
    finally:
        folder.chmod(0o755)


def test_atomic_write_csv_writes_utf8_without_index_and_with_unix_newlines(tmp_path):
    target = atomic_write_csv(pd.DataFrame({"a": [1, 2], "b": ["x", "é"]}), tmp_path / "t.csv")
    assert target.read_bytes() == "a,b\n1,x\n2,é\n".encode("utf-8")


def test_file_checksum_equals_hashlib_sha256(tmp_path):
    data = bytes(range(256)) * 12_289  # > 3 MiB: several read chunks
    (tmp_path / "big.bin").write_bytes(data)
    assert file_checksum(tmp_path / "big.bin") == hashlib.sha256(data).hexdigest()


def test_file_checksum_uses_the_algorithm_asked_for(tmp_path):
    (tmp_path / "a.txt").write_bytes(b"abc")
    assert file_checksum(tmp_path / "a.txt", "md5") == hashlib.md5(b"abc").hexdigest()


def test_read_table_keeps_utf8_when_the_first_megabyte_ends_inside_a_letter(tmp_path):
    # the encoding is guessed from the first 1,000,000 bytes; a cut through a multi-byte letter is not a sign of
    # another encoding (this once turned the sample mentions' Cyrillic and Armenian into mojibake)
    before = "id,text\n1,"
    filler = "x" * (999_999 - len(before) - len("\n2,"))  # "П" (2 bytes) starts at byte 999,999
    path = tmp_path / "cut.csv"
    path.write_bytes((before + filler + "\n2,Привет մեկ\n").encode("utf-8"))
    raw = path.read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw[:1_000_000].decode("utf-8")
    df = read_table(path)
    assert df.attrs["encoding"] == "utf-8"
    assert df["text"].iloc[-1] == "Привет մեկ"


def test_read_table_reads_the_sample_mentions_as_utf8():
    df = read_table(Path(__file__).resolve().parents[2] / "data" / "sample" / "mentions.csv")
    assert df.attrs["encoding"] == "utf-8"
    assert df.loc[df["language"] == "ru", "text"].str.contains("[а-я]", regex=True).mean() > 0.95
