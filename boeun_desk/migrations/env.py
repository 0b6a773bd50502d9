"""Alembic environment. Runs on the connection handed in by `boeun_desk.storage.engine.migrate`."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from boeun_desk.models import Base

config = context.config
target_metadata = Base.metadata


def run_migrations() -> None:
    connection = config.attributes.get("connection")
    if connection is None:  # `alembic` command line, used by developers for autogenerate
        engine = create_engine(config.get_main_option("sqlalchemy.url"))
        with engine.begin() as conn:
            _run(conn)
        return
    _run(connection)


def _run(connection) -> None:
    context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


run_migrations()
