"""All queries on organisations, people, roles, invitations, tokens and sign-in attempts."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, func, or_, select, text, update
from sqlalchemy import delete as delete_rows
from sqlalchemy.orm import InstrumentedAttribute, Session

from pux.accounts.models import (
    ApiToken,
    Invitation,
    Organisation,
    RoleAssignment,
    SignInAttempt,
    SignInSession,
    User,
)
from pux.audit.repository import latest_event_of


def get_organisation(session: Session, organisation_id: int) -> Organisation | None:
    return session.get(Organisation, organisation_id)


def organisation_names(session: Session, organisation_ids: Iterable[int]) -> dict[int, str]:
    """Names of the organisations by id, in one query per thousand ids (absent ids are left out)."""
    wanted = sorted(set(organisation_ids))
    names: dict[int, str] = {}
    for start in range(0, len(wanted), 1000):
        chunk = wanted[start : start + 1000]
        rows = session.execute(select(Organisation.id, Organisation.name).where(Organisation.id.in_(chunk)))
        names.update({organisation_id: name for organisation_id, name in rows})
    return names


def get_organisation_by_name(session: Session, name: str) -> Organisation | None:
    return session.scalars(select(Organisation).where(Organisation.name == name)).first()


@dataclass(frozen=True)
class OrganisationFilter:
    text: str | None = None  # in the name or the acronym, in any case
    organisation_type: str | None = None
    country_iso3: str | None = None


def _any_contains(text: str, *columns: InstrumentedAttribute[Any]) -> ColumnElement[bool]:
    """One of the columns holds the text, in any case (``%`` and ``_`` are characters, not wildcards)."""
    words = text.lower()
    return or_(*(func.lower(column).contains(words, autoescape=True) for column in columns))


def organisations_query(filters: OrganisationFilter) -> Select[Organisation]:
    """Organisations matching ``filters``, by name (names are unique, so pages never overlap)."""
    statement = select(Organisation)
    if filters.text:
        statement = statement.where(_any_contains(filters.text, Organisation.name, Organisation.acronym))
    if filters.organisation_type:
        statement = statement.where(Organisation.organisation_type == filters.organisation_type)
    if filters.country_iso3:
        statement = statement.where(Organisation.country_iso3 == filters.country_iso3)
    return statement.order_by(Organisation.name)


def organisations_stamp(session: Session) -> tuple[object, ...]:
    """Moves when an organisation is added, removed or changed (every change of one is audited)."""
    latest_change = latest_event_of("organisation")
    return tuple(
        session.execute(
            select(
                select(func.count()).select_from(Organisation).scalar_subquery(),
                select(func.max(Organisation.id)).scalar_subquery(),
                latest_change.scalar_subquery(),
            )
        ).one()
    )


def organisation_names_and_acronyms(session: Session) -> list[tuple[int, str, str | None]]:
    """(id, name, acronym) of every organisation, by name."""
    statement = select(Organisation.id, Organisation.name, Organisation.acronym).order_by(Organisation.name)
    return [(organisation_id, name, acronym) for organisation_id, name, acronym in session.execute(statement)]


def get_user(session: Session, user_id: int) -> User | None:
    return session.get(User, user_id)


def get_user_by_email(session: Session, email: str) -> User | None:
    return session.scalars(select(User).where(User.email == email.strip().lower())).first()


def list_users(session: Session) -> Sequence[User]:
    return session.scalars(select(User).order_by(User.full_name)).all()


@dataclass(frozen=True)
class PeopleFilter:
    text: str | None = None  # in the name or the email address, in any case
    role: str | None = None
    country_iso3: str | None = None  # a role held for this country


def people_query(filters: PeopleFilter) -> Select[User]:
    """People matching ``filters``, by name (then account number, so that pages never overlap)."""
    statement = select(User)
    if filters.text:
        statement = statement.where(_any_contains(filters.text, User.full_name, User.email))
    holding = select(RoleAssignment.user_id)
    if filters.role:
        statement = statement.where(User.id.in_(holding.where(RoleAssignment.role == filters.role)))
    if filters.country_iso3:
        statement = statement.where(
            User.id.in_(holding.where(RoleAssignment.country_iso3 == filters.country_iso3))
        )
    return statement.order_by(User.full_name, User.id)


def get_role(session: Session, role_id: int) -> RoleAssignment | None:
    return session.get(RoleAssignment, role_id)


def count_active_holders(session: Session, role: str) -> int:
    """How many active accounts hold ``role``."""
    statement = (
        select(func.count(func.distinct(RoleAssignment.user_id)))
        .join(User, User.id == RoleAssignment.user_id)
        .where(RoleAssignment.role == role, User.is_active.is_(True))
    )
    return int(session.scalar(statement) or 0)


def get_invitation_by_hash(session: Session, token_hash: str) -> Invitation | None:
    return session.scalars(select(Invitation).where(Invitation.token_hash == token_hash)).first()


def pending_invitations(
    session: Session, *, invited_by_id: int | None, now: datetime
) -> Sequence[Invitation]:
    """Invitations not yet accepted and not expired (of one inviter, or of everyone)."""
    statement = select(Invitation).where(Invitation.accepted_at.is_(None), Invitation.expires_at >= now)
    if invited_by_id is not None:
        statement = statement.where(Invitation.invited_by_id == invited_by_id)
    return session.scalars(statement.order_by(Invitation.created_at.desc()).limit(100)).all()


def get_token(session: Session, token_id: int) -> ApiToken | None:
    return session.get(ApiToken, token_id)


@dataclass(frozen=True)
class TokenOwner:
    """A token and what its holder may do, read as plain values: every API call asks, and the records
    (the token, its person, their organisation and roles) took two queries and a tenth of a read's time."""

    token_id: int
    revoked_at: datetime | None
    last_used_at: datetime | None
    user_id: int
    email: str
    is_active: bool
    organisation_id: int | None
    grants: tuple[tuple[str, str | None, int | None], ...]  # role, country, organisation


