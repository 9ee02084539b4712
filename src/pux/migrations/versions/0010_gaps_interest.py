"""gaps, unfunded board and interest marks, brief cache (issue 13)

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01 19:20:00

Partners' marks of interest in needs (the unfunded-needs board). Rendered briefs are cached in memory
keyed by the data version (pux.briefs.cache), so no cache table is needed.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "need_interest",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("need_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("marked_by_id", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("acknowledged_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("acknowledged_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["acknowledged_by_id"],
            ["user_account.id"],
            name=op.f("fk_need_interest_acknowledged_by_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["marked_by_id"], ["user_account.id"], name=op.f("fk_need_interest_marked_by_id_user_account")
        ),
        sa.ForeignKeyConstraint(["need_id"], ["need.id"], name=op.f("fk_need_interest_need_id_need")),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_need_interest_organisation_id_organisation"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_need_interest")),
        sa.UniqueConstraint("need_id", "organisation_id", name=op.f("uq_need_interest_need_id")),
    )
    with op.batch_alter_table("need_interest", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_need_interest_need_id"), ["need_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_need_interest_organisation_id"), ["organisation_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_need_interest_status"), ["status"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("need_interest", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_need_interest_status"))
        batch_op.drop_index(batch_op.f("ix_need_interest_organisation_id"))
        batch_op.drop_index(batch_op.f("ix_need_interest_need_id"))
    op.drop_table("need_interest")
