"""HTML pages of the knowledge package: techniques (with the calculator), the evidence ledger, success
stories, myths and facts, and the editors' and reviewers' forms."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Annotated, Any, TypeVar

from fastapi import Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from pux.accounts import service as accounts
from pux.accounts.permissions import Actor
from pux.errors import FieldProblem, StaleEdit, ValidationFailed
from pux.i18n import LANGUAGES, decimal_text, get_language
from pux.i18n import gettext as _
from pux.knowledge import calculator, figures, service
from pux.knowledge import vocabulary as v
from pux.knowledge.api import StudyMethodFilter
from pux.knowledge.markdown import render_markdown
from pux.knowledge.models import EvidenceEntry, KnowledgeTranslation, Myth, SuccessStory
from pux.knowledge.repository import EvidenceFilter
from pux.knowledge.schemas import (
    EvidenceCreate,
    EvidenceDispute,
    EvidenceUpdate,
    MythCreate,
    MythUpdate,
    StoryCreate,
    StoryUpdate,
    TechniqueSummaryFields,
    TranslationFields,
    sources_as_lines,
    sources_from_lines,
)
from pux.reference import service as reference
from pux.validation import parse, parse_whole
from pux.web.deps import FormDep, SessionDep
from pux.web.filters import PageNumber, country_code
from pux.web.forms import (
    RecordPath,
    flash,
    form_data,
    form_version,
    listing,
    problems_context,
    saved_first,
    sign_in_first,
    split_codes,
)
from pux.web.routing import page_router
from pux.web.security import CsrfChecked, PageActor
from pux.web.templating import render

router = page_router()
NO_PROBLEMS: dict[str, Any] = {"errors": {}, "problems": []}
SlugPath = Annotated[str, Path(min_length=1, max_length=120, pattern=r"^[a-z0-9-]+$")]
Code = Annotated[str | None, Query(max_length=40)]
Status = Annotated[str | None, Query(pattern="^(reported|checked|disputed)?$")]


def _labels() -> dict[str, Any]:
    return {
        "evidence_status_label": v.evidence_status_label,
        "study_method_label": v.study_method_label,
        "story_status_label": v.story_status_label,
        "translation_status_label": v.translation_status_label,
        "criterion_label": v.criterion_label,
        "prerequisite_kind_label": v.prerequisite_kind_label,
        "relation_label": v.relation_label,
        "markdown": render_markdown,
        "figure_label": calculator.figure_label,
        "figure_text": figures.as_entered,
    }


def _history(session: Session, history: list[Any]) -> dict[str, Any]:
    """A record's history with who made each change by name (their e-mail address and account number
    were shown, to the public too), as the needs' and programmes' pages show it."""
    return {"history": history, "history_names": accounts.display_names(session, [e.actor for e in history])}


def _failed(failed: ValidationFailed | None) -> dict[str, Any]:
    if failed is None:
        return NO_PROBLEMS
    # Stories' and myths' sources are typed one per line into the field sources_text: their problems
    # ("sources", "sources.year") are shown there, and the error summary links to it.
    # The record a story tells of is a hidden field: a problem with it is the form's.
    return problems_context(
        ValidationFailed([_on_the_form(problem) for problem in failed.problems]),
        whole_form=("need_id", "programme_id", "activity_id"),
    )


def _on_the_form(problem: FieldProblem) -> FieldProblem:
    if problem.field == "sources" or problem.field.startswith("sources."):
        return replace(problem, field="sources_text")
    return problem


def _status(failed: ValidationFailed | None, status_code: int | None) -> int:
    return status_code or (422 if failed else 200)


# --- Techniques ---------------------------------------------------------------------------------------


@router.get("/techniques", response_class=HTMLResponse)
def technique_list(request: Request, session: SessionDep, actor: PageActor) -> HTMLResponse:
    return render(request, "knowledge/techniques.html", {"groups": service.list_techniques(session)})


def _technique_page(
    request: Request,
    session: Session,
    actor: Actor,
    slug: str,
    values: dict[str, str],
    refused: RefusedTranslation | None = None,
) -> HTMLResponse:
    page = service.technique_page(session, actor=actor, slug=slug)
    country = (values.get("country") or "").upper() or None
    readings = calculator.country_readings(session, iso3=country)
    outcome = calculator.run(values, page.evidence, readings)
    return render(
        request,
        "knowledge/technique.html",
        {
            **_labels(),
            "page": page,
            "calc": outcome,
            "missing_label": calculator.missing_label,
            "readings": calculator.area_readings(readings, page.technique.thematic_area_code),
            "money_readings": calculator.money_readings(readings),
            "country": country,
            "countries": reference.list_selectable_countries(session),
            "may_edit": service.may_edit(actor),
            **_translation_reviews(actor),
            "page_translations": _page_translations(session, actor, page),
            # The myths' claims in the reader's language, as /myths shows them (they were in English).
            "myth_texts": service.localiser(session, entity_type=v.MYTH, ids=[m.id for m in page.myths]),
            # The entries' claims and the stories' titles too, as their own pages and /stories show them.
            "claims": service.localiser(session, entity_type=v.EVIDENCE, ids=[e.id for e in page.evidence]),
            "story_titles": service.localiser(session, entity_type=v.STORY, ids=[s.id for s in page.stories]),
            # What each entry is compared with (the conventional alternative), as the ledger says it.
            "comparators": service.comparator_names(session, page.evidence),
            "summary_translation": _typed_translation(refused),
        },
        422 if refused else 200,
    )


def _page_translations(session: Session, actor: Actor, page: service.TechniquePage) -> list[Any]:
    if page.profile is None or not (service.may_edit(actor) or service.may_review_translations(actor)):
        return []
    return service.technique_translations(session, profile=page.profile)


@router.get("/techniques/{slug}", response_class=HTMLResponse)
def technique_page(request: Request, session: SessionDep, actor: PageActor, slug: SlugPath) -> HTMLResponse:
    # The values as typed: the calculator refuses, by name, one too long to take (they were cut at 40
    # characters without a word, a rate's source among them).
    values = {k: v for k, v in request.query_params.items() if len(k) < 60}
    return _technique_page(request, session, actor, slug, values)


@router.get("/techniques/{slug}/edit", response_class=HTMLResponse)
def edit_technique(request: Request, session: SessionDep, actor: PageActor, slug: SlugPath) -> Response:
    if (redirect := sign_in_first(actor, f"/techniques/{slug}/edit")) is not None:
        return redirect
    service.require_may_edit(actor)
    page = service.technique_page(session, actor=actor, slug=slug)
    values = {
        "summary": page.profile.summary if page.profile else "",
        "sdg_target_codes": ", ".join(page.profile.sdg_target_codes) if page.profile else "",
        "version": page.profile.version if page.profile else 1,
    }
    return render(request, "knowledge/technique_form.html", {"page": page, "values": values, **NO_PROBLEMS})


@router.post("/techniques/{slug}/edit", dependencies=[CsrfChecked])
def update_technique(
    request: Request, session: SessionDep, actor: PageActor, form: FormDep, slug: SlugPath
) -> Response:
    service.require_may_edit(actor)  # refused before the form is checked: never shown to who may not use it
    values = form_data(form)
    try:
        version = form_version(values)
        typed = {
            "summary": values.get("summary", ""),
            "sdg_target_codes": split_codes(values.get("sdg_target_codes")),
        }
        data = parse(TechniqueSummaryFields, typed)
        service.update_technique_summary(
            session,
            actor=actor,
            slug=slug,
            summary=data.summary,
            sdg_target_codes=data.sdg_target_codes,
            version=version,
        )
    except ValidationFailed as failed:
        page = service.technique_page(session, actor=actor, slug=slug)
        context = {"page": page, "values": values, **_failed(failed)}
        return render(request, "knowledge/technique_form.html", context, 422)
    except StaleEdit:
        session.expire_all()  # the page as the other person saved it
        page = service.technique_page(session, actor=actor, slug=slug)
        now = page.profile.version if page.profile else 1
        message = _(
            "Someone else saved this technique page after you opened it (it is now at version "
            "%(version)s). What you wrote is kept below: compare it with the page as it is now, then save "
            "again."
        ) % {"version": now}
        context = {"page": page, "values": {**values, "version": now}, **_failed(saved_first(message))}
        return render(request, "knowledge/technique_form.html", context, 409)
    flash(request, _("Your changes were saved."))
    return RedirectResponse(f"/techniques/{slug}", status_code=303)


# --- Evidence -----------------------------------------------------------------------------------------


@router.get("/evidence", response_class=HTMLResponse)
def evidence_list(
    request: Request,
    session: SessionDep,
    actor: PageActor,
    page: PageNumber,
    technique: Code = None,
    area: Code = None,
    country: Code = None,
    status: Status = None,
    study_method: StudyMethodFilter = None,
) -> HTMLResponse:
    filters = EvidenceFilter(
        technique_code=technique or None, thematic_area_code=area or None,
        country_iso3=country_code(country), status=status or None, study_method=study_method or None,
    )  # fmt: skip
    results = service.list_evidence(session, actor=actor, filters=filters, page=page)
    return render(
        request,
        "knowledge/evidence_list.html",
        {
            **_labels(),
            **listing(results, request),
            "techniques": reference.list_techniques(session),
            "areas": reference.list_thematic_areas(session),
            "countries": reference.list_selectable_countries(session),
            "statuses": v.EVIDENCE_STATUSES,
            "methods": v.METHOD_FILTERS,
            "may_edit": service.may_contribute(actor),
            "checkers": service.checked_by_names(session, results.items),
            "comparators": service.comparator_names(session, results.items),
            # Each claim in the reader's language, as the entry's page shows it (the list showed English).
            "claims": service.localiser(session, entity_type=v.EVIDENCE, ids=[e.id for e in results.items]),
        },
    )


def _evidence_form(
    request: Request,
    session: Session,
    *,
    entry: EvidenceEntry | None,
    values: dict[str, Any],
    failed: ValidationFailed | None = None,
    status_code: int | None = None,
) -> HTMLResponse:
    return render(
        request,
        "knowledge/evidence_form.html",
        {
            **_labels(),
            "study_methods": v.STUDY_METHODS,
            "entry": entry,
            "values": values,
            "techniques": reference.list_techniques(session),
            "countries": reference.list_selectable_countries(session),
            **_failed(failed),
        },
        _status(failed, status_code),
    )


def _written_in_page_language(values: dict[str, Any]) -> dict[str, Any]:
    """A new text's first values, said to be written in the page's language: the forms said English on every
    page, and an Arabic claim left so was saved as English (its readers were told it was not translated,
    and offered to translate it into Arabic)."""
    return {**values, "source_language": get_language()}


@router.get("/evidence/new", response_class=HTMLResponse)
def new_evidence(request: Request, session: SessionDep, actor: PageActor) -> Response:
    if (redirect := sign_in_first(actor, "/evidence/new")) is not None:
        return redirect
    service.require_may_contribute(actor)
    values = _written_in_page_language({"technique_code": request.query_params.get("technique", "")})
    return _evidence_form(request, session, entry=None, values=values)


# The evidence form's numbers, read in the page's language ("1 234,5" on a French page) before the schema.
EVIDENCE_NUMBERS = ("value", "value_high")
EvidenceForm = TypeVar("EvidenceForm", EvidenceCreate, EvidenceUpdate)


def _numbers_read(values: dict[str, Any]) -> tuple[dict[str, Any], list[FieldProblem]]:
    """``values`` with the form's numbers read as the page's language writes them, as the calculator reads
    its figures; one that cannot be read, or could be read two ways ("1.500"), is kept as typed and refused
    by its field (the schema read only "1234.5", and "1 234,5" on a French page "must be a number")."""
    read, refused = dict(values), []
    example = decimal_text(calculator.EXAMPLE_NUMBER, "#,##0.##")
    for name in EVIDENCE_NUMBERS:
        typed = str(values.get(name) or "").strip()
        if not typed:
            continue
        try:
            read[name] = calculator.parse_number(typed)
        except calculator.NumberRefused as refusal:
            message = (
                _("%(value)s could mean thousands or decimals; write it as in %(example)s")
                if refusal.ambiguous
                else _("must be a number, written as in %(example)s")
            )
            refused.append(FieldProblem(name, message % {"value": typed, "example": example}))
    return read, refused


def _evidence_data(session: Session, model: type[EvidenceForm], values: dict[str, Any]) -> EvidenceForm:
    """The form checked whole, its numbers read in the page's language: each problem named once, a number
    refused by how it was written rather than by the schema's "must be a number"."""
    read, refused = _numbers_read(values)
    named = {problem.field for problem in refused}
    try:
        data = parse_whole(model, read, lambda d: service.evidence_problems(session, d))
    except ValidationFailed as failed:
        raise ValidationFailed(refused + [p for p in failed.problems if p.field not in named]) from None
    if refused:
        raise ValidationFailed(refused)
    return data