def token_owner(session: Session, token_hash: str) -> TokenOwner | None:
    """The token with this hash and its holder's roles, in one query (None for an unknown token)."""
    statement = (
        select(
            ApiToken.id,
            ApiToken.revoked_at,
            ApiToken.last_used_at,
            User.id,
            User.email,
            User.is_active,
            User.organisation_id,
            RoleAssignment.role,
            RoleAssignment.country_iso3,
            RoleAssignment.organisation_id,
        )
        .join(User, User.id == ApiToken.user_id)
        .outerjoin(RoleAssignment, RoleAssignment.user_id == User.id)
        .where(ApiToken.token_hash == token_hash)
        .order_by(RoleAssignment.id)
    )
    rows = session.execute(statement).all()
    if not rows:
        return None
    first = rows[0]
    return TokenOwner(
        *first[:7],
        grants=tuple((row[7], row[8], row[9]) for row in rows if row[7] is not None),
    )


def tokens_of(session: Session, user_id: int) -> Sequence[ApiToken]:
    return session.scalars(select(ApiToken).where(ApiToken.user_id == user_id).order_by(ApiToken.id)).all()


def revoke_tokens_of(session: Session, *, user_id: int, when: datetime) -> list[int]:
    """Revoke every token of a person not revoked yet; returns their ids (for the audit)."""
    statement = (
        update(ApiToken)
        .where(ApiToken.user_id == user_id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=when)
        .returning(ApiToken.id)
    )
    return sorted(session.scalars(statement))


def latest_failures(
    session: Session,
    *,
    email: str | None,
    client_address: str | None,
    since: datetime,
    limit: int,
    unsettled_since: datetime | None = None,
) -> list[datetime]:
    """When the latest failed sign-in attempts since ``since`` were made (of one email, from one address,
    or both), newest first, at most ``limit`` of them; with ``unsettled_since``, leaving out the attempts
    made since then whose password is still being checked."""
    statement = (
        select(SignInAttempt.attempted_at)
        .where(SignInAttempt.attempted_at >= since, SignInAttempt.succeeded.is_(False))
        .order_by(SignInAttempt.attempted_at.desc())
        .limit(limit)
    )
    if unsettled_since is not None:
        settled = or_(
            SignInAttempt.note.is_(None),
            SignInAttempt.note != CHECKING_NOTE,
            SignInAttempt.attempted_at < unsettled_since,
        )
        statement = statement.where(settled)
    if email is not None:
        statement = statement.where(SignInAttempt.email == email)
    if client_address is not None:
        statement = statement.where(SignInAttempt.client_address == client_address)
    return list(session.scalars(statement))


# The note of an attempt counted before its password is checked, until the check settles it.
CHECKING_NOTE = "checking"


def take_sign_in_turn(session: Session, keys: Iterable[str]) -> None:
    """Make this transaction's sign-in counting wait for (and then hold off, until it ends) every other
    transaction counting attempts of one of ``keys`` (an email, an address). PostgreSQL: transaction-level
    advisory locks, taken in one order so that two counters never wait for each other. SQLite needs none:
    a writer's transaction already holds the whole database's write lock."""
    if session.get_bind().dialect.name != "postgresql":
        return
    for number in sorted({_lock_number(key) for key in keys}):
        session.execute(text("SELECT pg_advisory_xact_lock(:number)"), {"number": number})


def _lock_number(key: str) -> int:
    # The same 64-bit number for the same key in every process (Python's hash() differs between them).
    return int.from_bytes(hashlib.sha256(f"pux-sign-in|{key}".encode()).digest()[:8], "big", signed=True)


def settle_attempt(session: Session, attempt_id: int, *, succeeded: bool, note: str | None = None) -> None:
    """Record how an attempt counted before its password was checked ended."""
    statement = update(SignInAttempt).where(SignInAttempt.id == attempt_id)
    session.execute(statement.values(succeeded=succeeded, note=note))


def get_sign_in_session(session: Session, token_hash: str) -> SignInSession | None:
    return session.scalars(select(SignInSession).where(SignInSession.token_hash == token_hash)).first()


def end_sign_in_sessions(session: Session, *, user_id: int, token_hash: str | None = None) -> None:
    """End one of a person's sessions (by its token's hash), or all of them."""
    statement = delete_rows(SignInSession).where(SignInSession.user_id == user_id)
    if token_hash is not None:
        statement = statement.where(SignInSession.token_hash == token_hash)
    session.execute(statement)


def delete_expired_sign_in_sessions(session: Session, *, now: datetime) -> None:
    session.execute(delete_rows(SignInSession).where(SignInSession.expires_at < now))


def note_sign_in(session: Session, *, user_id: int, when: datetime) -> None:
    session.execute(
        update(User)
        .where(User.id == user_id)
        .values(last_login_at=when)
        .execution_options(synchronize_session=False)
    )


def add(session: Session, record: object) -> None:
    session.add(record)
    session.flush()


def delete(session: Session, record: object) -> None:
    session.delete(record)
    session.flush()
