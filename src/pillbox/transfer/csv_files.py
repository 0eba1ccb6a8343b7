"""Reading CSV files as a stream: UTF-8 with or without BOM, `,` `;` or tab, quoted newlines.

The file is read as bytes, a line at a time, and the byte offset after each data row is known:
an import that stopped part way resumes by seeking there instead of reading the rows before.
"""

import csv
import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, BinaryIO

DELIMITERS = (",", ";", "\t")
BOM = b"\xef\xbb\xbf"
csv.field_size_limit(10_000_000)  # a long About text is still one field


class UnreadableCsv(Exception):
    """The file cannot be read as CSV (not UTF-8 text, no header, broken quoting)."""


class _Lines:
    """The file's lines as text for csv.reader, counting the bytes it has handed out."""

    def __init__(self, file: BinaryIO, offset: int) -> None:
        self.file = file
        self.offset = offset

    def __iter__(self) -> Iterator[str]:
        while line := self.file.readline():
            if self.offset == 0 and line.startswith(BOM):
                line, self.offset = line[len(BOM) :], len(BOM)
            self.offset += len(line)
            try:
                yield line.decode("utf-8")
            except UnicodeDecodeError:
                raise UnreadableCsv("the file is not UTF-8 text") from None


@dataclass
class CsvSource:
    header: list[str]
    lines: _Lines
    rows: Iterator[tuple[int, list[str]]]  # (data row number from 1, values)

    @property
    def offset(self) -> int:
        """Bytes read up to the end of the last row handed out."""
        return self.lines.offset


def detect_delimiter(header_line: str) -> str:
    """The delimiter of the header line: whichever of `,` `;` tab it holds most of."""
    counts = {d: header_line.count(d) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


@contextmanager
def open_csv(path: Path, offset: int = 0, rows_before: int = 0) -> Iterator[CsvSource]:
    """The header and the data rows; from `offset` (after row `rows_before`) when resuming.
    Blank lines are skipped and not counted."""
    with open(path, "rb") as file:
        first = file.readline().removeprefix(BOM).decode("utf-8", errors="replace")
        file.seek(0)
        lines = _Lines(file, 0)
        reader = csv.reader(iter(lines), delimiter=detect_delimiter(first))
        try:
            header = next(reader, None)
        except csv.Error as error:
            raise UnreadableCsv(f"the file is not valid CSV ({error})") from None
        if not header or not any(cell.strip() for cell in header):
            raise UnreadableCsv("the file has no header row")
        if offset:
            file.seek(offset)
            lines.offset = offset
        rows = _numbered(reader, len(header), rows_before)
        yield CsvSource([cell.strip() for cell in header], lines, rows)


def _numbered(
    reader: "Iterator[list[str]]", width: int, number: int
) -> Iterator[tuple[int, list[str]]]:
    try:
        for values in reader:
            if not any(value.strip() for value in values):
                continue
            number += 1
            yield number, (values + [""] * width)[:width]
    except csv.Error as error:
        raise UnreadableCsv(f"the file is not valid CSV after row {number} ({error})") from None


def digest(path: Path, extra: str) -> str:
    """SHA-256 of the file's bytes and `extra` (the options), read in blocks."""
    hashed = hashlib.sha256()
    with open(path, "rb") as file:
        while block := file.read(1 << 20):
            hashed.update(block)
    hashed.update(b"\0" + extra.encode())
    return hashed.hexdigest()


def count_rows(path: Path) -> int:
    with open_csv(path) as source:
        return sum(1 for _ in source.rows)


def writer(file: IO[str]) -> Any:
    """A CSV writer in the form `open_csv` reads best: commas, quotes where needed, CRLF."""
    return csv.writer(file)
