"""Accounts rules: invitations, sign-in with throttling, API tokens, organisations and roles."""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import math
import re
import secrets
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import NamedTuple

from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher
from sqlalchemy.orm import Session

from pux.accounts import permissions, repository
from pux.accounts.models import (
    ApiToken,
    Invitation,
    Organisation,
    RoleAssignment,
    SignInAttempt,
    SignInSession,
    User,
)
from pux.accounts.permissions import COUNTRY_ROLES, ORGANISATION_ROLES, ROLES, Actor, Grant, require
from pux.accounts.repository import OrganisationFilter, PeopleFilter
from pux.accounts.schemas import (
    EMAIL_PATTERN,
    InvitationAccept,
    InvitationCreate,
    NewPassword,
    OrganisationCreate,
)
from pux.audit import service as audit
from pux.audit.models import column_values
from pux.db import as_utc
from pux.errors import DomainError, FieldProblem, InvalidTransition, NotFound, ValidationFailed
from pux.i18n import gettext as _
from pux.i18n import ngettext
from pux.kept import KeptResults
from pux.pagination import Page, PageRequest, fetch_page
from pux.reference import repository as reference_repository
from pux.validation import cleaned_field

# argon2id at the OWASP baseline (19 MiB, 2 passes, 1 lane): a workshop signing in together must not
# take the server's cores from everyone else. Older hashes keep their own parameters and still verify.
PASSWORDS = PasswordHash((Argon2Hasher(time_cost=2, memory_cost=19456, parallelism=1),))
INVITATION_LIFETIME = timedelta(days=14)
SESSION_LIFETIME = timedelta(hours=8)
# How long a password reset link an administrator made works (they pass it on by hand).
PASSWORD_RESET_LIFETIME = timedelta(hours=72)
# The longest email address an account keeps (its column's length, as the invitation form allows).
MAXIMUM_EMAIL_LENGTH = 254
# Password guessing is paused by the failures of the last 15 minutes, counted three ways. Attempts
# refused while paused are not recorded, so a pause ends on time however often someone keeps trying.
THROTTLE_WINDOW = timedelta(minutes=15)
# One account from one address: someone there guessing (or mistyping) pauses that address only, so a
# stranger who knows a focal point's email cannot keep them out from their own network.
MAX_FAILURES_PER_ACCOUNT_FROM_ONE_ADDRESS = 5
# One address trying many accounts. A workshop's participants sign in from one address (the venue's
# network): at 20, its mistyped passwords paused everyone there, right passwords too, for 15 minutes. 100
# failed guesses in 15 minutes (9,600 a day, each account still held to 5) against passwords of at least
# 12 characters gain a guesser little.
MAX_FAILURES_PER_ADDRESS = 100
# One account from every address: a ceiling on guessing spread over many addresses. One address adds at
# most 5 failures to it, so shutting a person out for everyone takes at least 10 addresses acting together,
# and 50 guesses in 15 minutes (4,800 a day) against a password of at least 12 characters is hopeless.
MAX_FAILURES_PER_ACCOUNT = 50
TOKEN_PREFIX = "pux_"
MAX_TOKEN_NAME = 100  # the column's length


class SignInRefused(DomainError):
    """Wrong email or password (deliberately not saying which)."""


class SignInThrottled(DomainError):
    """Too many failed attempts recently; try again later (``seconds``: when the pause ends)."""

    def __init__(self, message: str, seconds: int = 0) -> None:
        super().__init__(message)
        self.seconds = seconds


class AttemptsBeingChecked(Exception):
    """The pause's allowance is taken by attempts whose password is still being checked: try again once
    they are settled (a moment later), rather than being told to wait a quarter of an hour for nothing."""


def _now() -> datetime:
    return datetime.now(UTC)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def hash_password(password: str) -> str:
    return PASSWORDS.hash(password)


def actor_for(user: User) -> Actor:
    """The acting identity of a signed-in person, with their scoped roles."""
    # In the order they were granted (a role not yet written has no id: it comes last).
    roles = sorted(user.roles, key=lambda r: (r.id is None, r.id or 0))
    grants = [(r.role, r.country_iso3, r.organisation_id) for r in roles]
    return _actor(user.id, user.email, user.organisation_id, grants)


def user_label(user_id: int, email: str) -> str:
    """How the audit trail names a person acting for themselves."""
    return f"user:{user_id}:{email}"


def _actor(
    user_id: int,
    email: str,
    organisation_id: int | None,
    grants: Iterable[tuple[str, str | None, int | None]],
) -> Actor:
    return Actor(
        user_id=user_id,
        label=user_label(user_id, email),
        grants=tuple(Grant(*grant) for grant in grants),
        organisation_id=organisation_id,
    )


def _scope_problems(session: Session, grant: Grant) -> list[FieldProblem]:
    """What keeps a role from being given: one not offered, a scope it needs and lacks, or a country or an
    organisation that does not exist (the database refused those as a clash of edits)."""
    problems = []
    if grant.role not in ROLES:
        message = _("not one of the choices offered: %(codes)s") % {"codes": grant.role}
        problems.append(FieldProblem("role", message))
    if grant.role in COUNTRY_ROLES and not grant.country_iso3:
        problems.append(FieldProblem("country_iso3", _("this role needs a country")))
    elif grant.country_iso3 and reference_repository.get_country(session, grant.country_iso3) is None:
        problems.append(FieldProblem("country_iso3", _("is not a known country code")))
    if grant.role in ORGANISATION_ROLES and not grant.organisation_id:
        problems.append(FieldProblem("organisation_id", _("this role needs an organisation")))
    elif grant.organisation_id and repository.get_organisation(session, grant.organisation_id) is None:
        problems.append(FieldProblem("organisation_id", _("is not a known organisation")))
    return problems


