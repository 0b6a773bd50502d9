"""initial schema, the eight support types and the 2024-2025 Boeun program

Revision ID: 0001
Revises:
Create Date: 2026-11-25 02:01:31.750301
"""

from __future__ import annotations

import uuid
from datetime import datetime

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


# Seeded rows get name-based UUIDs so every laptop's copy holds the same ids (merging needs that).
_NS = uuid.UUID("6f1c0d1e-8a43-4a55-9a1f-0b0e5e0d2024")
SUPPORT_TYPES = [  # code, name, name_en, grant share percent
    ("PROTO", "시제품 제작지원", "Prototype production", 70),
    ("SMART", "스마트 기술적용 생산성향상", "Productivity via smart technology", 70),
    ("TEST", "시험분석 및 인증지원", "Test/analysis and certification", 90),
    ("PKG", "유망기업 패키지지원", "Promising-firm package", 70),
    ("GUIDE", "기술지도지원", "Technical guidance", 90),
    ("IP", "지식재산권지원", "Intellectual property", 80),
    ("IMPROVE", "제품개선지원", "Product improvement", 80),
    ("CONSULT", "컨설팅지원", "Consulting", 90),
]
PROGRAM_NAME = "2024~2025 시군구연고산업육성사업(보은)"
PROGRAM_TITLE = "보은군의 미래형 농촌도시 구축을 위한 원물가공식품산업육성사업"
# Reported two-year budget 9.4억 (국비 6.4억, 도비 1.9억, 군비 1.1억), split evenly over the years.
YEAR_BUDGET = (320_000_000, 95_000_000, 55_000_000)


def seed_id(*parts: str) -> str:
    return str(uuid.uuid5(_NS, "/".join(parts)))


def _seed() -> None:
    now = datetime(2024, 1, 1)
    stamp = {"created_at": now, "updated_at": now, "updated_by": "", "deleted_at": None, "version": 1}
    meta = sa.MetaData()
    support_type = sa.Table("support_type", meta, autoload_with=op.get_bind())
    program = sa.Table("program", meta, autoload_with=op.get_bind())
    program_year = sa.Table("program_year", meta, autoload_with=op.get_bind())
    op.bulk_insert(
        support_type,
        [
            {
                "id": seed_id("support_type", code),
                "code": code,
                "name": name,
                "name_en": name_en,
                "grant_share_percent": share,
                "sort_order": order,
                "active": True,
                **stamp,
            }
            for order, (code, name, name_en, share) in enumerate(SUPPORT_TYPES, start=1)
        ],
    )
    program_id = seed_id("program", "boeun-2024")
    op.bulk_insert(
        program,
        [
            {
                "id": program_id,
                "name": PROGRAM_NAME,
                "title": PROGRAM_TITLE,
                "lead_agency": "(재)충북테크노파크",
                "start_year": 2024,
                "end_year": 2025,
                "notes": "",
                **stamp,
            }
        ],
    )
    op.bulk_insert(
        program_year,
        [
            {
                "id": seed_id("program_year", str(year)),
                "program_id": program_id,
                "year": year,
                "budget_national": YEAR_BUDGET[0],
                "budget_provincial": YEAR_BUDGET[1],
                "budget_county": YEAR_BUDGET[2],
                "notes": "",
                **stamp,
            }
            for year in (2024, 2025)
        ],
    )


