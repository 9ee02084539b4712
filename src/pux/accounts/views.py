"""Pages for signing in, accepting invitations, API tokens, people and organisations."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from sqlalchemy.orm import Session, sessionmaker
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from pux.accounts import service
from pux.accounts.permissions import ROLES, Actor, Grant, require
from pux.accounts.repository import OrganisationFilter, PeopleFilter
from pux.accounts.schemas import (
    InvitationAccept,
    InvitationCreate,
    NewPassword,
    OrganisationCreate,
    RoleGrant,
)
from pux.accounts.service import (
    AttemptsBeingChecked,
    SignedInUser,
    SignInCandidate,
    SignInRefused,
    SignInThrottled,
)
from pux.db import unit_of_work
from pux.errors import ValidationFailed
from pux.i18n import gettext as _
from pux.pagination import PageRequest
from pux.reference import service as reference
from pux.reference.vocabulary import ORGANISATION_TYPES, organisation_type_label, role_label
from pux.validation import parse, parse_whole
from pux.web.deps import FormDep, SessionDep
from pux.web.filters import OrganisationFilters, PageNumber, PeopleFilters
from pux.web.forms import (
    RecordPath,
    flash,
    form_data,
    listing,
    parsed_with_organisations,
    problems_context,
)
from pux.web.routing import UnitOfWorkRoute, page_router
from pux.web.security import SESSION_TOKEN, CsrfChecked, PageActor
from pux.web.templating import render

router = page_router()
# Signing in loads nobody before it starts (its own three short steps, below).
sign_in_router = APIRouter(route_class=UnitOfWorkRoute, include_in_schema=False)
# The suggestions a box offers as one types: a fragment, not a page (no reader is loaded, no header
# counted, no confirmation message taken): organisation names are public, and one comes at each pause.
choices_router = APIRouter(route_class=UnitOfWorkRoute, include_in_schema=False)
# Password checks are deliberately slow: they run on one thread of their own, so a crowd signing in
# at once queues there instead of filling the thread pool that every other page needs.
PASSWORD_CHECKS = ThreadPoolExecutor(max_workers=1, thread_name_prefix="pux-password")


def _local(target: str | None) -> str:
    return target if target and target.startswith("/") and not target.startswith("//") else "/"


def _client(request: Request) -> str:
    return request.client.host if request.client else "unknown"


@router.get("/sign-in", response_class=HTMLResponse)
def sign_in_form(request: Request, actor: PageActor, next: str | None = None) -> HTMLResponse:
    return render(request, "accounts/sign_in.html", {"next": _local(next), "error": None, "email": ""})


def _begin_sign_in(factory: sessionmaker[Session], email: str, client: str) -> SignInCandidate:
    # A writer's unit, committed before the password is checked: the attempt is counted (and seen by
    # every other attempt) first, and the slow check runs without the write lock.
    with unit_of_work(factory, write=True) as session:
        return service.begin_sign_in(session, email=email, client_address=client)


def _finish_sign_in(
    factory: sessionmaker[Session], candidate: SignInCandidate, client: str, matched: bool
) -> tuple[SignedInUser, str]:
    with unit_of_work(factory, write=True) as session:
        try:
            return service.finish_sign_in(
                session, candidate=candidate, client_address=client, password_matched=matched
            )
        except SignInRefused:
            session.commit()  # the attempt, counted already, is kept settled as a failure
            raise


# How often, and for how long at most, an attempt waits for the same account's attempts being checked.
CHECKS_SETTLE_POLL_SECONDS = 0.1
CHECKS_SETTLE_WAIT_SECONDS = 30.0


async def _begin_sign_in_in_turn(factory: sessionmaker[Session], email: str, client: str) -> SignInCandidate:
    """Begin signing in, waiting (without holding a thread) while the account's allowance is taken by
    attempts still being checked: the same person signing in on several devices at once is let in
    once those are settled, and a burst of guesses is then paused."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + CHECKS_SETTLE_WAIT_SECONDS
    while True:
        try:
            return await run_in_threadpool(_begin_sign_in, factory, email, client)
        except AttemptsBeingChecked:
            if loop.time() > deadline:
                message = _(
                    "Too many sign-in attempts for this account at the same moment. Try again shortly."
                )
                raise SignInThrottled(message, 60) from None
            await asyncio.sleep(CHECKS_SETTLE_POLL_SECONDS)


