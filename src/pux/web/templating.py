"""The Jinja2 environment: gettext bound to the request's language, helpers for figures and names."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from decimal import Decimal
from pathlib import Path
from typing import Any

import jinja2
from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from jinja2.nodes import EvalContext
from markupsafe import Markup

from pux.audit.labels import audit_action_label
from pux.errors import WHOLE_FORM
from pux.i18n import (
    LANGUAGE_AUTONYMS,
    LANGUAGES,
    decimal_text,
    get_language,
    gettext,
    listed,
    ngettext,
    number_text,
    text_direction,
)
from pux.needs import workflow as need_workflow
from pux.reference.collation import collated, sorted_countries
from pux.reference.vocabulary import (
    activity_status_label,
    horizon_label,
    modality_label,
    programme_status_label,
    proposal_status_label,
    readiness_label,
    visibility_label,
    vulnerable_group_label,
)
from pux.validation import record_number
from pux.web.field_labels import field_label

TEMPLATE_DIR = Path(__file__).parent / "templates"


format_number = number_text


# First strong isolate ... pop directional isolate: the Unicode marks that set a piece of text apart from
# the sentence around it, like <bdi>, but valid in attributes and titles too.
ISOLATE_START, ISOLATE_END = "\u2068", "\u2069"


def _isolated(value: Any) -> Any:
    """A text put into a sentence, set apart from it in a right-to-left page: a Latin name ending in
    punctuation or figures ("Programme B (2026)") in an Arabic sentence otherwise took the sentence's
    full stop or parenthesis to the wrong side. Numbers are left as they are."""
    if isinstance(value, Markup):
        return Markup(ISOLATE_START) + value + Markup(ISOLATE_END)
    if isinstance(value, str):
        return ISOLATE_START + value + ISOLATE_END
    return value


def _put_in(
    message: str, eval_context: EvalContext, variables: dict[str, Any], count: str | None = None
) -> str:
    if eval_context.autoescape:
        message = Markup(message)
    if count is None and not variables and "%" not in message:
        # Nothing to put in and no "%%" to undo: formatting would give it back as it is (a list of 250
        # countries asks for its labels a thousand times).
        return message
    if variables and text_direction() == "rtl":
        variables = {name: _isolated(value) for name, value in variables.items()}
    return message % ({"num": count, **variables} if count is not None else variables)


@jinja2.pass_eval_context
def translated(eval_context: EvalContext, message: str, **variables: Any) -> str:
    """The templates' ``_()``: the message in the reader's language with its values put in (each text
    set apart in right-to-left pages)."""
    return _put_in(gettext(message), eval_context, variables)


@jinja2.pass_eval_context
def counted(eval_context: EvalContext, singular: str, plural: str, num: int, **variables: Any) -> str:
    """A counted message ("%(num)d needs") with the count in the reader's notation ("200,800 needs",
    "200 800 besoins"): the catalogues keep %(num)d, the number is written before it is put in."""
    message = ngettext(singular, plural, num).replace("%(num)d", "%(num)s")
    return _put_in(message, eval_context, variables, count=format_number(num))


def options(codes: Iterable[str], label: Callable[[str], str]) -> list[tuple[str, str]]:
    """(code, translated label) pairs for a select or checkbox list."""
    return [(code, label(code)) for code in codes]


def country_options(countries: Iterable[Any]) -> list[tuple[str, str]]:
    """(code, name) pairs in the reader's language, in that language's collation order.

    Pass the countries a user may choose: reference.service.list_selectable_countries (not the
    uninhabited areas), rather than every country of list_countries."""
    return [(c.iso3, c.name()) for c in sorted_countries(countries)]


def organisation_options(organisations: Iterable[Any]) -> list[tuple[str, str]]:
    return [(str(o.id), o.name) for o in organisations]


def organisation_choices(organisations: Iterable[Any], value: object) -> list[tuple[str, str]]:
    """A list of organisations to choose from, led by the text a filter was given in place of a number
    (part of a name, from a link or the API), so that the list shows it and sends it again."""
    choices = organisation_options(organisations)
    text = str(value if value is not None else "").strip()
    if text and record_number(text) is None:
        choices.insert(0, (text, text))
    return choices


# Up to this many organisations a filter lists them all; beyond, a person types part of a name and is offered
# the names that fit (1,500 options at the mission's scale made a third of a page and no one scrolls them).
ORGANISATION_SELECT_LIMIT = 150


def organisation_typed(organisations: Iterable[Any], value: object) -> str:
    """What an organisation's text box shows: the name of the organisation chosen by number (a link's, a
    record's), else what was typed."""
    text = str(value if value is not None else "").strip()
    number = record_number(text)
    return next((o.name for o in organisations if o.id == number), text) if number is not None else text