def upgrade() -> None:
    op.create_table(
        "attachment",
        sa.Column("owner_kind", sa.String(length=40), nullable=False),
        sa.Column("owner_id", sa.String(length=36), nullable=False),
        sa.Column("filename", sa.String(length=300), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("media_type", sa.String(length=100), nullable=False),
        sa.Column("caption", sa.String(length=300), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=100), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attachment")),
    )
    with op.batch_alter_table("attachment", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_attachment_owner_id"), ["owner_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_attachment_updated_at"), ["updated_at"], unique=False)

    op.create_table(
        "audit_entry",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("officer", sa.String(length=100), nullable=False),
        sa.Column("entity", sa.String(length=40), nullable=False),
        sa.Column("entity_id", sa.String(length=36), nullable=False),
        sa.Column("action", sa.String(length=10), nullable=False),
        sa.Column("field", sa.String(length=60), nullable=False),
        sa.Column("old_value", sa.Text(), nullable=True),
        sa.Column("new_value", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_entry")),
    )
    with op.batch_alter_table("audit_entry", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_entry_at"), ["at"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_entry_entity_id"), ["entity_id"], unique=False)

    op.create_table(
        "firm",
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("brn", sa.String(length=10), nullable=False),
        sa.Column("crn", sa.String(length=13), nullable=False),
        sa.Column("representative", sa.String(length=100), nullable=False),
        sa.Column("address", sa.String(length=300), nullable=False),
        sa.Column("phone", sa.String(length=40), nullable=False),
        sa.Column("email", sa.String(length=200), nullable=False),
        sa.Column("founded", sa.Date(), nullable=True),
        sa.Column("employees", sa.Integer(), nullable=True),
        sa.Column("main_products", sa.Text(), nullable=False),
        sa.Column("local_resource", sa.String(length=200), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=100), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_firm")),
        sa.UniqueConstraint("brn", name=op.f("uq_firm_brn")),
    )
    with op.batch_alter_table("firm", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_firm_name"), ["name"], unique=False)
        batch_op.create_index(batch_op.f("ix_firm_updated_at"), ["updated_at"], unique=False)

    op.create_table(
        "meta",
        sa.Column("key", sa.String(length=60), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_meta")),
    )
    op.create_table(
        "officer",
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("team", sa.String(length=100), nullable=False),
        sa.Column("position", sa.String(length=100), nullable=False),
        sa.Column("phone", sa.String(length=40), nullable=False),
        sa.Column("email", sa.String(length=200), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=100), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_officer")),
    )
    with op.batch_alter_table("officer", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_officer_updated_at"), ["updated_at"], unique=False)

    op.create_table(
        "program",
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("lead_agency", sa.String(length=200), nullable=False),
        sa.Column("start_year", sa.Integer(), nullable=False),
        sa.Column("end_year", sa.Integer(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=100), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_program")),
    )
    with op.batch_alter_table("program", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_program_updated_at"), ["updated_at"], unique=False)

    op.create_table(
        "supply_company",
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("brn", sa.String(length=10), nullable=True),
        sa.Column("fields", sa.String(length=300), nullable=False),
        sa.Column("contact_name", sa.String(length=100), nullable=False),
        sa.Column("phone", sa.String(length=40), nullable=False),
        sa.Column("email", sa.String(length=200), nullable=False),
        sa.Column("address", sa.String(length=300), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=100), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_supply_company")),
        sa.UniqueConstraint("brn", name=op.f("uq_supply_company_brn")),
    )
    with op.batch_alter_table("supply_company", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_supply_company_name"), ["name"], unique=False)
        batch_op.create_index(batch_op.f("ix_supply_company_updated_at"), ["updated_at"], unique=False)

    op.create_table(
        "support_type",
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("name_en", sa.String(length=100), nullable=False),
        sa.Column("grant_share_percent", sa.Integer(), nullable=False),
        sa.Column("sort_order", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=100), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_support_type")),
        sa.UniqueConstraint("code", name=op.f("uq_support_type_code")),
    )
    with op.batch_alter_table("support_type", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_support_type_updated_at"), ["updated_at"], unique=False)

    op.create_table(
        "indicator",
        sa.Column("firm_id", sa.String(length=36), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("metric", sa.String(length=30), nullable=False),
        sa.Column("baseline", sa.BigInteger(), nullable=False),
        sa.Column("result", sa.BigInteger(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=100), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["firm_id"], ["firm.id"], name=op.f("fk_indicator_firm_id_firm")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_indicator")),
        sa.UniqueConstraint("firm_id", "year", "metric", name=op.f("uq_indicator_firm_id")),
    )
    with op.batch_alter_table("indicator", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_indicator_firm_id"), ["firm_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_indicator_updated_at"), ["updated_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_indicator_year"), ["year"], unique=False)

    op.create_table(
        "program_year",
        sa.Column("program_id", sa.String(length=36), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("budget_national", sa.BigInteger(), nullable=False),
        sa.Column("budget_provincial", sa.BigInteger(), nullable=False),
        sa.Column("budget_county", sa.BigInteger(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=100), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["program_id"], ["program.id"], name=op.f("fk_program_year_program_id_program")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_program_year")),
        sa.UniqueConstraint("program_id", "year", name=op.f("uq_program_year_program_id")),
    )
    with op.batch_alter_table("program_year", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_program_year_program_id"), ["program_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_program_year_updated_at"), ["updated_at"], unique=False)

    op.create_table(
        "match",
        sa.Column("supply_company_id", sa.String(length=36), nullable=False),
        sa.Column("firm_id", sa.String(length=36), nullable=False),
        sa.Column("program_year_id", sa.String(length=36), nullable=False),
        sa.Column("matched_on", sa.Date(), nullable=True),
        sa.Column("occasion", sa.String(length=200), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=100), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["firm_id"], ["firm.id"], name=op.f("fk_match_firm_id_firm")),
        sa.ForeignKeyConstraint(
            ["program_year_id"], ["program_year.id"], name=op.f("fk_match_program_year_id_program_year")
        ),
        sa.ForeignKeyConstraint(
            ["supply_company_id"],
            ["supply_company.id"],
            name=op.f("fk_match_supply_company_id_supply_company"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_match")),
    )
    with op.batch_alter_table("match", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_match_firm_id"), ["firm_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_match_program_year_id"), ["program_year_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_match_supply_company_id"), ["supply_company_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_match_updated_at"), ["updated_at"], unique=False)

    op.create_table(
        "meeting",
        sa.Column("program_year_id", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("place", sa.String(length=300), nullable=False),
        sa.Column("attendees", sa.Text(), nullable=False),
        sa.Column("findings", sa.Text(), nullable=False),
        sa.Column("recommendations", sa.Text(), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=100), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["program_year_id"], ["program_year.id"], name=op.f("fk_meeting_program_year_id_program_year")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting")),
    )
    with op.batch_alter_table("meeting", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_meeting_program_year_id"), ["program_year_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_meeting_updated_at"), ["updated_at"], unique=False)

    op.create_table(
        "selection",
        sa.Column("firm_id", sa.String(length=36), nullable=False),
        sa.Column("program_year_id", sa.String(length=36), nullable=False),
        sa.Column("selected_on", sa.Date(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=100), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["firm_id"], ["firm.id"], name=op.f("fk_selection_firm_id_firm")),
        sa.ForeignKeyConstraint(
            ["program_year_id"], ["program_year.id"], name=op.f("fk_selection_program_year_id_program_year")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_selection")),
        sa.UniqueConstraint("firm_id", "program_year_id", name=op.f("uq_selection_firm_id")),
    )
    with op.batch_alter_table("selection", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_selection_firm_id"), ["firm_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_selection_program_year_id"), ["program_year_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_selection_updated_at"), ["updated_at"], unique=False)

    op.create_table(
        "support_case",
        sa.Column("firm_id", sa.String(length=36), nullable=False),
        sa.Column("program_year_id", sa.String(length=36), nullable=False),
        sa.Column("support_type_id", sa.String(length=36), nullable=False),
        sa.Column("supply_company_id", sa.String(length=36), nullable=True),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=True),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("grant_national", sa.BigInteger(), nullable=False),
        sa.Column("grant_provincial", sa.BigInteger(), nullable=False),
        sa.Column("grant_county", sa.BigInteger(), nullable=False),
        sa.Column("firm_cash", sa.BigInteger(), nullable=False),
        sa.Column("firm_in_kind", sa.BigInteger(), nullable=False),
        sa.Column("result", sa.Text(), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=100), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["firm_id"], ["firm.id"], name=op.f("fk_support_case_firm_id_firm")),
        sa.ForeignKeyConstraint(
            ["program_year_id"],
            ["program_year.id"],
            name=op.f("fk_support_case_program_year_id_program_year"),
        ),
        sa.ForeignKeyConstraint(
            ["supply_company_id"],
            ["supply_company.id"],
            name=op.f("fk_support_case_supply_company_id_supply_company"),
        ),
        sa.ForeignKeyConstraint(
            ["support_type_id"],
            ["support_type.id"],
            name=op.f("fk_support_case_support_type_id_support_type"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_support_case")),
    )
    with op.batch_alter_table("support_case", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_support_case_firm_id"), ["firm_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_support_case_program_year_id"), ["program_year_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_support_case_support_type_id"), ["support_type_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_support_case_updated_at"), ["updated_at"], unique=False)

    op.create_table(
        "certification",
        sa.Column("firm_id", sa.String(length=36), nullable=False),
        sa.Column("case_id", sa.String(length=36), nullable=True),
        sa.Column("kind", sa.String(length=100), nullable=False),
        sa.Column("number", sa.String(length=100), nullable=False),
        sa.Column("issuer", sa.String(length=200), nullable=False),
        sa.Column("product", sa.String(length=200), nullable=False),
        sa.Column("issued_on", sa.Date(), nullable=True),
        sa.Column("expires_on", sa.Date(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=100), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["support_case.id"], name=op.f("fk_certification_case_id_support_case")
        ),
        sa.ForeignKeyConstraint(["firm_id"], ["firm.id"], name=op.f("fk_certification_firm_id_firm")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_certification")),
    )
    with op.batch_alter_table("certification", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_certification_expires_on"), ["expires_on"], unique=False)
        batch_op.create_index(batch_op.f("ix_certification_firm_id"), ["firm_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_certification_updated_at"), ["updated_at"], unique=False)

    op.create_table(
        "ip_right",
        sa.Column("firm_id", sa.String(length=36), nullable=False),
        sa.Column("case_id", sa.String(length=36), nullable=True),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("application_no", sa.String(length=50), nullable=False),
        sa.Column("application_date", sa.Date(), nullable=True),
        sa.Column("registration_no", sa.String(length=50), nullable=False),
        sa.Column("registration_date", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=100), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["support_case.id"], name=op.f("fk_ip_right_case_id_support_case")
        ),
        sa.ForeignKeyConstraint(["firm_id"], ["firm.id"], name=op.f("fk_ip_right_firm_id_firm")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ip_right")),
    )
    with op.batch_alter_table("ip_right", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_ip_right_firm_id"), ["firm_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_ip_right_updated_at"), ["updated_at"], unique=False)

    op.create_table(
        "test_analysis",
        sa.Column("firm_id", sa.String(length=36), nullable=False),
        sa.Column("case_id", sa.String(length=36), nullable=True),
        sa.Column("kind", sa.String(length=100), nullable=False),
        sa.Column("item", sa.String(length=300), nullable=False),
        sa.Column("product", sa.String(length=200), nullable=False),
        sa.Column("lab", sa.String(length=200), nullable=False),
        sa.Column("requested_on", sa.Date(), nullable=True),
        sa.Column("result_on", sa.Date(), nullable=True),
        sa.Column("passed", sa.Boolean(), nullable=True),
        sa.Column("report_no", sa.String(length=100), nullable=False),
        sa.Column("result", sa.Text(), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=100), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["support_case.id"], name=op.f("fk_test_analysis_case_id_support_case")
        ),
        sa.ForeignKeyConstraint(["firm_id"], ["firm.id"], name=op.f("fk_test_analysis_firm_id_firm")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_test_analysis")),
    )
    with op.batch_alter_table("test_analysis", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_test_analysis_firm_id"), ["firm_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_test_analysis_updated_at"), ["updated_at"], unique=False)

    op.create_table(
        "visit",
        sa.Column("firm_id", sa.String(length=36), nullable=False),
        sa.Column("case_id", sa.String(length=36), nullable=True),
        sa.Column("support_type_id", sa.String(length=36), nullable=True),
        sa.Column("officer_id", sa.String(length=36), nullable=True),
        sa.Column("starts_at", sa.DateTime(), nullable=False),
        sa.Column("ends_at", sa.DateTime(), nullable=True),
        sa.Column("place", sa.String(length=300), nullable=False),
        sa.Column("attendees", sa.Text(), nullable=False),
        sa.Column("purpose", sa.Text(), nullable=False),
        sa.Column("situation", sa.Text(), nullable=False),
        sa.Column("advice", sa.Text(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=100), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["support_case.id"], name=op.f("fk_visit_case_id_support_case")),
        sa.ForeignKeyConstraint(["firm_id"], ["firm.id"], name=op.f("fk_visit_firm_id_firm")),
        sa.ForeignKeyConstraint(["officer_id"], ["officer.id"], name=op.f("fk_visit_officer_id_officer")),
        sa.ForeignKeyConstraint(
            ["support_type_id"], ["support_type.id"], name=op.f("fk_visit_support_type_id_support_type")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_visit")),
    )
    with op.batch_alter_table("visit", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_visit_case_id"), ["case_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_visit_firm_id"), ["firm_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_visit_starts_at"), ["starts_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_visit_updated_at"), ["updated_at"], unique=False)

    op.create_table(
        "follow_up",
        sa.Column("visit_id", sa.String(length=36), nullable=False),
        sa.Column("action", sa.Text(), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=True),
        sa.Column("done", sa.Boolean(), nullable=False),
        sa.Column("done_on", sa.Date(), nullable=True),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=100), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["visit_id"], ["visit.id"], name=op.f("fk_follow_up_visit_id_visit")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_follow_up")),
    )
    with op.batch_alter_table("follow_up", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_follow_up_due_date"), ["due_date"], unique=False)
        batch_op.create_index(batch_op.f("ix_follow_up_updated_at"), ["updated_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_follow_up_visit_id"), ["visit_id"], unique=False)

    _seed()


def downgrade() -> None:
    with op.batch_alter_table("follow_up", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_follow_up_visit_id"))
        batch_op.drop_index(batch_op.f("ix_follow_up_updated_at"))
        batch_op.drop_index(batch_op.f("ix_follow_up_due_date"))

    op.drop_table("follow_up")
    with op.batch_alter_table("visit", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_visit_updated_at"))
        batch_op.drop_index(batch_op.f("ix_visit_starts_at"))
        batch_op.drop_index(batch_op.f("ix_visit_firm_id"))
        batch_op.drop_index(batch_op.f("ix_visit_case_id"))

    op.drop_table("visit")
    with op.batch_alter_table("test_analysis", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_test_analysis_updated_at"))
        batch_op.drop_index(batch_op.f("ix_test_analysis_firm_id"))

    op.drop_table("test_analysis")
    with op.batch_alter_table("ip_right", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_ip_right_updated_at"))
        batch_op.drop_index(batch_op.f("ix_ip_right_firm_id"))

    op.drop_table("ip_right")
    with op.batch_alter_table("certification", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_certification_updated_at"))
        batch_op.drop_index(batch_op.f("ix_certification_firm_id"))
        batch_op.drop_index(batch_op.f("ix_certification_expires_on"))

    op.drop_table("certification")
    with op.batch_alter_table("support_case", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_support_case_updated_at"))
        batch_op.drop_index(batch_op.f("ix_support_case_support_type_id"))
        batch_op.drop_index(batch_op.f("ix_support_case_program_year_id"))
        batch_op.drop_index(batch_op.f("ix_support_case_firm_id"))

    op.drop_table("support_case")
    with op.batch_alter_table("selection", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_selection_updated_at"))
        batch_op.drop_index(batch_op.f("ix_selection_program_year_id"))
        batch_op.drop_index(batch_op.f("ix_selection_firm_id"))

    op.drop_table("selection")
    with op.batch_alter_table("meeting", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_meeting_updated_at"))
        batch_op.drop_index(batch_op.f("ix_meeting_program_year_id"))

    op.drop_table("meeting")
    with op.batch_alter_table("match", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_match_updated_at"))
        batch_op.drop_index(batch_op.f("ix_match_supply_company_id"))
        batch_op.drop_index(batch_op.f("ix_match_program_year_id"))
        batch_op.drop_index(batch_op.f("ix_match_firm_id"))

    op.drop_table("match")
    with op.batch_alter_table("program_year", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_program_year_updated_at"))
        batch_op.drop_index(batch_op.f("ix_program_year_program_id"))

    op.drop_table("program_year")
    with op.batch_alter_table("indicator", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_indicator_year"))
        batch_op.drop_index(batch_op.f("ix_indicator_updated_at"))
        batch_op.drop_index(batch_op.f("ix_indicator_firm_id"))

    op.drop_table("indicator")
    with op.batch_alter_table("support_type", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_support_type_updated_at"))

    op.drop_table("support_type")
    with op.batch_alter_table("supply_company", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_supply_company_updated_at"))
        batch_op.drop_index(batch_op.f("ix_supply_company_name"))

    op.drop_table("supply_company")
    with op.batch_alter_table("program", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_program_updated_at"))

    op.drop_table("program")
    with op.batch_alter_table("officer", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_officer_updated_at"))

    op.drop_table("officer")
    op.drop_table("meta")
    with op.batch_alter_table("firm", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_firm_updated_at"))
        batch_op.drop_index(batch_op.f("ix_firm_name"))

    op.drop_table("firm")
    with op.batch_alter_table("audit_entry", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_entry_entity_id"))
        batch_op.drop_index(batch_op.f("ix_audit_entry_at"))

    op.drop_table("audit_entry")
    with op.batch_alter_table("attachment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_attachment_updated_at"))
        batch_op.drop_index(batch_op.f("ix_attachment_owner_id"))

    op.drop_table("attachment")
