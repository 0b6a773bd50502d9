"""office server: a change log with transaction ids and the attachment files, on PostgreSQL only

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 09:00:00

Laptops pull what changed on the server since their last pull. Wall-clock times cannot tell that
(clocks differ, transactions commit out of order), so every audit entry stored on the server is
logged by a trigger with the id of the transaction that wrote it, the role that connected and
the laptop the sync named (`boeun.laptop`). A puller remembers the oldest transaction still
running at its snapshot (pg_snapshot_xmin) and next time asks for everything from there on.
Attachment files live on the server as bytes by SHA-256, so another laptop can pull them.
A laptop's SQLite file gets nothing: the revision only keeps both at the same schema.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.create_table(
        "server_change",
        sa.Column("seq", sa.BigInteger(), sa.Identity(), nullable=False),
        sa.Column("xid", sa.BigInteger(), nullable=False,
                  server_default=sa.text("(pg_current_xact_id()::text)::bigint")),
        sa.Column("entry_id", sa.String(length=36), nullable=False),
        sa.Column("entity", sa.String(length=40), nullable=False),
        sa.Column("entity_id", sa.String(length=36), nullable=False),
        sa.Column("db_user", sa.String(length=100), nullable=False, server_default=sa.text("session_user")),
        sa.Column("laptop", sa.String(length=200), nullable=False,
                  server_default=sa.text("coalesce(current_setting('boeun.laptop', true), '')")),
        sa.Column("received_at", sa.DateTime(), nullable=False,
                  server_default=sa.text("(now() at time zone 'utc')")),
        sa.PrimaryKeyConstraint("seq", name="pk_server_change"),
    )
    op.create_index("ix_server_change_xid", "server_change", ["xid"])
    op.create_index("ix_server_change_entry_id", "server_change", ["entry_id"])
    op.create_table(
        "server_file",
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("content_hash", name="pk_server_file"),
    )
    # One statement-level trigger: a merge of 10,000 records logs its entries in one INSERT. It runs
    # with its owner's rights (officers' roles may only read the log: they cannot write a false one);
    # session_user is still the role that connected.
    op.execute("""
        CREATE FUNCTION boeun_log_changes() RETURNS trigger LANGUAGE plpgsql
        SECURITY DEFINER SET search_path = public AS $$
        BEGIN
            INSERT INTO server_change (entry_id, entity, entity_id)
                SELECT id, entity, entity_id FROM new_entries;
            RETURN NULL;
        END $$""")
    op.execute("""
        CREATE TRIGGER audit_entry_logged AFTER INSERT ON audit_entry
            REFERENCING NEW TABLE AS new_entries FOR EACH STATEMENT EXECUTE FUNCTION boeun_log_changes()""")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP TRIGGER audit_entry_logged ON audit_entry")
    op.execute("DROP FUNCTION boeun_log_changes()")
    op.drop_table("server_file")
    op.drop_index("ix_server_change_entry_id", table_name="server_change")
    op.drop_index("ix_server_change_xid", table_name="server_change")
    op.drop_table("server_change")