@sign_in_router.post("/sign-in", dependencies=[CsrfChecked])
async def sign_in(request: Request, form: FormDep) -> Response:
    email, password = str(form.get("email", "")), str(form.get("password", ""))
    target = _local(str(form.get("next", "/")))
    factory = request.app.state.session_factory
    client = _client(request)
    try:
        candidate = await _begin_sign_in_in_turn(factory, email, client)
        matched = await asyncio.get_running_loop().run_in_executor(
            PASSWORD_CHECKS, service.password_matches, candidate, password
        )
        user, token = await run_in_threadpool(_finish_sign_in, factory, candidate, client, matched)
    except (SignInRefused, SignInThrottled) as refused:
        # On the form, with the address as typed: a paused person reads when to try again where they
        # will try, not on a bare error page.
        status = 429 if isinstance(refused, SignInThrottled) else 401
        page = render(
            request, "accounts/sign_in.html", {"next": target, "error": str(refused), "email": email}, status
        )
        if isinstance(refused, SignInThrottled):
            page.headers["Retry-After"] = str(refused.seconds)  # for clients and tools that honour it
        return page
    request.session.clear()  # a fresh session on sign-in: no fixation of an older one
    request.session[SESSION_TOKEN] = token
    flash(request, _("Welcome, %(name)s.") % {"name": user.full_name})
    return RedirectResponse(target, status_code=303)


@router.post("/sign-out", dependencies=[CsrfChecked])
def sign_out(request: Request, session: SessionDep) -> RedirectResponse:
    token = request.session.get(SESSION_TOKEN)
    if token:
        service.end_session(session, token=str(token))
    request.session.clear()
    return RedirectResponse("/", status_code=303)


@router.get("/invitations/{token}", response_class=HTMLResponse)
def invitation_form(request: Request, session: SessionDep, actor: PageActor, token: str) -> HTMLResponse:
    invitation = service.open_invitation(session, token=token)
    return render(
        request,
        "accounts/accept.html",
        {"invitation": invitation, "token": token, "errors": {}, "values": {}, "role_label": role_label},
    )


@router.post("/invitations/{token}", dependencies=[CsrfChecked])
def accept_invitation(request: Request, session: SessionDep, form: FormDep, token: str) -> Response:
    values = form_data(form)
    if "password_again" in form:  # the form asks twice: its second box left empty is a refusal
        values["password_again"] = str(form.get("password_again") or "")
    try:
        data = parse_whole(
            InvitationAccept, values, lambda _data: service.invitation_account_problems(session, token=token)
        )
        user = service.accept_invitation(session, token=token, data=data)
    except ValidationFailed as failed:
        invitation = service.open_invitation(session, token=token)
        return render(
            request,
            "accounts/accept.html",
            {
                "invitation": invitation,
                "token": token,
                "values": values,
                "role_label": role_label,
                # "email": an account has the invited address already (the address is not a box here).
                **problems_context(failed, whole_form=("email",)),
            },
            422,
        )
    session_token = service.start_session(session, user=user)
    request.session.clear()
    request.session[SESSION_TOKEN] = session_token
    flash(request, _("Your account is ready."))
    return RedirectResponse("/me", status_code=303)


