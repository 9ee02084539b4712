"""Pages for signing in, accepting invitations, API tokens, people and organisations."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from pux.accounts import service
from pux.accounts.permissions import ROLES, Grant
from pux.accounts.schemas import InvitationAccept, InvitationCreate, OrganisationCreate
from pux.accounts.service import SignInRefused
from pux.errors import ValidationFailed
from pux.reference import service as reference
from pux.reference.repository import CountryFilter
from pux.reference.vocabulary import ORGANISATION_TYPES, organisation_type_label, role_label
from pux.validation import parse
from pux.web.deps import SessionDep
from pux.web.forms import form_data
from pux.web.security import SESSION_USER, CsrfChecked, PageActor
from pux.web.templating import render

router = APIRouter(include_in_schema=False)


def _local(target: str | None) -> str:
    return target if target and target.startswith("/") and not target.startswith("//") else "/"


def _client(request: Request) -> str:
    return request.client.host if request.client else "unknown"


@router.get("/sign-in", response_class=HTMLResponse)
def sign_in_form(request: Request, actor: PageActor, next: str | None = None) -> HTMLResponse:
    return render(request, "accounts/sign_in.html", {"next": _local(next), "error": None, "email": ""})


@router.post("/sign-in", dependencies=[CsrfChecked])
async def sign_in(request: Request, session: SessionDep, actor: PageActor) -> Response:
    form = await request.form()
    email, password = str(form.get("email", "")), str(form.get("password", ""))
    target = _local(str(form.get("next", "/")))
    try:
        user = service.sign_in(session, email=email, password=password, client_address=_client(request))
    except SignInRefused as refused:
        return render(
            request, "accounts/sign_in.html", {"next": target, "error": str(refused), "email": email}, 401
        )
    request.session.clear()  # a fresh session on sign-in: no fixation of an older one
    request.session[SESSION_USER] = user.id
    return RedirectResponse(target, status_code=303)


@router.post("/sign-out", dependencies=[CsrfChecked])
def sign_out(request: Request) -> RedirectResponse:
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
async def accept_invitation(request: Request, session: SessionDep, actor: PageActor, token: str) -> Response:
    values = form_data(await request.form())
    try:
        user = service.accept_invitation(session, token=token, data=parse(InvitationAccept, values))
    except ValidationFailed as failed:
        invitation = service.open_invitation(session, token=token)
        errors = {p.field: p.message for p in failed.problems}
        return render(
            request,
            "accounts/accept.html",
            {
                "invitation": invitation,
                "token": token,
                "errors": errors,
                "values": values,
                "role_label": role_label,
            },
            422,
        )
    request.session.clear()
    request.session[SESSION_USER] = user.id
    return RedirectResponse("/account", status_code=303)


@router.get("/account", response_class=HTMLResponse)
def account(request: Request, session: SessionDep, actor: PageActor) -> Response:
    if actor.user_id is None:
        return RedirectResponse("/sign-in?next=/account", status_code=303)
    return render(
        request,
        "accounts/account.html",
        {
            "tokens": service.list_api_tokens(session, actor=actor),
            "new_token": None,
            "role_label": role_label,
        },
    )


@router.post("/account/tokens", dependencies=[CsrfChecked])
async def create_token(request: Request, session: SessionDep, actor: PageActor) -> HTMLResponse:
    form = await request.form()
    _token, secret = service.create_api_token(session, actor=actor, name=str(form.get("name") or "API")[:100])
    return render(
        request,
        "accounts/account.html",
        {
            "tokens": service.list_api_tokens(session, actor=actor),
            "new_token": secret,
            "role_label": role_label,
        },
    )


@router.post("/account/tokens/{token_id}/revoke", dependencies=[CsrfChecked])
def revoke_token(session: SessionDep, actor: PageActor, token_id: int) -> RedirectResponse:
    service.revoke_api_token(session, actor=actor, token_id=token_id)
    return RedirectResponse("/account", status_code=303)


def _people_context(session: SessionDep, actor: PageActor) -> dict[str, object]:
    return {
        "people": service.list_people(session, actor=actor) if service.may_list_people(actor) else [],
        "organisations": service.list_organisations(session),
        "countries": reference.list_countries(session, filters=CountryFilter()),
        "roles": ROLES,
        "role_label": role_label,
        "invitation_link": None,
        "errors": {},
        "values": {},
    }


@router.get("/people", response_class=HTMLResponse)
def people(request: Request, session: SessionDep, actor: PageActor) -> Response:
    if not actor.is_authenticated:
        return RedirectResponse("/sign-in?next=/people", status_code=303)
    return render(request, "accounts/people.html", _people_context(session, actor))


@router.post("/people/invitations", dependencies=[CsrfChecked])
async def invite(request: Request, session: SessionDep, actor: PageActor) -> HTMLResponse:
    values = form_data(await request.form())
    context = _people_context(session, actor)
    try:
        _invitation, token = service.invite(session, actor=actor, data=parse(InvitationCreate, values))
    except ValidationFailed as failed:
        context.update(errors={p.field: p.message for p in failed.problems}, values=values)
        return render(request, "accounts/people.html", context, 422)
    context["invitation_link"] = str(request.url_for("invitation_form", token=token))
    return render(request, "accounts/people.html", context)


@router.post("/people/{user_id}/roles", dependencies=[CsrfChecked])
async def grant_role(
    request: Request, session: SessionDep, actor: PageActor, user_id: int
) -> RedirectResponse:
    values = form_data(await request.form())
    organisation = values.get("organisation_id")
    grant = Grant(
        role=str(values.get("role", "")),
        country_iso3=values.get("country_iso3"),
        organisation_id=int(organisation) if organisation else None,
    )
    service.grant_role(session, actor=actor, user_id=user_id, grant=grant)
    return RedirectResponse("/people", status_code=303)


@router.post("/roles/{role_id}/revoke", dependencies=[CsrfChecked])
def revoke_role(session: SessionDep, actor: PageActor, role_id: int) -> RedirectResponse:
    service.revoke_role(session, actor=actor, role_id=role_id)
    return RedirectResponse("/people", status_code=303)


@router.get("/organisations", response_class=HTMLResponse)
def organisations(request: Request, session: SessionDep, actor: PageActor) -> HTMLResponse:
    return render(
        request,
        "accounts/organisations.html",
        {
            "organisations": service.list_organisations(session),
            "types": ORGANISATION_TYPES,
            "type_label": organisation_type_label,
            "errors": {},
            "values": {},
            "countries": reference.list_countries(session, filters=CountryFilter()),
        },
    )


@router.post("/organisations", dependencies=[CsrfChecked])
async def create_organisation(request: Request, session: SessionDep, actor: PageActor) -> Response:
    values = form_data(await request.form())
    try:
        service.create_organisation(session, actor=actor, data=parse(OrganisationCreate, values))
    except ValidationFailed as failed:
        return render(
            request,
            "accounts/organisations.html",
            {
                "organisations": service.list_organisations(session),
                "types": ORGANISATION_TYPES,
                "type_label": organisation_type_label,
                "errors": {p.field: p.message for p in failed.problems},
                "values": values,
                "countries": reference.list_countries(session, filters=CountryFilter()),
            },
            422,
        )
    return RedirectResponse("/organisations", status_code=303)
