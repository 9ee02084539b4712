"""PostgreSQL: each search document's word vector (terms_tsv) kept in its row rather than in the table's
out-of-line storage, and the rows there rewritten to take it

The word vectors (1.6 kB on average) were the largest column of a 3.3 kB row, so PostgreSQL moved them out of
the row first: matching a query read each candidate's vector through the out-of-line storage's index, four
pages a document. The walk to the newest thousand matches of a common word read 85,000 pages at the
mission's scale (76 ms of a 110 ms search); with the vectors in the row (the other large columns, the meaning
vector and the terms, move out instead), 7,800 pages (30 ms). The rewrite takes about 40 s at that scale.
SQLite keeps its words in its FTS5 table: nothing to do there.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-04 21:45:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("ALTER TABLE search_document ALTER COLUMN terms_tsv SET STORAGE MAIN")
    # A storage setting applies to rows written after it: every row is written again (the generated
    # column is computed again from the same terms).
    op.execute("UPDATE search_document SET terms = terms")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("ALTER TABLE search_document ALTER COLUMN terms_tsv SET STORAGE EXTENDED")