def require_may_register_organisations(actor: Actor) -> None:
    require(permissions.can_manage_organisations(actor), _("Only facilitators may register organisations."))


def create_organisation(session: Session, *, actor: Actor, data: OrganisationCreate) -> Organisation:
    """Register an organisation (facilitators and administrators)."""
    require_may_register_organisations(actor)
    problems = []
    if repository.get_organisation_by_name(session, data.name) is not None:
        problems.append(FieldProblem("name", _("an organisation with this name exists already")))
    if data.country_iso3 and reference_repository.get_country(session, data.country_iso3) is None:
        problems.append(FieldProblem("country_iso3", _("is not a known country code")))
    if problems:
        raise ValidationFailed(problems)
    organisation = Organisation(**data.model_dump())
    repository.add(session, organisation)
    audit.record(
        session,
        actor=actor.label,
        action="organisation.create",
        entity_type="organisation",
        entity_id=str(organisation.id),
        after=column_values(organisation),
    )
    return organisation


def organisation_page(
    session: Session, *, filters: OrganisationFilter, page: PageRequest
) -> Page[Organisation]:
    """One page of the organisations that match ``filters``, by name (organisations are public; at the
    mission's scale they are thousands)."""
    return fetch_page(session, repository.organisations_query(filters), page)


class OrganisationName(NamedTuple):
    id: int
    name: str
    acronym: str | None = None


# Choosers of organisations on list pages and forms, kept until an organisation changes.
_NAMES: KeptResults[list[OrganisationName]] = KeptResults(2)


def organisation_names(session: Session) -> list[OrganisationName]:
    """Every organisation's id and name, by name: what a chooser lists (thousands at the mission's scale,
    read without building a record for each, and kept between pages)."""
    return _NAMES.get(
        repository.organisations_stamp(session),
        lambda: [OrganisationName(*row) for row in repository.organisation_names_and_acronyms(session)],
    )


SUGGESTED_ORGANISATIONS = 20  # names a chooser suggests for what was typed


def organisations_named(session: Session, text: str) -> tuple[int, ...]:
    """The organisations a typed name stands for in a filter: the one it calls (see organisations_called),
    else every one whose name or acronym contains the text, ignoring case. Empty when none does."""
    wanted = text.strip().casefold()
    if not wanted:
        return ()
    return organisations_called(session, text) or tuple(
        o.id for o in organisation_names(session) if _contains(o, wanted)
    )


def organisations_called(session: Session, text: str) -> tuple[int, ...]:
    """The organisations a whole name or acronym calls, the first rule that finds any deciding: the name
    as written; the name in any case; the acronym in any case. One organisation, or several when the
    text is a name written in several cases or an acronym several share; empty when none is so called.
    (Names differ in case only where imports brought both, such as "UNDP" beside the programme whose
    acronym is UNDP: the name wins.)"""
    wanted = text.strip()
    if not wanted:
        return ()
    names = organisation_names(session)
    folded = wanted.casefold()
    rules: tuple[Callable[[OrganisationName], bool], ...] = (
        lambda o: o.name == wanted,
        lambda o: o.name.casefold() == folded,
        lambda o: (o.acronym or "").casefold() == folded,
    )
    for rule in rules:
        called = tuple(o.id for o in names if rule(o))
        if called:
            return called
    return ()


def suggested_organisations(session: Session, text: str) -> list[OrganisationName]:
    """What a chooser offers for typed text: names that begin with it first, then names or acronyms that
    contain it, by name, at most SUGGESTED_ORGANISATIONS."""
    wanted = text.strip().casefold()
    if not wanted:
        return []
    matching = [o for o in organisation_names(session) if _contains(o, wanted)]
    matching.sort(key=lambda o: not o.name.casefold().startswith(wanted))  # stable: by name within each
    return matching[:SUGGESTED_ORGANISATIONS]


def _contains(organisation: OrganisationName, folded_text: str) -> bool:
    acronym = (organisation.acronym or "").casefold()
    return folded_text in organisation.name.casefold() or folded_text in acronym


def invite(session: Session, *, actor: Actor, data: InvitationCreate) -> tuple[Invitation, str]:
    """Invite a person to an account with one scoped role; returns the invitation and its one-time token."""
    require(
        permissions.can_invite(actor, role=data.role, country_iso3=data.country_iso3, organisation_id=None),
        _("You may not invite someone to this role."),
    )
    grant = Grant(data.role, country_iso3=data.country_iso3, organisation_id=data.organisation_id)
    problems = _scope_problems(session, grant)
    if not problems and not _may_invite_with(session, actor, grant):
        # Told beside the box, as a choice the inviter can change, not as a refusal of the whole form.
        country = reference_repository.get_country(session, data.country_iso3 or "")
        message = _("you may invite someone only to an organisation of %(country)s, or to none") % {
            "country": country.name() if country is not None else data.country_iso3
        }
        problems.append(FieldProblem("organisation_id", message))
    if repository.get_user_by_email(session, data.email) is not None:
        problems.append(FieldProblem("email", _("this person has an account already")))
    if problems:
        raise ValidationFailed(problems)
    token = secrets.token_urlsafe(32)
    invitation = Invitation(
        email=data.email.lower(),
        token_hash=_digest(token),
        role=data.role,
        country_iso3=data.country_iso3,
        organisation_id=data.organisation_id,
        invited_by_id=actor.user_id,
        expires_at=_now() + INVITATION_LIFETIME,
    )
    repository.add(session, invitation)
    audit.record(
        session,
        actor=actor.label,
        action="invitation.create",
        entity_type="invitation",
        entity_id=str(invitation.id),
        after={
            "email": invitation.email,
            "role": data.role,
            "country": data.country_iso3,
            "organisation": data.organisation_id,
        },
    )
    return invitation, token


