"""indicator targets (성과지표 목표) per program year, for the program or one firm

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01 10:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "indicator_target",
        sa.Column("program_year_id", sa.String(length=36), nullable=False),
        sa.Column("firm_id", sa.String(length=36), nullable=True),
        sa.Column("metric", sa.String(length=30), nullable=False),
        sa.Column("target", sa.BigInteger(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=100), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["firm_id"], ["firm.id"], name=op.f("fk_indicator_target_firm_id_firm")),
        sa.ForeignKeyConstraint(["program_year_id"], ["program_year.id"],
                                name=op.f("fk_indicator_target_program_year_id_program_year")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_indicator_target")),
        sa.UniqueConstraint("program_year_id", "firm_id", "metric", name=op.f("uq_indicator_target_program_year_id")),
    )
    with op.batch_alter_table("indicator_target", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_indicator_target_firm_id"), ["firm_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_indicator_target_program_year_id"), ["program_year_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_indicator_target_updated_at"), ["updated_at"], unique=False)
        # The program's own target (no firm): one per year and metric (NULLs never clash above).
        batch_op.create_index("uq_indicator_target_program", ["program_year_id", "metric"], unique=True,
                              sqlite_where=sa.text("firm_id IS NULL"), postgresql_where=sa.text("firm_id IS NULL"))


def downgrade() -> None:
    op.drop_table("indicator_target")
