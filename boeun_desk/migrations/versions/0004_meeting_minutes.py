"""meeting minutes: a meeting's times, agenda and recorder, its attendees and its follow-up actions

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def _tracked() -> list[sa.Column]:
    """The identity and history columns every officer record carries (models.base.Tracked)."""
    return [
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=100), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
    ]


def _child_table(name: str, *columns: sa.Column) -> None:
    """A table of rows that belong to one meeting, with the indexes the models declare."""
    op.create_table(
        name,
        sa.Column("meeting_id", sa.String(length=36), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        *columns,
        *_tracked(),
        sa.ForeignKeyConstraint(["meeting_id"], ["meeting.id"], name=op.f(f"fk_{name}_meeting_id_meeting")),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{name}")),
    )
    with op.batch_alter_table(name, schema=None) as batch_op:
        batch_op.create_index(batch_op.f(f"ix_{name}_meeting_id"), ["meeting_id"], unique=False)
        batch_op.create_index(batch_op.f(f"ix_{name}_updated_at"), ["updated_at"], unique=False)


def upgrade() -> None:
    with op.batch_alter_table("meeting", schema=None) as batch_op:
        batch_op.add_column(sa.Column("start_time", sa.String(length=5), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("end_time", sa.String(length=5), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("agenda", sa.Text(), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("recorder", sa.String(length=100), nullable=False, server_default=""))
    _child_table("meeting_attendee",
                 sa.Column("category", sa.String(length=50), nullable=False),
                 sa.Column("organisation", sa.String(length=200), nullable=False),
                 sa.Column("position", sa.String(length=100), nullable=False),
                 sa.Column("name", sa.String(length=100), nullable=False))
    _child_table("meeting_action",
                 sa.Column("action", sa.Text(), nullable=False),
                 sa.Column("owner", sa.String(length=100), nullable=False),
                 sa.Column("due_date", sa.Date(), nullable=True),
                 sa.Column("done", sa.Boolean(), nullable=False))


def downgrade() -> None:
    for name in ("meeting_action", "meeting_attendee"):
        with op.batch_alter_table(name, schema=None) as batch_op:
            batch_op.drop_index(batch_op.f(f"ix_{name}_updated_at"))
            batch_op.drop_index(batch_op.f(f"ix_{name}_meeting_id"))
        op.drop_table(name)
    with op.batch_alter_table("meeting", schema=None) as batch_op:
        for column in ("recorder", "agenda", "end_time", "start_time"):
            batch_op.drop_column(column)