@router.post("/evidence", dependencies=[CsrfChecked])
def create_evidence(request: Request, session: SessionDep, actor: PageActor, form: FormDep) -> Response:
    values = form_data(form)
    try:
        data = _evidence_data(session, EvidenceCreate, values)
        entry = service.create_evidence(session, actor=actor, data=data)
    except ValidationFailed as failed:
        service.require_may_contribute(actor)
        return _evidence_form(request, session, entry=None, values=values, failed=failed)
    flash(
        request, _("The entry was added to the ledger as reported. A reviewer checks it against its source.")
    )
    return RedirectResponse(f"/evidence/{entry.id}", status_code=303)


def _evidence_page(
    request: Request,
    session: Session,
    actor: Actor,
    entry_id: int,
    values: dict[str, Any] | None = None,
    failed: ValidationFailed | None = None,
    refused: RefusedTranslation | None = None,
) -> HTMLResponse:
    entry = service.get_evidence(session, actor=actor, entry_id=entry_id)
    return render(
        request,
        "knowledge/evidence.html",
        {
            **_labels(),
            "entry": entry,
            "claim": service.localiser(session, entity_type=v.EVIDENCE, ids=[entry.id]).text(
                entry.id, "claim", entry.claim, entry.source_language
            ),
            "checkers": service.checked_by_names(session, [entry]),
            "comparators": service.comparator_names(session, [entry]),
            "may_check": service.may_check(actor, entry),
            "may_edit": service.may_edit_evidence(actor, entry),
            **_history(session, service.history(session, entity_type=v.EVIDENCE, entity_id=entry.id)),
            **_translations_context(session, actor, v.EVIDENCE, entry.id, entry.source_language, refused),
            "values": values or {},
            **_failed(failed),
        },
        422 if failed or refused else 200,
    )