def _may_invite_with(session: Session, inviter: Actor, grant: Grant) -> bool:
    """Whether the inviter may invite someone to ``grant`` and tie the new account to its organisation
    (judged by the organisation's country)."""
    organisation = (
        repository.get_organisation(session, grant.organisation_id) if grant.organisation_id else None
    )
    return permissions.can_invite(
        inviter,
        role=grant.role,
        country_iso3=grant.country_iso3,
        organisation_id=grant.organisation_id,
        organisation_country=organisation.country_iso3 if organisation else None,
    )


def _still_vouched_for(session: Session, invitation: Invitation) -> bool:
    """Whether the person who made an invitation may (still) make it: one made before focal points were
    held to their own country's organisations, or by someone since stripped of the role, opens nothing.
    An invitation made from the command line has no inviter."""
    if invitation.invited_by_id is None:
        return True
    inviter = repository.get_user(session, invitation.invited_by_id)
    grant = Grant(
        invitation.role, country_iso3=invitation.country_iso3, organisation_id=invitation.organisation_id
    )
    return inviter is not None and _may_invite_with(session, actor_for(inviter), grant)


def open_invitation(session: Session, *, token: str) -> Invitation:
    """The pending invitation behind a token, else NotFound."""
    invitation = repository.get_invitation_by_hash(session, _digest(token))
    expires = invitation.expires_at if invitation else None
    if expires is not None and expires.tzinfo is None:
        expires = expires.replace(tzinfo=UTC)
    if invitation is None or invitation.accepted_at is not None or expires is None or expires < _now():
        raise NotFound(_("This invitation is unknown, used or expired. Ask for a new one."))
    if not _still_vouched_for(session, invitation):
        raise NotFound(_("This invitation is no longer valid. Ask for a new one."))
    return invitation


def invitation_account_problems(session: Session, *, token: str) -> list[FieldProblem]:
    """What refuses an invitation whatever is typed in its form: an account with its address exists
    (told with the form's own problems, so nobody retypes a password twice for nothing)."""
    invitation = open_invitation(session, token=token)
    if repository.get_user_by_email(session, invitation.email) is None:
        return []
    message = _(
        "An account with this email address exists already: sign in with it, and ask "
        "an administrator to add the invited role to it."
    )
    return [FieldProblem("email", message)]


def accept_invitation(session: Session, *, token: str, data: InvitationAccept) -> User:
    """Create the account of an invited person with the invited role."""
    invitation = open_invitation(session, token=token)
    problems = invitation_account_problems(session, token=token)
    if problems:
        raise ValidationFailed(problems)
    user = User(
        email=invitation.email,
        full_name=data.full_name,
        password_hash=hash_password(data.password),
        gender=data.gender,
        organisation_id=invitation.organisation_id,
    )
    user.roles = [
        RoleAssignment(
            role=invitation.role,
            country_iso3=invitation.country_iso3,
            organisation_id=invitation.organisation_id,
        )
    ]
    repository.add(session, user)
    invitation.accepted_at = _now()
    audit.record(
        session,
        actor=user_label(user.id, user.email),
        action="invitation.accept",
        entity_type="user",
        entity_id=str(user.id),
        after={
            "email": user.email,
            "role": invitation.role,
            "country": invitation.country_iso3,
            "organisation": invitation.organisation_id,
        },
    )
    return user


@dataclass(frozen=True)
class SignInCandidate:
    """What checking a password needs, read before the (slow, deliberately costly) hash check runs, so
    that no database connection is held while it does."""

    email: str
    user_id: int | None
    password_hash: str
    # The attempt, counted as a failure before the password is checked (see begin_sign_in).
    attempt_id: int


@dataclass(frozen=True)
class SignedInUser:
    """The signed-in person as pages show them (plain data: still readable after the request's
    database session has ended, e.g. on an error page)."""

    id: int
    full_name: str
    email: str


# A real hash of a random password: checking against it when the account does not exist costs the same
# time as a real check, so the answer's timing does not tell whether an address has an account.
_UNKNOWN_ACCOUNT_HASH = PASSWORDS.hash(secrets.token_urlsafe(16))


def _account_paused_everywhere(minutes: int) -> str:
    return ngettext(
        "Too many failed sign-in attempts for this account from many places. Wait %(num)d minute "
        "and try again.",
        "Too many failed sign-in attempts for this account from many places. Wait %(num)d minutes "
        "and try again.",
        minutes,
    ) % {"num": minutes}


def _address_paused(minutes: int) -> str:
    return ngettext(
        "Too many failed sign-in attempts from your network address. Wait %(num)d minute before "
        "trying again from it.",
        "Too many failed sign-in attempts from your network address. Wait %(num)d minutes before "
        "trying again from it.",
        minutes,
    ) % {"num": minutes}


