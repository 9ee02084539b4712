"""knowledge_translation.written_by_id: who wrote or last changed a translation, so a second person reviews it

One person could write a translation and mark it reviewed themselves, and readers were then shown it without
the "not yet reviewed" note. The service now records the writer and refuses their review.

The translations already kept are given, as their writer, the person whose save of the text the audit trail
records last (every save is audited as "translation.save", naming the account as "user:<id>:<e-mail>"):
that is who wrote the text now kept, and a review by them would be no second reading either. Those no person
saved (the seed's and the demo's, written by the system) and those whose account is gone keep no writer and
are reviewed by any reviewer: nobody can be shown to have written them, and refusing every reviewer would
leave them unreviewable.

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-06 17:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0026"
down_revision: str | None = "0025"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_translations = sa.table(
    "knowledge_translation",
    sa.column("id", sa.Integer()),
    sa.column("text", sa.Text()),
    sa.column("written_by_id", sa.Integer()),
)
_events = sa.table(
    "audit_event",
    sa.column("id", sa.Integer()),
    sa.column("actor", sa.String()),
    sa.column("action", sa.String()),
    sa.column("entity_type", sa.String()),
    sa.column("entity_id", sa.String()),
    sa.column("after", sa.JSON()),
)
_users = sa.table("user_account", sa.column("id", sa.Integer()))


def upgrade() -> None:
    with op.batch_alter_table("knowledge_translation") as batch:
        batch.add_column(sa.Column("written_by_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            batch.f("fk_knowledge_translation_written_by_id_user_account"),
            "user_account",
            ["written_by_id"],
            ["id"],
        )
    _record_writers_from_the_audit_trail()


def downgrade() -> None:
    with op.batch_alter_table("knowledge_translation") as batch:
        batch.drop_constraint("fk_knowledge_translation_written_by_id_user_account", type_="foreignkey")
        batch.drop_column("written_by_id")


def _account_of(label: str) -> int | None:
    """The account an audit label names ("user:12:someone@example.org"); None for the system's labels."""
    kind, _sep, rest = label.partition(":")
    number = rest.partition(":")[0]
    return int(number) if kind == "user" and number.isdigit() else None


def _record_writers_from_the_audit_trail() -> None:
    connection = op.get_bind()
    saves = connection.execute(
        sa.select(_events.c.entity_id, _events.c.actor, _events.c.after)
        .where(_events.c.entity_type == "knowledge_translation", _events.c.action == "translation.save")
        .order_by(_events.c.id)
    )
    last_save: dict[int, tuple[int | None, object]] = {}
    for entity_id, label, after in saves:
        if entity_id.isdigit():  # a later save replaced the text: its writer is the text's
            last_save[int(entity_id)] = (_account_of(label), (after or {}).get("text"))
    accounts = set(connection.scalars(sa.select(_users.c.id)))
    for translation_id, text in connection.execute(sa.select(_translations.c.id, _translations.c.text)).all():
        user_id, saved_text = last_save.get(translation_id, (None, None))
        # A text the seed wrote over since (not audited as a save) is no longer that person's.
        if user_id in accounts and saved_text == text:
            connection.execute(
                _translations.update()
                .where(_translations.c.id == translation_id)
                .values(written_by_id=user_id)
            )