@router.get("/evidence/{entry_id}", response_class=HTMLResponse)
def evidence_page(
    request: Request, session: SessionDep, actor: PageActor, entry_id: RecordPath
) -> HTMLResponse:
    return _evidence_page(request, session, actor, entry_id)


@router.get("/evidence/{entry_id}/edit", response_class=HTMLResponse)
def edit_evidence(request: Request, session: SessionDep, actor: PageActor, entry_id: RecordPath) -> Response:
    if (redirect := sign_in_first(actor, f"/evidence/{entry_id}/edit")) is not None:
        return redirect
    entry = service.get_evidence(session, actor=actor, entry_id=entry_id)
    service.require_may_edit_evidence(actor, entry)
    values = {name: getattr(entry, name) for name in EvidenceUpdate.model_fields}
    # The figures written as the page reads them back when saved.
    values |= {name: figures.in_form(getattr(entry, name)) for name in EVIDENCE_NUMBERS}
    return _evidence_form(request, session, entry=entry, values=values)


@router.post("/evidence/{entry_id}/edit", dependencies=[CsrfChecked])
def update_evidence(
    request: Request, session: SessionDep, actor: PageActor, form: FormDep, entry_id: RecordPath
) -> Response:
    values = form_data(form)
    try:
        data = _evidence_data(session, EvidenceUpdate, values)
        service.update_evidence(session, actor=actor, entry_id=entry_id, data=data)
    except ValidationFailed as failed:
        entry = service.get_evidence(session, actor=actor, entry_id=entry_id)
        service.require_may_edit_evidence(actor, entry)
        return _evidence_form(request, session, entry=entry, values=values, failed=failed)
    except StaleEdit:
        session.expire_all()  # the entry as the other person saved it
        entry = service.get_evidence(session, actor=actor, entry_id=entry_id)
        message = _(
            "Someone else saved this evidence entry after you opened it (it is now at version %(version)s). "
            "What you wrote is kept below: compare it with the entry as it is now, then save again."
        ) % {"version": entry.version}
        kept = {**values, "version": entry.version}
        return _evidence_form(
            request, session, entry=entry, values=kept, failed=saved_first(message), status_code=409
        )
    flash(request, _("Your changes were saved."))
    return RedirectResponse(f"/evidence/{entry_id}", status_code=303)


