"""Reading the input files: plain or gzip CSV (UTF-8, optional BOM), header checks, hashes."""

from __future__ import annotations

import gzip
import hashlib
import io
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

from app.importers.errors import BadRow

# A 128-bit hash of one country row; a roll's hash is their sum (order does not matter).
ROW_HASH_MASK = (1 << 128) - 1


def row_hash(*fields: str) -> int:
    digest = hashlib.blake2b("\x1f".join(fields).encode(), digest_size=16).digest()
    return int.from_bytes(digest, "big")


def record_digest(*parts: object) -> str:
    return hashlib.sha256("\x1e".join(repr(p) for p in parts).encode()).hexdigest()


def file_sha256(*paths: Path) -> str:
    """sha256 of a file's bytes; for several files, of their names and hashes."""
    if len(paths) == 1:
        h = hashlib.sha256()
        with paths[0].open("rb") as f:
            for chunk in iter(lambda: f.read(1 << 20), b""):
                h.update(chunk)
        return h.hexdigest()
    combined = "\n".join(f"{p.name} {file_sha256(p)}" for p in paths)
    return hashlib.sha256(combined.encode()).hexdigest()


def find_table(folder: Path, stem: str) -> Path | None:
    """``stem.csv.gz`` or ``stem.csv`` in ``folder``."""
    for suffix in (".csv.gz", ".csv"):
        path = folder / f"{stem}{suffix}"
        if path.is_file():
            return path
    return None


@contextmanager
def open_csv(path: Path, stream: TextIO | None = None) -> Iterator[TextIO]:
    """The file as text (gzip by its name); ``stream``, when given, is read instead (tests)."""
    if stream is not None:
        yield stream
        return
    if path.name.endswith(".gz"):
        raw = gzip.open(path, "rb")  # noqa: SIM115 - closed below
        text: TextIO = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
    else:
        text = path.open(encoding="utf-8-sig", newline="")
    try:
        yield text
    finally:
        text.close()


def header_index(
    file: str,
    header: Sequence[str] | None,
    required: Sequence[str],
    optional: Sequence[str] = (),
) -> tuple[dict[str, int], list[BadRow]]:
    """Column positions by name; a missing required column is a bad row (line 1)."""
    names = [h.strip().lower() for h in (header or [])]
    index = {name: i for i, name in enumerate(names)}
    bad = [
        BadRow(file, 1, column, "", "required column is missing")
        for column in required
        if column not in index
    ]
    return {c: index[c] for c in (*required, *optional) if c in index}, bad
