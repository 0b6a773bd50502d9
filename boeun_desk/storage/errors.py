"""The storage layer's errors; `str()` of each is a Korean message for the officer."""

from __future__ import annotations

import sqlite3
from pathlib import Path


class DatabaseError(Exception):
    """A database that cannot be opened or used; `str()` is a Korean message for the officer."""


class InvalidDatabasePath(DatabaseError):
    """A file name or URL the database layer cannot open as given (the command line exits 2: bad input)."""


class ForeignDatabase(InvalidDatabasePath):
    """A file that is not a Boeun Desk database (another program's, or of a newer version): refused."""


class NewerDatabase(ForeignDatabase):
    """A Boeun Desk file of a schema newer than this version knows."""


class DamagedDatabase(DatabaseError):
    """The file fails the integrity check or is not a database; `path` can be restored from a backup."""

    def __init__(self, message: str, path: Path | None):
        super().__init__(message)
        self.path = path


class PassphraseNeeded(DatabaseError, sqlite3.DatabaseError):
    """An encrypted file opened without its passphrase (also a sqlite3 error: raw checks skip it)."""

    def __init__(self, message: str, path: Path | None):
        super().__init__(message)
        self.path = path


class WrongPassphrase(PassphraseNeeded):
    """The passphrase given does not open the file (or the file is damaged: only the key tells)."""
