"""iati_import_run.passed_over: a run's tally of activities read but neither imported nor refused

The column was file_problem, which no code ever wrote (a file refused as a whole never gets a run); the run
report's breakdown now needs a place for its passed-over counts, so the column takes that name and meaning.

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-06 12:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0022"
down_revision: str | None = "0021"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("iati_import_run") as batch:
        batch.alter_column("file_problem", new_column_name="passed_over")


def downgrade() -> None:
    with op.batch_alter_table("iati_import_run") as batch:
        batch.alter_column("passed_over", new_column_name="file_problem")
