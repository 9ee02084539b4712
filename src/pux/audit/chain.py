"""The audit trail as a hash chain, on plain data: each sealed event carries the hash of its content and a
link hash over the previous event's link, its place in the chain and its content. Changing, removing or
reordering a sealed event breaks every link after it; cutting events off the end no longer matches the
chain's head. The app seals every event in the transaction that writes it, so an event found unsealed
was not written by the app (a row added to the table by hand) and fails the check too. No database and no
web here: the repository reads rows, this module judges them."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

# The link of the first event: a fixed text, so that an empty chain and a chain whose first event was
# removed differ.
GENESIS = hashlib.sha256(b"pux audit chain v1").hexdigest()
# Why an event does not fit.
MISSING, CHANGED, UNLINKED, TRUNCATED = "missing", "changed", "unlinked", "truncated"
UNSEALED = "unsealed"
REASONS = (MISSING, CHANGED, UNLINKED, TRUNCATED, UNSEALED)


@dataclass(frozen=True)
class EventContent:
    """What an audit event says, as read from the database (ids and times as stored)."""

    id: int
    occurred_at: datetime
    actor: str
    action: str
    entity_type: str
    entity_id: str
    before: Any
    after: Any


@dataclass(frozen=True)
class SealedEvent:
    content: EventContent
    seq: int
    content_hash: str
    chain_hash: str


@dataclass(frozen=True)
class Seal:
    id: int
    seq: int
    content_hash: str
    chain_hash: str


@dataclass(frozen=True)
class ChainReport:
    """The verdict on a chain: ``broken_at`` is the sequence number of the first event that does not
    fit (None when every event fits), with ``event_id`` and ``reason`` (one of REASONS). Events outside
    the chain (``unsealed`` of them, the first ids in ``unsealed_ids``) break it after its last event."""

    checked: int
    unsealed: int
    broken_at: int | None = None
    event_id: int | None = None
    reason: str = ""
    unsealed_ids: tuple[int, ...] = ()

    @property
    def intact(self) -> bool:
        return self.broken_at is None


def _utc_text(moment: datetime) -> str:
    # SQLite hands back naive times (stored as UTC), PostgreSQL aware ones: both read as the same text.
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    return aware.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def canonical(content: EventContent) -> str:
    """One text for an event's content, the same whichever database it was read from."""
    return json.dumps(
        [
            content.id,
            _utc_text(content.occurred_at),
            content.actor,
            content.action,
            content.entity_type,
            content.entity_id,
            content.before,
            content.after,
        ],
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
        default=str,
    )


def content_hash(content: EventContent) -> str:
    return hashlib.sha256(canonical(content).encode("utf-8")).hexdigest()


def link(previous: str, seq: int, digest: str) -> str:
    return hashlib.sha256(f"{previous}\n{seq}\n{digest}".encode()).hexdigest()


def seal(events: Iterable[EventContent], *, last_seq: int, last_hash: str) -> list[Seal]:
    """Seals for new events (in the order given) after a chain that ends at ``last_seq``/``last_hash``."""
    seals: list[Seal] = []
    previous, seq = last_hash, last_seq
    for content in events:
        seq += 1
        digest = content_hash(content)
        previous = link(previous, seq, digest)
        seals.append(Seal(content.id, seq, digest, previous))
    return seals


def verify(
    events: Iterable[SealedEvent],
    *,
    head_seq: int,
    head_hash: str,
    unsealed: int = 0,
    unsealed_ids: Sequence[int] = (),
) -> ChainReport:
    """Check sealed events given in sequence order against each other and against the chain's head;
    then that no event is outside the chain (``unsealed`` of them, the first of their ids given)."""
    previous, expected_seq, checked = GENESIS, 1, 0
    outside = tuple(unsealed_ids)
    for event in events:
        checked += 1
        problem = _problem(event, previous, expected_seq)
        if problem:
            return ChainReport(checked, unsealed, expected_seq, event.content.id, problem, outside)
        previous, expected_seq = event.chain_hash, event.seq + 1
    if expected_seq - 1 != head_seq or previous != (head_hash if head_seq else GENESIS):
        return ChainReport(checked, unsealed, expected_seq, None, TRUNCATED, outside)
    if unsealed:
        first = outside[0] if outside else None
        return ChainReport(checked, unsealed, expected_seq, first, UNSEALED, outside)
    return ChainReport(checked, unsealed)


def _problem(event: SealedEvent, previous: str, expected_seq: int) -> str:
    if event.seq != expected_seq:
        return MISSING
    if content_hash(event.content) != event.content_hash:
        return CHANGED
    if link(previous, event.seq, event.content_hash) != event.chain_hash:
        return UNLINKED
    return ""