@router.post("/evidence/{entry_id}/check", dependencies=[CsrfChecked])
def check_evidence(
    request: Request, session: SessionDep, actor: PageActor, form: FormDep, entry_id: RecordPath
) -> Response:
    service.check_evidence(session, actor=actor, entry_id=entry_id, version=form_version(form_data(form)))
    flash(request, _("The entry is marked checked against its source."))
    return RedirectResponse(f"/evidence/{entry_id}", status_code=303)


@router.post("/evidence/{entry_id}/dispute", dependencies=[CsrfChecked])
def dispute_evidence(
    request: Request, session: SessionDep, actor: PageActor, form: FormDep, entry_id: RecordPath
) -> Response:
    values = form_data(form)
    try:
        service.dispute_evidence(session, actor=actor, entry_id=entry_id, data=parse(EvidenceDispute, values))
    except ValidationFailed as failed:
        return _evidence_page(request, session, actor, entry_id, values=values, failed=failed)
    flash(request, _("The entry is marked disputed, with your reason."))
    return RedirectResponse(f"/evidence/{entry_id}", status_code=303)


# --- Translations -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RefusedTranslation:
    """A translation refused, shown again on its record's page as it was typed, each problem beside its
    field (it was answered by a redirect, the text box empty, the field named by its internal name)."""

    values: dict[str, Any]
    failed: ValidationFailed


