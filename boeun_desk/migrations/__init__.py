"""Alembic migrations of Boeun Desk (scripts in versions/)."""

# The newest revision in versions/. Opening a database compares with this instead of loading
# Alembic (a third of start-up); tests/test_db.py fails when a new migration forgets to update it.
HEAD = "0005"