def _account_paused_from_address(minutes: int) -> str:
    return ngettext(
        "Too many failed sign-in attempts for this account from your network address. Wait %(num)d "
        "minute and try again; the pause is for this network address only.",
        "Too many failed sign-in attempts for this account from your network address. Wait %(num)d "
        "minutes and try again; the pause is for this network address only.",
        minutes,
    ) % {"num": minutes}


class _PauseScope(NamedTuple):
    """Failures counted together (of one email, from one address, or both) and how many pause them."""

    message: Callable[[int], str]
    email: str | None
    client_address: str | None
    limit: int
    # Whether attempts whose password is being checked count (as failures, until they are settled).
    counts_unsettled: bool = True


# An attempt whose check never settled it (its server stopped meanwhile) counts as a failure after this.
UNSETTLED_AT_MOST = timedelta(minutes=1)


def _paused_until(session: Session, scope: _PauseScope, *, with_unsettled: bool) -> datetime | None:
    """When sign-in of this scope may resume, if its recent failures have reached its limit: once the
    oldest of the last ``limit`` failures leaves the window (no failure is recorded while it is paused).
    Attempts still being checked count only ``with_unsettled``."""
    failures = repository.latest_failures(
        session,
        email=scope.email,
        client_address=scope.client_address,
        since=_now() - THROTTLE_WINDOW,
        limit=scope.limit,
        unsettled_since=None if with_unsettled else _now() - UNSETTLED_AT_MOST,
    )
    if len(failures) < scope.limit:
        return None
    oldest = as_utc(failures[-1])
    assert oldest is not None
    return oldest + THROTTLE_WINDOW


def _refuse_while_paused(session: Session, *, email: str, client_address: str) -> None:
    """Refuse a sign-in while its account or address is paused, saying for how long and for whom."""
    # The broadest pause speaks first (trying from elsewhere would not get round it); the wait told is
    # the longest of those that apply.
    scopes = (
        _PauseScope(_account_paused_everywhere, email, None, MAX_FAILURES_PER_ACCOUNT),
        # An address's attempts being checked are not waited for: fifty people of one workshop behind one
        # address sign in at the same moment, and each of their accounts is paused on its own count.
        _PauseScope(_address_paused, None, client_address, MAX_FAILURES_PER_ADDRESS, counts_unsettled=False),
        _PauseScope(
            _account_paused_from_address, email, client_address, MAX_FAILURES_PER_ACCOUNT_FROM_ONE_ADDRESS
        ),
    )
    pauses = [
        (scope.message, until)
        for scope in scopes
        if (until := _paused_until(session, scope, with_unsettled=False))
    ]
    if pauses:
        longest = max(until for _message, until in pauses)
        seconds = max(1, math.ceil((longest - _now()).total_seconds()))
        raise SignInThrottled(pauses[0][0](math.ceil(seconds / 60)), seconds)
    # Not paused by what is settled, but the allowance is taken by attempts still being checked: which of
    # them fail decides whether this one may be checked at all.
    if any(scope.counts_unsettled and _paused_until(session, scope, with_unsettled=True) for scope in scopes):
        raise AttemptsBeingChecked()


def throttled_address(client_address: str) -> str:
    """The address sign-in failures are counted by: an IPv6 address by its /64 network, the block one
    home or office line is given (one person can use millions of addresses in it, so counted one by one
    each would stay under the pauses); an IPv4 address as it is."""
    try:
        address = ipaddress.ip_address(client_address.strip())
    except ValueError:
        return client_address
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:  # an IPv4 client seen through an IPv6 socket
            return str(address.ipv4_mapped)
        return str(ipaddress.IPv6Network((address, 64), strict=False))
    return str(address)


def begin_sign_in(session: Session, *, email: str, client_address: str) -> SignInCandidate:
    """First half of signing in: refuse when throttled, else count the attempt, as a failure until its
    password proves right, and return what the password must be checked against.

    Counting comes before checking so that guesses sent at the same moment cannot all pass the pauses
    before any of them is recorded (40 at once were all checked). The session must be a writer's
    (``unit_of_work(write=True)``: on SQLite the write lock makes the check and the count one step for
    every thread and process; PostgreSQL takes locks of the email and the address) and be committed
    before the slow password check, which must not hold that lock. The check then settles the attempt
    (finish_sign_in). While the account's allowance is taken by attempts still being checked, this one
    is neither counted nor refused: AttemptsBeingChecked says to begin again a moment later."""
    email = email.strip().lower()
    address = throttled_address(client_address)
    repository.take_sign_in_turn(session, (f"email|{email}", f"address|{address}"))
    _refuse_while_paused(session, email=email, client_address=address)
    attempt = SignInAttempt(
        email=email, client_address=address, succeeded=False, note=repository.CHECKING_NOTE
    )
    repository.add(session, attempt)
    user = repository.get_user_by_email(session, email)
    if user is None or not user.is_active or not user.password_hash:
        return SignInCandidate(email, None, _UNKNOWN_ACCOUNT_HASH, attempt.id)
    return SignInCandidate(email, user.id, user.password_hash, attempt.id)


def password_matches(candidate: SignInCandidate, password: str) -> bool:
    """The costly part of signing in (argon2id); touches no database."""
    matches = PASSWORDS.verify(password, candidate.password_hash)
    return matches and candidate.user_id is not None