def _typed_translation(refused: RefusedTranslation | None) -> dict[str, Any]:
    if refused is None:
        return {"values": {}, **NO_PROBLEMS}
    return {"values": refused.values, **_failed(refused.failed)}


def _translations_context(
    session: Session,
    actor: Actor,
    entity_type: str,
    entity_id: int,
    source_language: str,
    refused: RefusedTranslation | None = None,
) -> dict[str, Any]:
    return {
        "translations": service.translations_of(session, entity_type=entity_type, entity_id=entity_id),
        # The form's target, with what was typed in it when it was refused (the macro drawing the form is
        # given this one value by every page).
        "translation_target": {"type": entity_type, "id": entity_id, **_typed_translation(refused)},
        "translated_fields": v.TRANSLATED_FIELDS[entity_type],
        "other_languages": [lang for lang in LANGUAGES if lang != source_language],
        "may_translate": service.may_edit(actor),
        # A reviewer who is not an editor is shown a story's or a myth's translations too: to review them.
        "may_review_translations": service.may_review_translations(actor),
        # Named apart from a story's or a myth's own "may_review", which this once replaced on their pages.
        **_translation_reviews(actor),
    }


def _translation_reviews(actor: Actor) -> dict[str, Callable[[KnowledgeTranslation], bool]]:
    """Per translation: whether the page offers ``actor`` to review it, and whether they wrote it."""
    return {
        "may_review_translation": functools.partial(service.may_review_translation, actor),
        "wrote_translation": functools.partial(service.wrote_translation, actor),
    }


EntityType = Annotated[str, Path(pattern="^(technique|evidence|story|myth)$")]


@router.post("/knowledge/{entity_type}/{entity_id}/translations", dependencies=[CsrfChecked])
def save_translation(
    request: Request,
    session: SessionDep,
    actor: PageActor,
    form: FormDep,
    entity_type: EntityType,
    entity_id: RecordPath,
) -> Response:
    values = form_data(form)
    service.require_may_edit(actor)
    back = service.page_of(session, entity_type=entity_type, entity_id=entity_id)
    try:
        data = parse(TranslationFields, values)
        service.save_translation(
            session, actor=actor, entity_type=entity_type, entity_id=entity_id, data=data
        )
    except ValidationFailed as failed:
        refused = RefusedTranslation(values, failed)
        return _page_with_translation(request, session, actor, entity_type, entity_id, back, refused)
    flash(request, _("The translation was saved as a draft; a reviewer reviews it."))
    return RedirectResponse(f"{back}#translations", status_code=303)


def _page_with_translation(
    request: Request,
    session: Session,
    actor: Actor,
    entity_type: str,
    entity_id: int,
    back: str,
    refused: RefusedTranslation,
) -> Response:
    """The record's page again, its translation form as typed and refused (422)."""
    if entity_type == v.EVIDENCE:
        return _evidence_page(request, session, actor, entity_id, refused=refused)
    if entity_type == v.STORY:
        story = service.get_story_by_id(session, actor=actor, story_id=entity_id)
        return _story_page(request, session, actor, story, refused)
    if entity_type == v.MYTH:
        myth = service.get_myth_by_id(session, actor=actor, myth_id=entity_id)
        return _myth_page(request, session, actor, myth, refused)
    if back.startswith("/techniques/"):  # a technique's summary: its page is known by its profile's slug
        return _technique_page(request, session, actor, back.removeprefix("/techniques/"), {}, refused)
    flash(request, _("The translation was not saved: %(problems)s") % {"problems": refused.failed})
    return RedirectResponse(back, status_code=303)


