"""document settings of a program (작성부서, 결재란, 참여기관, per-firm limits) and the expert of a visit

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-30 18:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

def upgrade() -> None:
    with op.batch_alter_table("program", schema=None) as batch_op:
        batch_op.add_column(sa.Column("participants", sa.Text(), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("department", sa.String(length=100), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("approval_titles", sa.String(length=200), nullable=False,
                                      server_default="담당,팀장,센터장"))
        batch_op.add_column(sa.Column("firm_limit_amount", sa.BigInteger(), nullable=False,
                                      server_default="50000000"))
        batch_op.add_column(sa.Column("firm_limit_cases", sa.Integer(), nullable=False, server_default="5"))
    with op.batch_alter_table("visit", schema=None) as batch_op:
        batch_op.add_column(sa.Column("expert_name", sa.String(length=100), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("expert_org", sa.String(length=200), nullable=False, server_default=""))
    # The seeded program is run by the TP's 바이오센터 with the county and the province.
    op.execute(sa.text("UPDATE program SET department = '바이오센터', participants = '충청북도, 보은군' "
                       "WHERE lead_agency LIKE '%충북테크노파크%' AND department = ''"))


def downgrade() -> None:
    with op.batch_alter_table("visit", schema=None) as batch_op:
        batch_op.drop_column("expert_org")
        batch_op.drop_column("expert_name")
    with op.batch_alter_table("program", schema=None) as batch_op:
        for column in ("firm_limit_cases", "firm_limit_amount", "approval_titles", "department", "participants"):
            batch_op.drop_column(column)