def finish_sign_in(
    session: Session, *, candidate: SignInCandidate, client_address: str, password_matched: bool
) -> tuple[SignedInUser, str]:
    """Second half: on success the attempt stops counting as a failure and a server-side session starts
    (its token is returned); a failure was counted already."""
    user = repository.get_user(session, candidate.user_id) if candidate.user_id else None
    if not (password_matched and user is not None and user.is_active):
        repository.settle_attempt(session, candidate.attempt_id, succeeded=False)
        raise SignInRefused(_("Wrong email address or password."))
    repository.settle_attempt(session, candidate.attempt_id, succeeded=True)
    # A plain UPDATE, outside the account's optimistic versioning: the same person signing in on two
    # devices at once is not an edit conflict.
    repository.note_sign_in(session, user_id=user.id, when=_now())
    return signed_in_user(user), start_session(session, user=user)


def sign_in(session: Session, *, email: str, password: str, client_address: str) -> User:
    """Check a password in one go (the command line and tests; pages use the three steps above)."""
    candidate = begin_sign_in(session, email=email, client_address=client_address)
    signed_in, _token = finish_sign_in(
        session,
        candidate=candidate,
        client_address=client_address,
        password_matched=password_matches(candidate, password),
    )
    user = repository.get_user(session, signed_in.id)
    assert user is not None
    return user


def signed_in_user(user: User) -> SignedInUser:
    return SignedInUser(id=user.id, full_name=user.full_name, email=user.email)


def start_session(session: Session, *, user: User) -> str:
    """A new server-side session for ``user``; returns the token the browser's cookie will carry."""
    repository.delete_expired_sign_in_sessions(session, now=_now())
    token = secrets.token_urlsafe(32)
    repository.add(
        session,
        SignInSession(token_hash=_digest(token), user_id=user.id, expires_at=_now() + SESSION_LIFETIME),
    )
    return token


def resume_session(session: Session, *, token: str) -> tuple[Actor, SignedInUser] | None:
    """The person behind a session token, or None when it was ended, expired or the account closed."""
    record = repository.get_sign_in_session(session, _digest(token))
    if record is None:
        return None
    expires = record.expires_at if record.expires_at.tzinfo else record.expires_at.replace(tzinfo=UTC)
    if expires < _now() or not record.user.is_active:
        return None
    return actor_for(record.user), signed_in_user(record.user)


def end_session(session: Session, *, token: str) -> None:
    """Sign out: the session's token stops working at once, wherever a copy of the cookie is."""
    record = repository.get_sign_in_session(session, _digest(token))
    if record is not None:
        repository.end_sign_in_sessions(session, user_id=record.user_id, token_hash=record.token_hash)


def change_password(
    session: Session, *, actor: Actor, current_password: str, data: NewPassword, client_address: str
) -> str:
    """Change the signed-in person's own password in one go (the command line and tests; the page runs
    the steps below apart, so that neither argon2 step holds the write lock)."""
    candidate = begin_password_change(session, actor=actor, client_address=client_address)
    matched = password_matches(candidate, current_password)
    new_hash = hash_password(data.password) if matched else ""
    return finish_password_change(
        session, actor=actor, candidate=candidate, password_matched=matched, new_password_hash=new_hash
    )


def begin_password_change(session: Session, *, actor: Actor, client_address: str) -> SignInCandidate:
    """First step of changing one's own password: the check of the current one is counted as a sign-in
    attempt before it is made (so the form cannot be used to guess it), as signing in does; the session
    must be committed before the slow check."""
    require(actor.user_id is not None, _("Sign in to change your password."))
    user = repository.get_user(session, actor.user_id or 0)
    if user is None or not user.is_active:
        raise NotFound(_("No such person."))
    try:
        return begin_sign_in(session, email=user.email, client_address=client_address)
    except SignInThrottled as paused:
        raise ValidationFailed([FieldProblem("current_password", str(paused))]) from paused
    except AttemptsBeingChecked as busy:
        message = _("other sign-ins to your account are being checked: try again in a moment")
        raise ValidationFailed([FieldProblem("current_password", message)]) from busy


def finish_password_change(
    session: Session,
    *,
    actor: Actor,
    candidate: SignInCandidate,
    password_matched: bool,
    new_password_hash: str,
) -> str:
    """Last step: the attempt is settled; a wrong current password is refused beside its box (the
    caller commits the settled attempt with the refusal). On success every session of the person ends,
    their API tokens are revoked, and the token of a fresh session for this browser is returned."""
    user = repository.get_user(session, actor.user_id or 0)
    if user is None or not user.is_active:
        raise NotFound(_("No such person."))
    # The current password was checked against the hash read in the first step; a password changed in
    # between (another device) makes that check void.
    matched = (
        password_matched and candidate.user_id == user.id and user.password_hash == candidate.password_hash
    )
    repository.settle_attempt(session, candidate.attempt_id, succeeded=matched, note="password change")
    if not matched:
        raise ValidationFailed([FieldProblem("current_password", _("is not your current password"))])
    _set_password(session, user, new_password_hash, actor_label=actor.label, reason="password change")
    audit.record(
        session, actor=actor.label, action="user.password_change", entity_type="user", entity_id=str(user.id)
    )
    return start_session(session, user=user)