@router.post("/knowledge/translations/{translation_id}/review", dependencies=[CsrfChecked])
def review_translation(
    request: Request, session: SessionDep, actor: PageActor, form: FormDep, translation_id: RecordPath
) -> Response:
    translation = service.review_translation(
        session, actor=actor, translation_id=translation_id, version=form_version(form_data(form))
    )
    flash(request, _("The translation is marked reviewed."))
    # Back to the reviewer's list of translations to review when they came from it, else to the record.
    back = str(form_data(form).get("back") or "")
    if back == "/me" or back.startswith(("/me?", "/me/")):
        return RedirectResponse(back, status_code=303)
    record = service.page_of_translation(session, translation=translation)
    return RedirectResponse(f"{record}#translations", status_code=303)


# --- Stories ------------------------------------------------------------------------------------------

STORY_FLAGS = ("is_illustrative",)


def _story_values(form: Any) -> dict[str, Any]:
    return _with_sources(form_data(form, flags=STORY_FLAGS))


def _with_sources(values: dict[str, Any]) -> dict[str, Any]:
    """The sources typed one per line, read for the schema (which ignores the typed text); the text is
    kept as typed for a form shown again (read back from the sources, a line was rewritten or lost)."""
    values["sources"] = sources_from_lines(str(values.get("sources_text", "")))
    return values


def _story_form(
    request: Request,
    session: Session,
    *,
    story: SuccessStory | None,
    values: dict[str, Any],
    failed: ValidationFailed | None = None,
    status_code: int | None = None,
) -> HTMLResponse:
    if "sources_text" not in values:
        values = {**values, "sources_text": sources_as_lines(values.get("sources") or [])}
    return render(
        request,
        "knowledge/story_form.html",
        {
            **_labels(),
            "story": story,
            "values": values,
            "techniques": reference.list_techniques(session),
            "areas": reference.list_thematic_areas(session),
            "countries": reference.list_selectable_countries(session),
            "languages": LANGUAGES,
            **_failed(failed),
        },
        _status(failed, status_code),
    )


@router.get("/stories", response_class=HTMLResponse)
def story_list(request: Request, session: SessionDep, actor: PageActor) -> HTMLResponse:
    stories = service.list_stories(session, actor=actor)
    titles = service.localiser(session, entity_type=v.STORY, ids=[s.id for s in stories])
    return render(
        request,
        "knowledge/stories.html",
        {**_labels(), "stories": stories, "titles": titles, "may_edit": service.may_contribute(actor)},
    )


@router.get("/stories/new", response_class=HTMLResponse)
def new_story(
    request: Request,
    session: SessionDep,
    actor: PageActor,
    need: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
) -> Response:
    if (redirect := sign_in_first(actor, "/stories/new")) is not None:
        return redirect
    service.require_may_contribute(actor)
    values = _written_in_page_language({"status": "draft"})
    if need is not None:
        try:
            draft = service.story_draft_from_need(session, actor=actor, need_id=need)
            values = _written_in_page_language(draft.model_dump())  # a need does not record its language
        except ValidationFailed as failed:
            return _story_form(request, session, story=None, values=values, failed=failed)
    return _story_form(request, session, story=None, values=values)


@router.post("/stories", dependencies=[CsrfChecked])
def create_story(request: Request, session: SessionDep, actor: PageActor, form: FormDep) -> Response:
    values = _story_values(form)
    try:
        data = parse_whole(StoryCreate, values, lambda d: service.story_problems(session, actor, d))
        story = service.create_story(session, actor=actor, data=data)
    except ValidationFailed as failed:
        service.require_may_contribute(actor)
        return _story_form(request, session, story=None, values=values, failed=failed)
    flash(request, _("The story was saved."))
    return RedirectResponse(f"/stories/{story.slug}", status_code=303)


@router.get("/stories/{slug}", response_class=HTMLResponse)
def story_page(request: Request, session: SessionDep, actor: PageActor, slug: SlugPath) -> HTMLResponse:
    return _story_page(request, session, actor, service.get_story(session, actor=actor, slug=slug))


