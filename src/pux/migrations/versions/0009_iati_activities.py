"""IATI import and export (issue 14)

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 19:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "iati_source",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("file_name", sa.String(length=300), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("publisher_ref", sa.String(length=150), nullable=True),
        sa.Column("publisher_name", sa.String(length=300), nullable=True),
        sa.Column("iati_version", sa.String(length=10), nullable=True),
        sa.Column("generated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("first_read_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_iati_source")),
        sa.UniqueConstraint("sha256", "file_name", name=op.f("uq_iati_source_sha256")),
    )
    op.create_table(
        "iati_import_run",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("options", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("seconds", sa.Numeric(precision=12, scale=3), nullable=True),
        sa.Column("done_count", sa.Integer(), nullable=False),
        sa.Column("total_count", sa.Integer(), nullable=False),
        sa.Column("read_count", sa.Integer(), nullable=False),
        sa.Column("relevant_count", sa.Integer(), nullable=False),
        sa.Column("new_count", sa.Integer(), nullable=False),
        sa.Column("updated_count", sa.Integer(), nullable=False),
        sa.Column("unchanged_count", sa.Integer(), nullable=False),
        sa.Column("refused_count", sa.Integer(), nullable=False),
        sa.Column("refusals", sa.JSON(), nullable=False),
        sa.Column("file_problem", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(
            ["source_id"], ["iati_source.id"], name=op.f("fk_iati_import_run_source_id_iati_source")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_iati_import_run")),
    )
    with op.batch_alter_table("iati_import_run", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_iati_import_run_source_id"), ["source_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_iati_import_run_status"), ["status"], unique=False)

    op.create_table(
        "iati_organisation_to_confirm",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("iati_ref", sa.String(length=150), nullable=False),
        sa.Column("import_run_id", sa.Integer(), nullable=True),
        sa.Column("confirmed", sa.Boolean(), nullable=False),
        sa.Column("confirmed_by", sa.String(length=200), nullable=True),
        sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["import_run_id"],
            ["iati_import_run.id"],
            name=op.f("fk_iati_organisation_to_confirm_import_run_id_iati_import_run"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_iati_organisation_to_confirm_organisation_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_iati_organisation_to_confirm")),
        sa.UniqueConstraint("organisation_id", name=op.f("uq_iati_organisation_to_confirm_organisation_id")),
    )
    op.create_table(
        "iati_narrative",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("activity_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("field", sa.String(length=40), nullable=False),
        sa.Column("language", sa.String(length=10), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["activity_id"],
            ["assistance_activity.id"],
            name=op.f("fk_iati_narrative_activity_id_assistance_activity"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_iati_narrative")),
    )
    with op.batch_alter_table("iati_narrative", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_iati_narrative_activity_id"), ["activity_id"], unique=False)

    op.create_table(
        "iati_participating_organisation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("activity_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=3), nullable=True),
        sa.Column("ref", sa.String(length=150), nullable=True),
        sa.Column("org_type", sa.String(length=10), nullable=True),
        sa.Column("their_activity_id", sa.String(length=200), nullable=True),
        sa.Column("organisation_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["activity_id"],
            ["assistance_activity.id"],
            name=op.f("fk_iati_participating_organisation_activity_id_assistance_activity"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_iati_participating_organisation_organisation_id_organisation"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_iati_participating_organisation")),
    )
    with op.batch_alter_table("iati_participating_organisation", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_iati_participating_organisation_activity_id"), ["activity_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_iati_participating_organisation_organisation_id"),
            ["organisation_id"],
            unique=False,
        )

    op.create_table(
        "iati_transaction",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("activity_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("transaction_type", sa.String(length=3), nullable=False),
        sa.Column("transaction_date", sa.Date(), nullable=True),
        sa.Column("value", sa.Numeric(precision=20, scale=2), nullable=True),
        sa.Column("currency", sa.String(length=3), nullable=True),
        sa.Column("value_date", sa.Date(), nullable=True),
        sa.Column("provider_org_ref", sa.String(length=150), nullable=True),
        sa.Column("provider_org_type", sa.String(length=10), nullable=True),
        sa.Column("provider_org_name", sa.String(length=300), nullable=True),
        sa.Column("provider_activity_id", sa.String(length=200), nullable=True),
        sa.Column("receiver_org_ref", sa.String(length=150), nullable=True),
        sa.Column("receiver_org_type", sa.String(length=10), nullable=True),
        sa.Column("receiver_org_name", sa.String(length=300), nullable=True),
        sa.Column("receiver_activity_id", sa.String(length=200), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["activity_id"],
            ["assistance_activity.id"],
            name=op.f("fk_iati_transaction_activity_id_assistance_activity"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_iati_transaction")),
    )
    with op.batch_alter_table("iati_transaction", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_iati_transaction_activity_id"), ["activity_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_iati_transaction_provider_activity_id"), ["provider_activity_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_iati_transaction_receiver_activity_id"), ["receiver_activity_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_iati_transaction_receiver_org_ref"), ["receiver_org_ref"], unique=False
        )

    op.create_table(
        "iati_split",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("activity_id", sa.Integer(), nullable=False),
        sa.Column("transaction_id", sa.Integer(), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("vocabulary", sa.String(length=10), nullable=False),
        sa.Column("code", sa.String(length=100), nullable=False),
        sa.Column("percentage", sa.Numeric(precision=7, scale=3), nullable=True),
        sa.Column("vocabulary_uri", sa.String(length=300), nullable=True),
        sa.ForeignKeyConstraint(
            ["activity_id"],
            ["assistance_activity.id"],
            name=op.f("fk_iati_split_activity_id_assistance_activity"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["transaction_id"],
            ["iati_transaction.id"],
            name=op.f("fk_iati_split_transaction_id_iati_transaction"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_iati_split")),
    )
    with op.batch_alter_table("iati_split", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_iati_split_activity_id"), ["activity_id"], unique=False)

    with op.batch_alter_table("assistance_activity", schema=None) as batch_op:
        batch_op.add_column(sa.Column("iati_identifier", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("iati_last_updated", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("iati_reporting_org_ref", sa.String(length=150), nullable=True))
        batch_op.add_column(sa.Column("iati_reporting_org_type", sa.String(length=10), nullable=True))
        batch_op.add_column(sa.Column("iati_default_language", sa.String(length=10), nullable=True))
        batch_op.add_column(sa.Column("iati_default_currency", sa.String(length=3), nullable=True))
        batch_op.add_column(sa.Column("iati_source_id", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("iati_related_activities", sa.JSON(), server_default=sa.text("'[]'"), nullable=False)
        )
        batch_op.add_column(sa.Column("counted_in_activity_id", sa.Integer(), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_assistance_activity_counted_in_activity_id"),
            ["counted_in_activity_id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_assistance_activity_iati_reporting_org_ref"),
            ["iati_reporting_org_ref"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_assistance_activity_iati_source_id"), ["iati_source_id"], unique=False
        )
        batch_op.create_unique_constraint(
            batch_op.f("uq_assistance_activity_iati_identifier"), ["iati_identifier"]
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_assistance_activity_counted_in_activity_id_assistance_activity"),
            "assistance_activity",
            ["counted_in_activity_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_assistance_activity_iati_source_id_iati_source"),
            "iati_source",
            ["iati_source_id"],
            ["id"],
        )


def downgrade() -> None:

    with op.batch_alter_table("assistance_activity", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_assistance_activity_iati_source_id_iati_source"), type_="foreignkey"
        )
        batch_op.drop_constraint(
            batch_op.f("fk_assistance_activity_counted_in_activity_id_assistance_activity"),
            type_="foreignkey",
        )
        batch_op.drop_constraint(batch_op.f("uq_assistance_activity_iati_identifier"), type_="unique")
        batch_op.drop_index(batch_op.f("ix_assistance_activity_iati_source_id"))
        batch_op.drop_index(batch_op.f("ix_assistance_activity_iati_reporting_org_ref"))
        batch_op.drop_index(batch_op.f("ix_assistance_activity_counted_in_activity_id"))
        batch_op.drop_column("counted_in_activity_id")
        batch_op.drop_column("iati_related_activities")
        batch_op.drop_column("iati_source_id")
        batch_op.drop_column("iati_default_currency")
        batch_op.drop_column("iati_default_language")
        batch_op.drop_column("iati_reporting_org_type")
        batch_op.drop_column("iati_reporting_org_ref")
        batch_op.drop_column("iati_last_updated")
        batch_op.drop_column("iati_identifier")

    with op.batch_alter_table("iati_split", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_iati_split_activity_id"))

    op.drop_table("iati_split")
    with op.batch_alter_table("iati_transaction", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_iati_transaction_receiver_org_ref"))
        batch_op.drop_index(batch_op.f("ix_iati_transaction_receiver_activity_id"))
        batch_op.drop_index(batch_op.f("ix_iati_transaction_provider_activity_id"))
        batch_op.drop_index(batch_op.f("ix_iati_transaction_activity_id"))

    op.drop_table("iati_transaction")
    with op.batch_alter_table("iati_participating_organisation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_iati_participating_organisation_organisation_id"))
        batch_op.drop_index(batch_op.f("ix_iati_participating_organisation_activity_id"))

    op.drop_table("iati_participating_organisation")
    with op.batch_alter_table("iati_narrative", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_iati_narrative_activity_id"))

    op.drop_table("iati_narrative")
    op.drop_table("iati_organisation_to_confirm")
    with op.batch_alter_table("iati_import_run", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_iati_import_run_status"))
        batch_op.drop_index(batch_op.f("ix_iati_import_run_source_id"))

    op.drop_table("iati_import_run")
    op.drop_table("iati_source")