def _set_password(session: Session, user: User, password_hash: str, *, actor_label: str, reason: str) -> None:
    """A new password, every session of its owner ended and every API token of theirs revoked: whoever
    knew the old one (or held a session or a token made with it) is out. A token is as good as the
    password it was made with, so one stolen with the password would otherwise outlive the change."""
    user.password_hash = password_hash
    session.flush()
    repository.end_sign_in_sessions(session, user_id=user.id)
    for token_id in repository.revoke_tokens_of(session, user_id=user.id, when=_now()):
        audit.record(
            session,
            actor=actor_label,
            action="token.revoke",
            entity_type="api_token",
            entity_id=str(token_id),
            after={"reason": reason},
        )


def _reset_signature(secret: str, user: User, expires: int) -> str:
    # Signed over the current password hash: once the password changes (the link used, or the person
    # changing it), the link no longer matches. Nothing is stored, so no copy of it can leak.
    message = f"password-reset|{user.id}|{expires}|{user.password_hash or ''}"
    return hmac.new(secret.encode(), message.encode(), hashlib.sha256).hexdigest()


def make_password_reset(session: Session, *, actor: Actor, user_id: int, secret: str) -> tuple[User, str]:
    """A one-time password reset token for a person (administrators), working PASSWORD_RESET_LIFETIME:
    PUX sends no e-mail, so the administrator passes the link on."""
    require(permissions.can_manage_roles(actor), _("Only administrators may make password reset links."))
    user = repository.get_user(session, user_id)
    if user is None or not user.is_active:
        raise NotFound(_("No such person."))
    expires = int((_now() + PASSWORD_RESET_LIFETIME).timestamp())
    token = f"{user.id}.{expires}.{_reset_signature(secret, user, expires)}"
    audit.record(
        session,
        actor=actor.label,
        action="user.password_reset_link",
        entity_type="user",
        entity_id=str(user.id),
        after={"expires_at": datetime.fromtimestamp(expires, UTC).isoformat()},
    )
    return user, token


def open_password_reset(session: Session, *, token: str, secret: str) -> User:
    """The person a reset token is for, while it is unused and unexpired; else NotFound."""
    refused = NotFound(
        _("This password reset link is unknown, used or expired. Ask your administrator for a new one.")
    )
    user_part, _dot, rest = token.partition(".")
    expires_part, _dot, signature = rest.partition(".")
    if not (user_part.isdigit() and expires_part.isdigit()) or len(user_part) > 12 or len(expires_part) > 12:
        raise refused
    user = repository.get_user(session, int(user_part))
    expires = int(expires_part)
    if user is None or not user.is_active or expires < _now().timestamp():
        raise refused
    if not hmac.compare_digest(signature, _reset_signature(secret, user, expires)):
        raise refused
    return user


def reset_password(
    session: Session, *, token: str, secret: str, data: NewPassword
) -> tuple[SignedInUser, str]:
    """Set a new password through a reset link: the link stops working, every session of the person ends,
    its API tokens are revoked, and a fresh session starts for the browser that used it (its token is
    returned)."""
    user = open_password_reset(session, token=token, secret=secret)
    label = user_label(user.id, user.email)
    _set_password(session, user, hash_password(data.password), actor_label=label, reason="password reset")
    audit.record(
        session,
        actor=label,
        action="user.password_reset",
        entity_type="user",
        entity_id=str(user.id),
    )
    return signed_in_user(user), start_session(session, user=user)


def create_user(
    session: Session,
    *,
    actor: Actor,
    email: str,
    full_name: str,
    password: str,
    grants: Sequence[Grant],
    organisation_id: int | None = None,
    gender: str | None = None,
) -> User:
    """Create an account directly (administrators; the demo data and the first admin use it)."""
    require(permissions.can_manage_roles(actor), _("Only administrators may create accounts directly."))
    _require_email_address(email)
    for grant in grants:
        problems = _scope_problems(session, grant)
        if problems:
            raise ValidationFailed(problems)
    if repository.get_user_by_email(session, email) is not None:
        raise ValidationFailed([FieldProblem("email", _("this person has an account already"))])
    user = User(
        email=email.strip().lower(),
        full_name=full_name,
        password_hash=hash_password(password),
        organisation_id=organisation_id,
        gender=gender,
    )
    user.roles = [
        RoleAssignment(role=g.role, country_iso3=g.country_iso3, organisation_id=g.organisation_id)
        for g in grants
    ]
    repository.add(session, user)
    audit.record(
        session,
        actor=actor.label,
        action="user.create",
        entity_type="user",
        entity_id=str(user.id),
        after={"email": user.email, "roles": [g.role for g in grants]},
    )
    return user


def _require_email_address(email: str) -> None:
    """Refuse what is not an email address, as the invitation form does (`pux users create-admin
    not-an-email` made an administrator who signed in as "not-an-email")."""
    address = email.strip()
    if len(address) > MAXIMUM_EMAIL_LENGTH or not re.fullmatch(EMAIL_PATTERN, address):
        raise ValidationFailed([FieldProblem("email", _("this is not an email address (name@example.org)"))])


def get_user(session: Session, *, user_id: int) -> User | None:
    """An active account by id (for the session middleware)."""
    user = repository.get_user(session, user_id)
    return user if user is not None and user.is_active else None