def _account_page(
    request: Request,
    session: Session,
    actor: Actor,
    new_token: str | None = None,
    password_problems: dict[str, object] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    return render(
        request,
        "accounts/account.html",
        {
            "account": service.account_summary(session, actor=actor),
            "tokens": service.list_api_tokens(session, actor=actor),
            "new_token": new_token,
            "role_label": role_label,
            "errors": {},
            "problems": [],
            **(password_problems or {}),
        },
        status_code,
    )


@router.get("/account", response_class=HTMLResponse)
def account(request: Request, session: SessionDep, actor: PageActor) -> Response:
    if actor.user_id is None:
        return RedirectResponse("/sign-in?next=/account", status_code=303)
    return _account_page(request, session, actor)


@router.post("/account/password", dependencies=[CsrfChecked])
async def change_password(request: Request, actor: PageActor, form: FormDep) -> Response:
    """Three short steps, as signing in: the check of the current password is counted and committed,
    then both argon2 steps (the check and the new hash) run on the password thread without any write
    lock held, then the result is saved. On one write transaction, a password change held SQLite's
    write lock through both, and every other save waited for them."""
    if actor.user_id is None:
        return RedirectResponse("/sign-in?next=/account", status_code=303)
    factory = request.app.state.session_factory
    current_password = str(form.get("current_password", ""))
    try:
        data = parse(NewPassword, _password_fields(form))
        token = await _change_password_in_steps(factory, actor, current_password, data, _client(request))
    except ValidationFailed as failed:
        return await run_in_threadpool(
            _account_page_in_unit, request, factory, actor, problems_context(failed), 422
        )
    request.session.clear()  # every other session has ended; this browser continues in a fresh one
    request.session[SESSION_TOKEN] = token
    flash(
        request,
        _(
            "Your password was changed. You were signed out everywhere else, and your API tokens were "
            "revoked: make new ones."
        ),
    )
    return RedirectResponse("/account", status_code=303)


async def _change_password_in_steps(
    factory: sessionmaker[Session], actor: Actor, current_password: str, data: NewPassword, client: str
) -> str:
    candidate = await run_in_threadpool(_begin_password_change, factory, actor, client)
    loop = asyncio.get_running_loop()
    matched = await loop.run_in_executor(
        PASSWORD_CHECKS, service.password_matches, candidate, current_password
    )
    new_hash = (
        await loop.run_in_executor(PASSWORD_CHECKS, service.hash_password, data.password) if matched else ""
    )
    return await run_in_threadpool(_finish_password_change, factory, actor, candidate, matched, new_hash)


def _begin_password_change(factory: sessionmaker[Session], actor: Actor, client: str) -> SignInCandidate:
    with unit_of_work(factory, write=True) as session:
        return service.begin_password_change(session, actor=actor, client_address=client)


def _finish_password_change(
    factory: sessionmaker[Session], actor: Actor, candidate: SignInCandidate, matched: bool, new_hash: str
) -> str:
    with unit_of_work(factory, write=True) as session:
        try:
            return service.finish_password_change(
                session,
                actor=actor,
                candidate=candidate,
                password_matched=matched,
                new_password_hash=new_hash,
            )
        except ValidationFailed:
            session.commit()  # the wrong guess stays counted, settled as a failure
            raise


def _account_page_in_unit(
    request: Request,
    factory: sessionmaker[Session],
    actor: Actor,
    password_problems: dict[str, object],
    status_code: int,
) -> HTMLResponse:
    with unit_of_work(factory) as session:
        return _account_page(
            request, session, actor, password_problems=password_problems, status_code=status_code
        )


def _password_fields(form: FormData) -> dict[str, str]:
    """The new password and its repetition exactly as typed (empty ones kept: an empty repetition is
    refused as such, not taken as not asked)."""
    return {name: str(form.get(name) or "") for name in ("password", "password_again")}


@router.post("/account/tokens", dependencies=[CsrfChecked])
def create_token(request: Request, session: SessionDep, actor: PageActor, form: FormDep) -> HTMLResponse:
    _token, secret = service.create_api_token(session, actor=actor, name=str(form.get("name") or ""))
    return _account_page(request, session, actor, new_token=secret)


@router.post("/account/tokens/{token_id}/revoke", dependencies=[CsrfChecked])
def revoke_token(
    request: Request, session: SessionDep, actor: PageActor, token_id: RecordPath
) -> RedirectResponse:
    service.revoke_api_token(session, actor=actor, token_id=token_id)
    flash(request, _("The token was revoked."))
    return RedirectResponse("/account", status_code=303)


# People per page of the list (at the mission's scale there are tens of thousands).
PEOPLE_PAGE_SIZE = 50


def _people_context(
    request: Request, session: Session, actor: Actor, filters: PeopleFilter, page: PageRequest
) -> dict[str, object]:
    people = (
        service.people_page(session, actor=actor, filters=filters, page=replace(page, size=PEOPLE_PAGE_SIZE))
        if service.may_list_people(actor)
        else None
    )
    return {
        **(listing(people, request) if people is not None else {"page": None}),
        "role_organisations": service.role_organisation_names(session, people.items if people else []),
        "organisations": service.organisation_names(session),
        "countries": reference.list_selectable_countries(session),
        "roles": service.invitable_roles(actor),
        "all_roles": ROLES,
        "role_label": role_label,
        "invitation_link": None,
        "reset_hours": int(service.PASSWORD_RESET_LIFETIME.total_seconds() // 3600),
        "errors": {},
        "problems": [],
        "values": {},
    }


@router.get("/people", response_class=HTMLResponse)
def people(
    request: Request, session: SessionDep, actor: PageActor, filters: PeopleFilters, page: PageNumber
) -> Response:
    if not actor.is_authenticated:
        return RedirectResponse("/sign-in?next=/people", status_code=303)
    require(bool(service.invitable_roles(actor)))  # the page is its invitation form: refused, not shown empty
    return render(request, "accounts/people.html", _people_context(request, session, actor, filters, page))


@router.post("/people/invitations", dependencies=[CsrfChecked])
def invite(request: Request, session: SessionDep, actor: PageActor, form: FormDep) -> HTMLResponse:
    values = form_data(form)
    context = _people_context(request, session, actor, PeopleFilter(), PageRequest())
    try:
        data = parsed_with_organisations(
            session, values, ("organisation_id",), lambda: parse(InvitationCreate, values)
        )
        invitation, token = service.invite(session, actor=actor, data=data)
    except ValidationFailed as failed:
        context.update(values=values, **problems_context(failed))
        return render(request, "accounts/people.html", context, 422)
    # From the configured address, never from the request's Host header (which anyone can set).
    base_url = request.app.state.settings.base_url.rstrip("/")
    context["invitation_link"] = f"{base_url}/invitations/{token}"
    context["invitation"] = invitation
    return render(request, "accounts/people.html", context)


def _role_page(
    request: Request,
    session: Session,
    actor: Actor,
    user_id: int,
    values: dict[str, object] | None = None,
    problems: dict[str, object] | None = None,
) -> HTMLResponse:
    person = service.person_for_roles(session, actor=actor, user_id=user_id)
    context: dict[str, object] = {
        "person": person,
        "role_organisations": service.role_organisation_names(session, [person]),
        "organisations": service.organisation_names(session),
        "countries": reference.list_selectable_countries(session),
        "all_roles": ROLES,
        "role_label": role_label,
        "values": values or {},
        "errors": {},
        "problems": [],
        **(problems or {}),
    }
    return render(request, "accounts/roles.html", context, 422 if problems else 200)


@router.get("/people/{user_id}/roles", response_class=HTMLResponse)
def role_form(request: Request, session: SessionDep, actor: PageActor, user_id: RecordPath) -> Response:
    if not actor.is_authenticated:
        return RedirectResponse(f"/sign-in?next=/people/{user_id}/roles", status_code=303)
    return _role_page(request, session, actor, user_id)


@router.post("/people/{user_id}/roles", dependencies=[CsrfChecked])
def grant_role(
    request: Request, session: SessionDep, actor: PageActor, form: FormDep, user_id: RecordPath
) -> Response:
    person = service.person_for_roles(session, actor=actor, user_id=user_id)  # before the form is read
    values = form_data(form)
    try:
        data = parsed_with_organisations(
            session, values, ("organisation_id",), lambda: parse(RoleGrant, values)
        )
        grant = Grant(data.role, country_iso3=data.country_iso3, organisation_id=data.organisation_id)
        service.grant_role(session, actor=actor, user_id=user_id, grant=grant)
    except ValidationFailed as failed:
        return _role_page(request, session, actor, user_id, values, problems_context(failed))
    flash(request, _("The role was granted."))
    # Back to the list, showing the person (among thousands, the first page may not hold them).
    return RedirectResponse(f"/people?{urlencode({'q': person.email})}", status_code=303)


@router.post("/roles/{role_id}/revoke", dependencies=[CsrfChecked])
def revoke_role(
    request: Request, session: SessionDep, actor: PageActor, role_id: RecordPath
) -> RedirectResponse:
    service.revoke_role(session, actor=actor, role_id=role_id)
    flash(request, _("The role was revoked."))
    return RedirectResponse("/people", status_code=303)


@router.post("/people/{user_id}/deactivate", dependencies=[CsrfChecked])
def deactivate_account(
    request: Request, session: SessionDep, actor: PageActor, user_id: RecordPath
) -> RedirectResponse:
    person = service.set_account_active(session, actor=actor, user_id=user_id, active=False)
    flash(
        request,
        _("The account was deactivated: %(name)s can no longer sign in.") % {"name": person.full_name},
    )
    return RedirectResponse(f"/people?{urlencode({'q': person.email})}", status_code=303)


@router.post("/people/{user_id}/reactivate", dependencies=[CsrfChecked])
def reactivate_account(
    request: Request, session: SessionDep, actor: PageActor, user_id: RecordPath
) -> RedirectResponse:
    person = service.set_account_active(session, actor=actor, user_id=user_id, active=True)
    message = _("The account was reactivated: %(name)s can sign in again.")
    flash(request, message % {"name": person.full_name})
    return RedirectResponse(f"/people?{urlencode({'q': person.email})}", status_code=303)


@router.post("/people/{user_id}/password-reset", dependencies=[CsrfChecked])
def make_password_reset(
    request: Request, session: SessionDep, actor: PageActor, user_id: RecordPath
) -> HTMLResponse:
    """A reset link for a person who forgot their password, shown once to the administrator who passes
    it on (PUX sends no e-mail): answered as a page, never a redirect that would keep it in a message."""
    settings = request.app.state.settings
    person, token = service.make_password_reset(
        session, actor=actor, user_id=user_id, secret=settings.session_secret()
    )
    return render(
        request,
        "accounts/password_reset_link.html",
        {
            "person": person,
            # From the configured address, never from the request's Host header (which anyone can set).
            "reset_link": f"{settings.base_url.rstrip('/')}/password-reset/{token}",
            "reset_hours": int(service.PASSWORD_RESET_LIFETIME.total_seconds() // 3600),
        },
    )


def _password_reset_page(
    request: Request, token: str, person: SignedInUser, problems: dict[str, object] | None = None
) -> HTMLResponse:
    context: dict[str, object] = {"token": token, "person": person, "errors": {}, "problems": []}
    return render(
        request, "accounts/password_reset.html", {**context, **(problems or {})}, 422 if problems else 200
    )


@router.get("/password-reset/{token}", response_class=HTMLResponse)
def password_reset_form(request: Request, session: SessionDep, actor: PageActor, token: str) -> HTMLResponse:
    secret = request.app.state.settings.session_secret()
    person = service.open_password_reset(session, token=token, secret=secret)
    return _password_reset_page(request, token, service.signed_in_user(person))


@router.post("/password-reset/{token}", dependencies=[CsrfChecked])
def reset_password(request: Request, session: SessionDep, form: FormDep, token: str) -> Response:
    secret = request.app.state.settings.session_secret()
    person = service.open_password_reset(session, token=token, secret=secret)
    try:
        data = parse(NewPassword, _password_fields(form))
    except ValidationFailed as failed:
        return _password_reset_page(request, token, service.signed_in_user(person), problems_context(failed))
    _user, session_token = service.reset_password(session, token=token, secret=secret, data=data)
    request.session.clear()
    request.session[SESSION_TOKEN] = session_token
    flash(
        request,
        _(
            "Your new password is set. You were signed out everywhere else, and your API tokens were "
            "revoked: make new ones."
        ),
    )
    return RedirectResponse("/account", status_code=303)


ORGANISATIONS_PAGE_SIZE = 50


def _organisations_page(
    request: Request,
    session: Session,
    context: dict[str, object],
    status_code: int = 200,
    filters: OrganisationFilter | None = None,
    page: PageRequest | None = None,
) -> HTMLResponse:
    organisations = service.organisation_page(
        session,
        filters=filters or OrganisationFilter(),
        page=replace(page or PageRequest(), size=ORGANISATIONS_PAGE_SIZE),
    )
    return render(
        request,
        "accounts/organisations.html",
        {
            **listing(organisations, request),
            "types": ORGANISATION_TYPES,
            "type_label": organisation_type_label,
            "errors": {},
            "problems": [],
            "values": {},
            "countries": reference.list_selectable_countries(session),
            **context,
        },
        status_code,
    )


@choices_router.get("/organisations/choices", response_class=HTMLResponse)
def organisation_choices(
    request: Request,
    session: SessionDep,
    field: Annotated[str, Query(pattern="^[a-z_]{1,40}$")],
) -> HTMLResponse:
    """The names an organisation filter offers for what was typed in it (its ``field``): options for its
    list of suggestions. Organisation names are public."""
    typed = request.query_params.get(field, "")[:200]
    choices = service.suggested_organisations(session, typed)
    templates: Jinja2Templates = request.app.state.templates
    return templates.TemplateResponse(request, "accounts/_organisation_choices.html", {"choices": choices})


@router.get("/organisations", response_class=HTMLResponse)
def organisations(
    request: Request, session: SessionDep, actor: PageActor, filters: OrganisationFilters, page: PageNumber
) -> HTMLResponse:
    return _organisations_page(request, session, {}, filters=filters, page=page)


@router.post("/organisations", dependencies=[CsrfChecked])
def create_organisation(request: Request, session: SessionDep, actor: PageActor, form: FormDep) -> Response:
    service.require_may_register_organisations(actor)  # before the form is checked
    values = form_data(form)
    try:
        organisation = service.create_organisation(
            session, actor=actor, data=parse(OrganisationCreate, values)
        )
    except ValidationFailed as failed:
        return _organisations_page(request, session, {"values": values, **problems_context(failed)}, 422)
    flash(request, _("The organisation was registered."))
    # Shown found by its name: among thousands, the first page of the list may not hold it.
    return RedirectResponse(f"/organisations?{urlencode({'q': organisation.name})}", status_code=303)