def named_options(records: Iterable[Any]) -> list[tuple[str, str]]:
    """Options from reference records that have a code and a translated name (areas, techniques)."""
    return [(r.code, r.name()) for r in records]


def region_options(regions: Iterable[Any]) -> list[tuple[str, str]]:
    return [(r.m49, r.name()) for r in regions]


def region_tree_options(regions: Iterable[Any]) -> list[tuple[str, str]]:
    """Every region, sub-region and intermediate region, each under its parent, named with the regions
    it belongs to ("Africa › Sub-Saharan Africa › Eastern Africa"): a programme may be open to any level,
    and a form offering only the top level dropped a sub-region on each edit."""
    regions = list(regions)
    codes = {region.m49 for region in regions}
    children: dict[str | None, list[Any]] = {}
    for region in regions:
        parent = region.parent_m49 if region.parent_m49 in codes else None
        children.setdefault(parent, []).append(region)
    shown: list[tuple[str, str]] = []

    def add(parent: str | None, path: tuple[str, ...]) -> None:
        for region in collated(children.get(parent, []), lambda r: str(r.name())):
            names = (*path, region.name())
            shown.append((region.m49, " › ".join(names)))
            add(region.m49, names)

    add(None, ())
    return shown


# Amounts a record's history shows, written as the pages write them (2,000,000, not 2000000.00). Every
# record's money is here: a need's cost and an activity's disbursements read "1250000.50 -> 2000000" to a
# Spanish reader while only a programme's budget was written the reader's way.
HISTORY_AMOUNTS = frozenset(
    {
        "total_budget",
        "remaining_budget",
        "max_per_need",
        "estimated_cost",
        "cofinancing_amount",
        "amount_committed",
        "amount_disbursed",
        "amount",
        "budget",
        "total_awarded",
        "travel_budget",
        "fare",
        "daily_allowance",
        "receipt_amount",
    }
)
# Other figures a history shows: counts and measured values, grouped and with the reader's decimal mark
# ("12 000", "85,5"). Years and record numbers are not among them: "2,021" is no year.
HISTORY_FIGURES = frozenset(
    {
        "beneficiaries_count",
        "beneficiaries_women_share",
        "capacity",
        "max_supported_per_country",
        "nights",
        "value",
        "value_high",
    }
)


def history_value(name: str, value: Any) -> str:
    """A value in a record's history as people read it: a status by its label, a list as a list (it was
    printed as Python writes one: "['KEN', 'UGA']"), yes or no, an amount or a count in the reader's
    notation, nothing as a dash."""
    if value in (None, "", []):
        return "—"
    if isinstance(value, bool):
        return gettext("Yes") if value else gettext("No")
    coded = CODED_IN_HISTORY.get(name)
    if isinstance(value, list):
        return listed(coded(str(item)) if coded else str(item) for item in value)
    if coded is not None and isinstance(value, str):
        return coded(value)
    if name in HISTORY_AMOUNTS:
        return _number(value, lambda number: format_number(number, 2))  # an amount keeps its cents
    if name in HISTORY_FIGURES:
        return _number(value, lambda number: decimal_text(number, "#,##0.######"))
    if name == "status" and isinstance(value, str):
        if value in need_workflow.STATUSES:
            return need_workflow.status_label(value)
        label = programme_status_label(value)  # a programme's, else an activity's
        return label if label != value else activity_status_label(value)
    return str(value)