def grant_role(session: Session, *, actor: Actor, user_id: int, grant: Grant) -> RoleAssignment:
    """Give a person one more scoped role (administrators)."""
    require(permissions.can_manage_roles(actor), _("Only administrators may change roles."))
    user = repository.get_user(session, user_id)
    if user is None:
        raise NotFound(_("No such person."))
    problems = _scope_problems(session, grant)
    if not problems and _holds(user, grant):
        # Refused by name: the database's uniqueness check answered it as a clash of edits.
        problems.append(FieldProblem("role", _("this person holds this role already")))
    if problems:
        raise ValidationFailed(problems)
    assignment = RoleAssignment(
        user_id=user.id,
        role=grant.role,
        country_iso3=grant.country_iso3,
        organisation_id=grant.organisation_id,
    )
    repository.add(session, assignment)
    audit.record(
        session,
        actor=actor.label,
        action="role.grant",
        entity_type="user",
        entity_id=str(user.id),
        after={"role": grant.role, "country": grant.country_iso3, "organisation": grant.organisation_id},
    )
    return assignment


def _holds(user: User, grant: Grant) -> bool:
    return any(
        (r.role, r.country_iso3, r.organisation_id) == (grant.role, grant.country_iso3, grant.organisation_id)
        for r in user.roles
    )


def person_for_roles(session: Session, *, actor: Actor, user_id: int) -> User:
    """The person whose roles an administrator is about to change (what the role form shows)."""
    require(permissions.can_manage_roles(actor), _("Only administrators may change roles."))
    user = repository.get_user(session, user_id)
    if user is None:
        raise NotFound(_("No such person."))
    return user


def revoke_role(session: Session, *, actor: Actor, role_id: int) -> None:
    """Take a role away (administrators)."""
    require(permissions.can_manage_roles(actor), _("Only administrators may change roles."))
    assignment = repository.get_role(session, role_id)
    if assignment is None:
        raise NotFound(_("No such role."))
    # Only an active administrator's role keeps the installation managed (a deactivated one's may go).
    if assignment.role == permissions.ADMIN and _last_active_administrator(session, assignment.user):
        # The last administrator who took their own role away left no one to manage accounts, and
        # "pux users create-admin" refuses an address that has an account.
        raise InvalidTransition(
            _(
                "This is the last administrator's role: give the role to someone else first, then take "
                "it away."
            )
        )
    before = {
        "role": assignment.role,
        "country": assignment.country_iso3,
        "organisation": assignment.organisation_id,
    }
    user_id = assignment.user_id
    repository.delete(session, assignment)
    # Whoever lost a role signs in again, so no open session keeps acting with the old rights.
    repository.end_sign_in_sessions(session, user_id=user_id)
    audit.record(
        session,
        actor=actor.label,
        action="role.revoke",
        entity_type="user",
        entity_id=str(user_id),
        before=before,
    )


def set_account_active(session: Session, *, actor: Actor, user_id: int, active: bool) -> User:
    """Deactivate an account (someone left their ministry or organisation) or make it active again
    (administrators). A deactivated person cannot sign in, their sessions end and their API tokens stop
    working; their roles, records and history stay, so reactivating gives everything back."""
    require(
        permissions.can_manage_roles(actor), _("Only administrators may deactivate or reactivate accounts.")
    )
    user = repository.get_user(session, user_id)
    if user is None:
        raise NotFound(_("No such person."))
    if user.is_active == active:
        return user  # asked twice (a second tab, a double click): nothing changes, nothing to record
    if not active:
        _require_may_deactivate(session, actor, user)
        repository.end_sign_in_sessions(session, user_id=user.id)
    user.is_active = active
    session.flush()
    audit.record(
        session,
        actor=actor.label,
        action="user.reactivate" if active else "user.deactivate",
        entity_type="user",
        entity_id=str(user.id),
        before={"is_active": not active},
        after={"is_active": active},
    )
    return user


def _require_may_deactivate(session: Session, actor: Actor, user: User) -> None:
    if user.id == actor.user_id:
        # Nobody would be left signed in to undo it, when it is the only administrator's own account.
        raise InvalidTransition(_("You cannot deactivate your own account: ask another administrator."))
    if _last_active_administrator(session, user):
        raise InvalidTransition(
            _("This is the last active administrator: give the role to someone else first.")
        )


def _last_active_administrator(session: Session, user: User) -> bool:
    """Whether ``user`` is the one active administrator left (no one else could manage accounts)."""
    return (
        user.is_active
        and any(role.role == permissions.ADMIN for role in user.roles)
        and repository.count_active_holders(session, permissions.ADMIN) <= 1
    )


def invitable_roles(actor: Actor) -> tuple[str, ...]:
    """The roles this actor may invite people to (what the invitation form offers)."""
    return tuple(
        role
        for role in permissions.ROLES
        if any(
            permissions.can_invite(actor, role=role, country_iso3=country, organisation_id=None)
            for country in (None, *actor.countries(permissions.FOCAL_POINT))
        )
    )


@dataclass(frozen=True)
class RoleHeld:
    role: str
    country_iso3: str | None
    organisation_name: str | None


@dataclass(frozen=True)
class AccountSummary:
    full_name: str
    email: str
    organisation_name: str | None
    roles: tuple[RoleHeld, ...]


def account_summary(session: Session, *, actor: Actor) -> AccountSummary:
    """What the account page shows the signed-in person about themselves."""
    require(actor.user_id is not None, _("Sign in to see your account."))
    user = repository.get_user(session, actor.user_id or 0)
    if user is None:
        raise NotFound(_("No such person."))
    own = {user.organisation_id, *(role.organisation_id for role in user.roles)}
    names = repository.organisation_names(session, {i for i in own if i is not None})
    return AccountSummary(
        full_name=user.full_name,
        email=user.email,
        organisation_name=names.get(user.organisation_id or 0),
        roles=tuple(RoleHeld(r.role, r.country_iso3, names.get(r.organisation_id or 0)) for r in user.roles),
    )


