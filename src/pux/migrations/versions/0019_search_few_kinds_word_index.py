"""PostgreSQL: a word index of the documents of the few-record kinds alone (countries, techniques,
evidence, stories, myths, events), which every search ranks whatever their age

Those 300-odd documents were found by combining the kind index with the word index of all documents: for
a common word that read the whole word index's list of its matches (35,000 for "water" at the mission's
scale, 5 ms of an 11 ms ranking). The partial index holds their words only (0.03 ms). Its kinds must stay
those of the search's FEW_RECORD_KINDS, written out in its queries as literals so that PostgreSQL can tell
that the index covers them (a test compares the two). Its new entries go straight into it, not through
GIN's pending list: PostgreSQL counts that list's pages in the index's cost, and after `pux init` had
written the knowledge documents again it chose the two large indexes instead until a vacuum (these
documents change seldom; each write costs a few index pages). SQLite ranks through FTS5: nothing to do
there.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-05 11:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEX = "ix_search_document_few_kinds_terms_tsv"


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(
        f"CREATE INDEX {INDEX} ON search_document USING gin (terms_tsv) WITH (fastupdate = off) "
        "WHERE kind IN ('country', 'technique', 'evidence', 'story', 'myth', 'event')"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(f"DROP INDEX {INDEX}")
