"""The database on disk: the file and its lock (`lock`), where a target points (`target`), the mark
that makes it ours (`identity`), the engine and migrations (`engine`), backups and restore.

Nothing here imports SQLAlchemy at import time except `engine`: the desktop program's window reads
the start page through `lock` before the database layer has loaded (app.py). Nothing here imports
the services, exchange, reports or the screens (tests/test_architecture.py).
"""

from boeun_desk.storage.errors import DamagedDatabase, DatabaseError, ForeignDatabase, InvalidDatabasePath

__all__ = ["DamagedDatabase", "DatabaseError", "ForeignDatabase", "InvalidDatabasePath"]