def may_list_people(actor: Actor) -> bool:
    """Whether the people list should be shown (focal points only see the invitation form)."""
    return permissions.can_view_people(actor)


def people_page(session: Session, *, actor: Actor, filters: PeopleFilter, page: PageRequest) -> Page[User]:
    """One page of the people with an account that match ``filters`` (facilitators and administrators):
    at the mission's scale they are tens of thousands."""
    require(permissions.can_view_people(actor), _("Only facilitators may list people."))
    return fetch_page(session, repository.people_query(filters), page)


def role_organisation_names(session: Session, people: Sequence[User]) -> dict[int, str]:
    """The names of the organisations the roles of ``people`` are held for (organisation names are public)."""
    return repository.organisation_names(
        session, {role.organisation_id for person in people for role in person.roles if role.organisation_id}
    )


def list_people(session: Session, *, actor: Actor) -> Sequence[User]:
    """Everyone with an account (facilitators and administrators)."""
    require(permissions.can_view_people(actor), _("Only facilitators may list people."))
    return repository.list_users(session)


def create_api_token(session: Session, *, actor: Actor, name: str) -> tuple[ApiToken, str]:
    """A new personal API token; the secret is shown once and only its hash is kept."""
    require(actor.user_id is not None, _("Sign in to create an API token."))
    assert actor.user_id is not None
    name = cleaned_field("name", name, max_length=MAX_TOKEN_NAME) or "API"
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user_id=actor.user_id, name=name, token_hash=_digest(secret))
    repository.add(session, token)
    audit.record(
        session,
        actor=actor.label,
        action="token.create",
        entity_type="api_token",
        entity_id=str(token.id),
        after={"name": name},
    )
    return token, secret


def revoke_api_token(session: Session, *, actor: Actor, token_id: int) -> None:
    """Revoke one of the actor's own tokens."""
    tokens = {t.id: t for t in repository.tokens_of(session, actor.user_id or -1)}
    token = tokens.get(token_id)
    if token is None:
        raise NotFound(_("No such token."))
    require(permissions.can_manage_own_tokens(actor, user_id=token.user_id))
    token.revoked_at = _now()
    session.flush()
    audit.record(
        session, actor=actor.label, action="token.revoke", entity_type="api_token", entity_id=str(token.id)
    )


def list_api_tokens(session: Session, *, actor: Actor) -> Sequence[ApiToken]:
    """The actor's own tokens (never their secrets)."""
    return repository.tokens_of(session, actor.user_id or -1)


@dataclass(frozen=True)
class TokenHolder:
    actor: Actor
    token_id: int
    # Whether the token's "last used" time is old enough to be written again (a read must not become
    # a write on every call: the time is kept to within TOKEN_USE_PRECISION).
    use_to_record: bool


TOKEN_USE_PRECISION = timedelta(minutes=15)


def actor_for_api_token(session: Session, *, secret: str) -> TokenHolder | None:
    """The actor behind a bearer token, or None for an unknown or revoked one."""
    if not secret.startswith(TOKEN_PREFIX):
        return None
    owner = repository.token_owner(session, _digest(secret))
    if owner is None or owner.revoked_at is not None or not owner.is_active:
        return None
    last_used = owner.last_used_at
    if last_used is not None and last_used.tzinfo is None:
        last_used = last_used.replace(tzinfo=UTC)
    stale = last_used is None or _now() - last_used > TOKEN_USE_PRECISION
    actor = _actor(owner.user_id, owner.email, owner.organisation_id, owner.grants)
    return TokenHolder(actor=actor, token_id=owner.token_id, use_to_record=stale)


def record_token_use(session: Session, *, token_id: int) -> None:
    """Note when a token was last used (not audited: it changes nothing anyone decided)."""
    token = repository.get_token(session, token_id)
    if token is not None:
        token.last_used_at = _now()


def display_names(session: Session, labels: Sequence[str]) -> dict[str, str]:
    """Names for audit actor labels ("user:ID:email"); emails are never shown. A change no person made is
    named in the reader's language (pages, public ones too, named its author "cli" or "demo-loader")."""
    names: dict[str, str] = {}
    for label in set(labels):
        kind, _, rest = label.partition(":")
        user_id = rest.partition(":")[0]
        user = repository.get_user(session, int(user_id)) if kind == "user" and user_id.isdigit() else None
        names[label] = user.full_name if user else non_person_name(kind)
    return names


# The authors of changes that no signed-in person made, by the first part of their audit label ("cli:root",
# "matching:proposal:12"). "user" is a person's label whose account is no longer there.
NON_PERSON_NAMES: dict[str, Callable[[], str]] = {
    "cli": lambda: _("Command line"),
    "demo-loader": lambda: _("Demonstration data"),
    "matching": lambda: _("Matching"),
    "public": lambda: _("A visitor"),
    "user": lambda: _("A former account"),
}


def non_person_name(kind: str) -> str:
    """What a change's author is called when no person made it; any other process is "System" (its label is
    the app's own, meaningless to a reader)."""
    name = NON_PERSON_NAMES.get(kind)
    return name() if name else _("System")
