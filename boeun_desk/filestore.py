"""Attachment files on disk, named by the SHA-256 of their bytes: `files/ab/abcdef…`.

A file is hashed while it is copied into a unique temporary file in the files folder, and only then
renamed to its hash: the name is always the hash of the bytes stored (never of a source that changed
in between), and two programs storing at once never share a temporary name. A path is only ever made
from exactly 64 lower-case hex digits, so no record can name a file outside the folder.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING

from boeun_desk.i18n import t
from boeun_desk.validation import InvalidValue

if TYPE_CHECKING:
    from boeun_desk.storage.engine import Database

CHUNK = 1 << 20
_HASH = re.compile(r"[0-9a-f]{64}")
TEMP_PREFIX = ".incoming-"


def is_content_hash(value: object) -> bool:
    return isinstance(value, str) and _HASH.fullmatch(value) is not None


def content_path(files_dir: Path, content_hash: str) -> Path:
    """Where the file of this hash is stored; anything but 64 lower-case hex digits is refused."""
    if not is_content_hash(content_hash):
        raise InvalidValue(t("파일 해시는 16진수 소문자 64자리입니다"))
    return files_dir / content_hash[:2] / content_hash


def files_dir_of(database: Database) -> Path:
    """Attachments live beside a database file (`name.files/`), else in the user data folder."""
    if database.path is not None:
        return database.path.with_name(database.path.name + ".files")
    from boeun_desk.paths import data_dir

    return data_dir() / "files"


def chunks_of(handle: IO[bytes], size: int | None = None) -> Iterator[bytes]:
    """The handle's bytes a chunk at a time: all of them, or exactly the next `size` (fewer if it ends)."""
    left = size
    while left is None or left > 0:
        block = handle.read(CHUNK if left is None else min(CHUNK, left))
        if not block:
            return
        if left is not None:
            left -= len(block)
        yield block


@dataclass(frozen=True)
class Staged:
    """A copy in the files folder under a temporary name (None: the folder holds the file already)."""

    content_hash: str
    size: int
    temporary: Path | None

    def discard(self) -> None:
        if self.temporary is not None:
            self.temporary.unlink(missing_ok=True)


def stage(files_dir: Path, chunks: Iterable[bytes], expected: str | None = None) -> Staged:
    """Copy `chunks` into a temporary file in `files_dir`, hashing what is written. With `expected`,
    bytes of another hash are refused (InvalidValue, no file left), and bytes the folder already
    holds are only hashed, not written again."""
    if expected is not None and content_path(files_dir, expected).is_file():
        digest, size = hashlib.sha256(), 0
        for chunk in chunks:
            digest.update(chunk)
            size += len(chunk)
        _check(digest.hexdigest(), expected)
        return Staged(expected, size, None)
    files_dir.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(dir=files_dir, prefix=TEMP_PREFIX, suffix=".part")  # mode 0600
    temporary = Path(name)
    try:
        digest, size = hashlib.sha256(), 0
        with os.fdopen(handle, "wb") as out:
            for chunk in chunks:
                digest.update(chunk)
                size += len(chunk)
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        if expected is not None:
            _check(digest.hexdigest(), expected)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return Staged(digest.hexdigest(), size, temporary)


def _check(found: str, expected: str) -> None:
    if found != expected:
        raise InvalidValue(t("파일 내용이 해시와 다릅니다: {hash}", hash=expected[:12]))


def place(files_dir: Path, staged: Staged) -> Path | None:
    """Rename a staged copy to its hash's name; the path if the file is new here, else None."""
    if staged.temporary is None:
        return None
    target = content_path(files_dir, staged.content_hash)
    if target.is_file():
        staged.discard()
        return None
    target.parent.mkdir(parents=True, exist_ok=True)
    os.replace(staged.temporary, target)  # atomic: never a half file under the final name
    return target


@contextmanager
def placed(files_dir: Path, staged: list[Staged]) -> Iterator[list[Path]]:
    """Put staged copies in place for the records written in the block; the files new here. If the
    block fails they are removed again (no record names them), and staged copies never outlive it."""
    new: list[Path] = []
    try:
        new += [target for copy in staged if (target := place(files_dir, copy)) is not None]
        yield new
    except BaseException:
        for target in new:
            target.unlink(missing_ok=True)
        raise
    finally:
        for copy in staged:
            copy.discard()
