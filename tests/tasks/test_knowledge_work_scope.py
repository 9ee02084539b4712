"""Whose knowledge work waits for whom, decided once in accounts.permissions for the inbox's lists and for
its counts (the header's number): a reviewer checks and reviews others' work, an editor or a facilitator
corrects any disputed entry, an expert only the disputed entries they added, and the public nothing."""

from __future__ import annotations

from pux.accounts.permissions import EDITOR, EXPERT, FACILITATOR, REVIEWER, Actor, Grant, knowledge_work


def _actor(role: str, user_id: int = 7) -> Actor:
    return Actor(user_id=user_id, label=role, grants=(Grant(role),))


def test_a_reviewer_checks_evidence_and_reviews_translations_but_corrects_nothing() -> None:
    work = knowledge_work(_actor(REVIEWER))

    assert work.checks_evidence and work.reviews_translations and work.reviews
    assert not work.corrects_disputed


def test_editors_and_facilitators_correct_every_authors_disputed_entries() -> None:
    for role in (EDITOR, FACILITATOR):
        work = knowledge_work(_actor(role))

        assert work.corrects_disputed and work.disputed_author_id is None


def test_an_expert_corrects_only_the_disputed_entries_they_added() -> None:
    work = knowledge_work(_actor(EXPERT, user_id=42))

    assert work.corrects_disputed and work.disputed_author_id == 42
    assert not work.reviews


def test_nothing_waits_for_the_public() -> None:
    work = knowledge_work(Actor.public())

    assert not (work.reviews or work.corrects_disputed)