def _story_page(
    request: Request,
    session: Session,
    actor: Actor,
    story: SuccessStory,
    refused: RefusedTranslation | None = None,
) -> HTMLResponse:
    texts = service.localiser(session, entity_type=v.STORY, ids=[story.id])
    return render(
        request,
        "knowledge/story.html",
        {
            **_labels(),
            "story": story,
            "links": service.story_links(session, actor=actor, stories=[story])[story.id],
            "title": texts.text(story.id, "title", story.title, story.source_language),
            "body": texts.text(story.id, "body", story.body, story.source_language),
            "may_edit": service.may_edit_story(actor, story),
            "may_review": service.may_review_story(session, actor, story),
            **_history(session, service.story_history(session, actor=actor, story=story)),
            **_translations_context(session, actor, v.STORY, story.id, story.source_language, refused),
        },
        422 if refused else 200,
    )


@router.post("/stories/{slug}/review", dependencies=[CsrfChecked])
def review_story(
    request: Request, session: SessionDep, actor: PageActor, form: FormDep, slug: SlugPath
) -> Response:
    """A second person's review publishes the story and dates it (the API's review, from the page)."""
    story = service.get_story(session, actor=actor, slug=slug)
    service.review_story(session, actor=actor, story_id=story.id, version=form_version(form_data(form)))
    flash(request, _("Your review was recorded; the story is published."))
    return RedirectResponse(f"/stories/{slug}", status_code=303)


@router.get("/stories/{slug}/edit", response_class=HTMLResponse)
def edit_story(request: Request, session: SessionDep, actor: PageActor, slug: SlugPath) -> Response:
    if (redirect := sign_in_first(actor, f"/stories/{slug}/edit")) is not None:
        return redirect
    story = service.get_story(session, actor=actor, slug=slug)
    service.require_may_edit_story(actor, story)
    values = service.story_form_values(session, actor=actor, story=story)
    return _story_form(request, session, story=story, values=values)


@router.post("/stories/{slug}/edit", dependencies=[CsrfChecked])
def update_story(
    request: Request, session: SessionDep, actor: PageActor, form: FormDep, slug: SlugPath
) -> Response:
    values = _story_values(form)
    story = service.get_story(session, actor=actor, slug=slug)
    try:
        data = parse_whole(StoryUpdate, values, lambda d: service.story_problems(session, actor, d))
        service.update_story(session, actor=actor, story_id=story.id, data=data)
    except ValidationFailed as failed:
        service.require_may_edit_story(actor, story)
        return _story_form(request, session, story=story, values=values, failed=failed)
    except StaleEdit:
        session.expire_all()  # the story as the other person saved it
        story = service.get_story_by_id(session, actor=actor, story_id=story.id)
        message = _(
            "Someone else saved this story after you opened it (it is now at version %(version)s). What you "
            "wrote is kept below: compare it with the story as it is now, then save again."
        ) % {"version": story.version}
        kept = {**values, "version": story.version}
        return _story_form(
            request, session, story=story, values=kept, failed=saved_first(message), status_code=409
        )
    flash(request, _("Your changes were saved."))
    return RedirectResponse(f"/stories/{story.slug}", status_code=303)


# --- Myths --------------------------------------------------------------------------------------------

MYTH_LISTS = ("technique_codes", "thematic_area_codes")


def _myth_values(form: Any) -> dict[str, Any]:
    return _with_sources(form_data(form, lists=MYTH_LISTS, flags=("is_published",)))


def _myth_form(
    request: Request,
    session: Session,
    *,
    myth: Myth | None,
    values: dict[str, Any],
    failed: ValidationFailed | None = None,
    status_code: int | None = None,
) -> HTMLResponse:
    if "sources_text" not in values:
        values = {**values, "sources_text": sources_as_lines(values.get("sources") or [])}
    return render(
        request,
        "knowledge/myth_form.html",
        {
            "myth": myth,
            "values": values,
            "techniques": reference.list_techniques(session),
            "areas": reference.list_thematic_areas(session),
            "languages": LANGUAGES,
            **_failed(failed),
        },
        _status(failed, status_code),
    )


@router.get("/myths", response_class=HTMLResponse)
def myth_list(request: Request, session: SessionDep, actor: PageActor) -> HTMLResponse:
    myths = service.list_myths(session, actor=actor)
    texts = service.localiser(session, entity_type=v.MYTH, ids=[m.id for m in myths])
    return render(
        request,
        "knowledge/myths.html",
        {**_labels(), "myths": myths, "texts": texts, "may_edit": service.may_edit(actor)},
    )