# Fields whose history holds codes of a vocabulary, shown by their labels in the reader's language (a need's
# history read "Regulatory body: ready <- partial" and "['rural_communities', 'women_girls']").
CODED_IN_HISTORY: dict[str, Callable[[str], str]] = {
    "regulatory_body": readiness_label,
    "infrastructure": readiness_label,
    "trained_staff": readiness_label,
    "horizon": horizon_label,
    "vulnerable_groups": vulnerable_group_label,
    "visibility": visibility_label,
    "modality": modality_label,
}


def _number(value: Any, write: Callable[[float], str]) -> str:
    """A value of a record's history written as a number by ``write``, in the reader's notation."""
    try:
        return write(float(Decimal(str(value))))
    except ArithmeticError:  # decimal.InvalidOperation: not a figure, shown as it was written
        return str(value)


# Fields a record's history does not show: bookkeeping, or an internal number that means nothing to a reader.
HIDDEN_IN_HISTORY = frozenset({"updated_at", "version", "search_text", "status_comment", "iati_source_id"})


def history_changes(before: dict[str, Any], after: dict[str, Any]) -> list[tuple[str, Any, Any]]:
    """(field, before, after) of each field an event changed, as a reader sees it: an amount written again
    with its decimals ("500000" then "500000.00") is no change (an IATI update showed it as one)."""
    return [
        (key, before.get(key), new)
        for key, new in after.items()
        if key not in HIDDEN_IN_HISTORY and not _same_value(before.get(key), new)
    ]


def _same_value(old: Any, new: Any) -> bool:
    if old == new:
        return True
    texts = (str(old), str(new))
    if old is None or new is None or not any("." in text for text in texts):
        return False
    try:
        return Decimal(texts[0]) == Decimal(texts[1])
    except ArithmeticError:  # decimal.InvalidOperation: not figures
        return False


def arrow() -> str:
    """An arrow pointing the way the text reads ("from → to"): arrows are not mirrored in Arabic."""
    return "←" if text_direction() == "rtl" else "→"


def build_templates() -> Jinja2Templates:
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATE_DIR),
        autoescape=jinja2.select_autoescape(["html"]),
        extensions=["jinja2.ext.i18n"],
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        # The templates ship with the package and do not change under a running process: without this,
        # every render looked up the modification time of each template it used (and of those it includes).
        auto_reload=False,
    )
    environment.install_gettext_callables(gettext, ngettext, newstyle=True)  # type: ignore[attr-defined]
    environment.globals["gettext"] = translated
    environment.globals["ngettext"] = counted
    environment.globals.update(
        current_language=get_language,
        text_direction=text_direction,
        languages=LANGUAGES,
        language_autonyms=LANGUAGE_AUTONYMS,
        group_code=str,
        programme_status_label=programme_status_label,
        activity_status_label=activity_status_label,
        proposal_status_label=proposal_status_label,
        field_label=field_label,
        audit_action_label=audit_action_label,
        history_value=history_value,
        history_changes=history_changes,
        arrow=arrow,
        organisation_select_limit=ORGANISATION_SELECT_LIMIT,
        whole_form=WHOLE_FORM,
    )
    environment.filters.update(
        number=format_number,
        listed=listed,
        autonym=lambda code: LANGUAGE_AUTONYMS.get(code, code),  # a language by its own name, not its code
        options=options,
        country_options=country_options,
        organisation_options=organisation_options,
        organisation_choices=organisation_choices,
        organisation_typed=organisation_typed,
        named_options=named_options,
        region_options=region_options,
        region_tree_options=region_tree_options,
    )
    return Jinja2Templates(env=environment)


def render(request: Request, template: str, context: dict[str, Any], status_code: int = 200) -> HTMLResponse:
    """Render a page with the app's templates (the request's language is already active)."""
    from pux.accounts.permissions import Actor, page_offers
    from pux.web.forms import take_flashes
    from pux.web.security import csrf_token

    templates: Jinja2Templates = request.app.state.templates
    actor = getattr(request.state, "actor", None) or Actor.public()
    base = {
        "actor": actor,
        "may": page_offers(actor),
        "user": getattr(request.state, "user", None),
        "csrf_token": csrf_token(request),
        "flashes": take_flashes(request),
        "inbox_count": waiting.waiting if (waiting := getattr(request.state, "waiting", None)) else None,
    }
    return templates.TemplateResponse(request, template, {**base, **context}, status_code=status_code)