@router.get("/myths/new", response_class=HTMLResponse)
def new_myth(request: Request, session: SessionDep, actor: PageActor) -> Response:
    if (redirect := sign_in_first(actor, "/myths/new")) is not None:
        return redirect
    service.require_may_edit(actor)
    return _myth_form(request, session, myth=None, values=_written_in_page_language({}))


@router.post("/myths", dependencies=[CsrfChecked])
def create_myth(request: Request, session: SessionDep, actor: PageActor, form: FormDep) -> Response:
    values = _myth_values(form)
    try:
        data = parse_whole(MythCreate, values, lambda d: service.myth_problems(session, d))
        myth = service.create_myth(session, actor=actor, data=data)
    except ValidationFailed as failed:
        service.require_may_edit(actor)
        return _myth_form(request, session, myth=None, values=values, failed=failed)
    flash(request, _("The myth and its finding were saved."))
    return RedirectResponse(f"/myths/{myth.slug}", status_code=303)


@router.get("/myths/{slug}", response_class=HTMLResponse)
def myth_page(request: Request, session: SessionDep, actor: PageActor, slug: SlugPath) -> HTMLResponse:
    return _myth_page(request, session, actor, service.get_myth(session, actor=actor, slug=slug))


def _myth_page(
    request: Request, session: Session, actor: Actor, myth: Myth, refused: RefusedTranslation | None = None
) -> HTMLResponse:
    texts = service.localiser(session, entity_type=v.MYTH, ids=[myth.id])
    return render(
        request,
        "knowledge/myth.html",
        {
            **_labels(),
            "myth": myth,
            "claim": texts.text(myth.id, "claim", myth.claim, myth.source_language),
            "finding": texts.text(myth.id, "finding", myth.finding, myth.source_language),
            "may_edit": service.may_edit(actor),
            "may_review": service.may_review_myth(session, actor, myth),
            **_history(session, service.history(session, entity_type=v.MYTH, entity_id=myth.id)),
            **_translations_context(session, actor, v.MYTH, myth.id, myth.source_language, refused),
        },
        422 if refused else 200,
    )


@router.post("/myths/{slug}/review", dependencies=[CsrfChecked])
def review_myth(
    request: Request, session: SessionDep, actor: PageActor, form: FormDep, slug: SlugPath
) -> Response:
    """A second person's review publishes the myth and dates it (the API's review, from the page)."""
    myth = service.get_myth(session, actor=actor, slug=slug)
    service.review_myth(session, actor=actor, myth_id=myth.id, version=form_version(form_data(form)))
    flash(request, _("Your review was recorded; the myth is published."))
    return RedirectResponse(f"/myths/{slug}", status_code=303)


@router.get("/myths/{slug}/edit", response_class=HTMLResponse)
def edit_myth(request: Request, session: SessionDep, actor: PageActor, slug: SlugPath) -> Response:
    if (redirect := sign_in_first(actor, f"/myths/{slug}/edit")) is not None:
        return redirect
    service.require_may_edit(actor)
    myth = service.get_myth(session, actor=actor, slug=slug)
    values = {name: getattr(myth, name) for name in MythUpdate.model_fields}
    return _myth_form(request, session, myth=myth, values=values)


@router.post("/myths/{slug}/edit", dependencies=[CsrfChecked])
def update_myth(
    request: Request, session: SessionDep, actor: PageActor, form: FormDep, slug: SlugPath
) -> Response:
    values = _myth_values(form)
    myth = service.get_myth(session, actor=actor, slug=slug)
    try:
        data = parse_whole(MythUpdate, values, lambda d: service.myth_problems(session, d))
        service.update_myth(session, actor=actor, myth_id=myth.id, data=data)
    except ValidationFailed as failed:
        service.require_may_edit(actor)
        return _myth_form(request, session, myth=myth, values=values, failed=failed)
    except StaleEdit:
        session.expire_all()  # the myth as the other person saved it
        myth = service.get_myth_by_id(session, actor=actor, myth_id=myth.id)
        message = _(
            "Someone else saved this myth after you opened it (it is now at version %(version)s). What you "
            "wrote is kept below: compare it with the myth as it is now, then save again."
        ) % {"version": myth.version}
        kept = {**values, "version": myth.version}
        return _myth_form(
            request, session, myth=myth, values=kept, failed=saved_first(message), status_code=409
        )
    flash(request, _("Your changes were saved."))
    return RedirectResponse(f"/myths/{myth.slug}", status_code=303)
