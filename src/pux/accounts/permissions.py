"""Who may do what: one function per action, called by the services. Nothing else decides access.

An ``Actor`` is the person acting (or the public). Roles are scoped: a focal point or counterpart to a
country, a partner or programme officer to an organisation; facilitators and administrators act across
countries. Visibility scopes turn the same rules into query filters, so lists, counts, search and
exports can never show what a single-record check would refuse.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pux.errors import DomainError
from pux.i18n import gettext as _
from pux.needs.workflow import PUBLISHED_STATUSES

ADMIN = "admin"
FACILITATOR = "facilitator"
FOCAL_POINT = "focal_point"
COUNTERPART = "counterpart"
PARTNER = "partner"
PROGRAMME_OFFICER = "programme_officer"
EXPERT = "expert"
# Knowledge content roles, global in scope (no country or organisation): editors write techniques content,
# evidence entries, stories and myths; reviewers check or dispute evidence and review translations.
EDITOR = "editor"
REVIEWER = "reviewer"
ROLES = (ADMIN, FACILITATOR, FOCAL_POINT, COUNTERPART, PARTNER, PROGRAMME_OFFICER, EXPERT, EDITOR, REVIEWER)
CONTENT_ROLES = frozenset({EDITOR, REVIEWER})
COUNTRY_ROLES = frozenset({FOCAL_POINT, COUNTERPART})
ORGANISATION_ROLES = frozenset({PARTNER, PROGRAMME_OFFICER})
GLOBAL_ROLES = frozenset({ADMIN, FACILITATOR})
# Roles that may see records shared with "partners" (besides the public ones).
PARTNER_LEVEL_ROLES = frozenset({PARTNER, PROGRAMME_OFFICER, EXPERT, FOCAL_POINT, COUNTERPART})

PUBLIC, PARTNERS, PRIVATE = "public", "partners", "private"
VISIBILITIES = (PUBLIC, PARTNERS, PRIVATE)


class PermissionDenied(DomainError):
    """The actor may not do this; the message says why in the user's language."""


@dataclass(frozen=True)
class Grant:
    role: str
    country_iso3: str | None = None
    organisation_id: int | None = None


@dataclass(frozen=True)
class Actor:
    """The person acting, with their scoped roles; ``Actor.public()`` is someone not signed in."""

    user_id: int | None
    label: str
    grants: tuple[Grant, ...] = ()
    organisation_id: int | None = None

    @classmethod
    def public(cls) -> Actor:
        return cls(user_id=None, label="public")

    @classmethod
    def system(cls, label: str) -> Actor:
        """A command-line or setup actor with administrator rights (it has database access anyway)."""
        return cls(user_id=None, label=label, grants=(Grant(ADMIN),))

    @property
    def is_authenticated(self) -> bool:
        return self.user_id is not None or any(g.role == ADMIN for g in self.grants)

    @property
    def is_global(self) -> bool:
        return any(g.role in GLOBAL_ROLES for g in self.grants)

    @property
    def is_admin(self) -> bool:
        return any(g.role == ADMIN for g in self.grants)

    @property
    def is_partner_level(self) -> bool:
        return self.is_global or any(g.role in PARTNER_LEVEL_ROLES for g in self.grants)

    def has(self, role: str, *, country_iso3: str | None = None, organisation_id: int | None = None) -> bool:
        return any(
            g.role == role
            and (country_iso3 is None or g.country_iso3 == country_iso3)
            and (organisation_id is None or g.organisation_id == organisation_id)
            for g in self.grants
        )

    def countries(self, *roles: str) -> frozenset[str]:
        return frozenset(g.country_iso3 for g in self.grants if g.role in roles and g.country_iso3)

    def organisations(self, *roles: str) -> frozenset[int]:
        return frozenset(g.organisation_id for g in self.grants if g.role in roles and g.organisation_id)

    @property
    def roles(self) -> frozenset[str]:
        return frozenset(g.role for g in self.grants)


def require(allowed: bool, message: str | None = None) -> None:
    """Raise PermissionDenied unless ``allowed``."""
    if not allowed:
        raise PermissionDenied(message or _("You are not allowed to do this."))


# --- Visibility scopes (used by repositories to filter every list, count and export) -------------


@dataclass(frozen=True)
class VisibilityScope:
    """What an actor may see of records that have a country or organisation, a status and a visibility."""

    everything: bool = False
    countries: frozenset[str] = field(default_factory=frozenset)
    organisations: frozenset[int] = field(default_factory=frozenset)
    visibilities: tuple[str, ...] = (PUBLIC,)


def need_scope(actor: Actor) -> VisibilityScope:
    """Needs: the country's own people see all of them; others only published, public (or partner) ones."""
    return VisibilityScope(
        everything=actor.is_global,
        countries=actor.countries(FOCAL_POINT, COUNTERPART),
        visibilities=(PUBLIC, PARTNERS) if actor.is_partner_level else (PUBLIC,),
    )


def programme_scope(actor: Actor) -> VisibilityScope:
    """Programmes: the organisation's own people see all; others only published, public (or partner) ones."""
    return VisibilityScope(
        everything=actor.is_global,
        organisations=actor.organisations(PARTNER, PROGRAMME_OFFICER),
        visibilities=(PUBLIC, PARTNERS) if actor.is_partner_level else (PUBLIC,),
    )


def activity_scope(actor: Actor) -> VisibilityScope:
    """Assistance activities: the provider's people see all; the recipient country's people see theirs."""
    return VisibilityScope(
        everything=actor.is_global,
        organisations=actor.organisations(PARTNER, PROGRAMME_OFFICER),
        countries=actor.countries(FOCAL_POINT, COUNTERPART),
        visibilities=(PUBLIC, PARTNERS) if actor.is_partner_level else (PUBLIC,),
    )


# --- Needs ------------------------------------------------------------------------------------------


def can_create_need(actor: Actor, *, country_iso3: str) -> bool:
    return actor.is_global or bool({country_iso3} & actor.countries(FOCAL_POINT, COUNTERPART))


def can_edit_need(actor: Actor, *, country_iso3: str, status: str) -> bool:
    """Counterparts edit drafts and returned needs; the focal point until the need is matched."""
    if actor.is_global:
        return status not in {"completed", "withdrawn"}
    if actor.has(FOCAL_POINT, country_iso3=country_iso3):
        return status in {"draft", "submitted", "returned", "endorsed", "published"}
    if actor.has(COUNTERPART, country_iso3=country_iso3):
        return status in {"draft", "returned"}
    return False


# Which roles may move a need from one status to another. "country" means the need's own country.
NEED_TRANSITION_ROLES: dict[tuple[str, str], frozenset[str]] = {
    ("draft", "submitted"): frozenset({COUNTERPART, FOCAL_POINT}),
    ("returned", "submitted"): frozenset({COUNTERPART, FOCAL_POINT}),
    ("submitted", "endorsed"): frozenset({FOCAL_POINT}),
    ("submitted", "returned"): frozenset({FOCAL_POINT}),
    ("endorsed", "returned"): frozenset({FOCAL_POINT}),
    ("endorsed", "published"): frozenset({FOCAL_POINT}),
    ("published", "matched"): frozenset(),
    ("matched", "funded"): frozenset({FOCAL_POINT}),
    ("funded", "in_implementation"): frozenset({FOCAL_POINT}),
    ("in_implementation", "completed"): frozenset({FOCAL_POINT}),
    ("draft", "withdrawn"): frozenset({COUNTERPART, FOCAL_POINT}),
    ("returned", "withdrawn"): frozenset({COUNTERPART, FOCAL_POINT}),
    ("submitted", "withdrawn"): frozenset({FOCAL_POINT}),
    ("endorsed", "withdrawn"): frozenset({FOCAL_POINT}),
    ("published", "withdrawn"): frozenset({FOCAL_POINT}),
}


def can_transition_need(actor: Actor, *, country_iso3: str, source: str, target: str) -> bool:
    roles = NEED_TRANSITION_ROLES.get((source, target))
    if roles is None:
        return False
    if actor.is_global:
        return True
    return any(actor.has(role, country_iso3=country_iso3) for role in roles)


def can_rank_needs(actor: Actor, *, country_iso3: str) -> bool:
    return actor.is_global or actor.has(FOCAL_POINT, country_iso3=country_iso3)


def can_view_need(actor: Actor, *, country_iso3: str, status: str, visibility: str) -> bool:
    scope = need_scope(actor)
    if scope.everything or country_iso3 in scope.countries:
        return True
    return status in PUBLISHED_STATUSES and visibility in scope.visibilities


# --- Programmes -------------------------------------------------------------------------------------


def can_manage_programmes_of(actor: Actor, *, organisation_id: int) -> bool:
    """Create, edit, publish and close the programmes of this organisation."""
    return actor.is_global or organisation_id in actor.organisations(PARTNER, PROGRAMME_OFFICER)


def can_view_programme(actor: Actor, *, organisation_id: int, status: str, visibility: str) -> bool:
    scope = programme_scope(actor)
    if scope.everything or organisation_id in scope.organisations:
        return True
    return status in {"published", "closed"} and visibility in scope.visibilities


# --- Assistance activities --------------------------------------------------------------------------


def can_record_activity_for(actor: Actor, *, provider_organisation_id: int) -> bool:
    """Record or edit the assistance activities an organisation provides."""
    return actor.is_global or provider_organisation_id in actor.organisations(PARTNER, PROGRAMME_OFFICER)


def can_view_activity(
    actor: Actor, *, provider_organisation_id: int, country_iso3: str, visibility: str
) -> bool:
    scope = activity_scope(actor)
    if scope.everything or provider_organisation_id in scope.organisations or country_iso3 in scope.countries:
        return True
    return visibility in scope.visibilities


# --- Imports --------------------------------------------------------------------------------------


def can_import(actor: Actor, *, entity: str) -> bool:
    """Whether the actor may upload a file of needs (their country's people), or of programmes and
    activities (an organisation's people); checked before a file is read at all."""
    if actor.is_global:
        return True
    if entity == "needs":
        return bool(actor.countries(FOCAL_POINT, COUNTERPART))
    return bool(actor.organisations(PARTNER, PROGRAMME_OFFICER))


def can_import_iati(actor: Actor) -> bool:
    """Import IATI activity files (any publisher's, for every country) and confirm the organisations an
    import created: facilitators and administrators."""
    return actor.is_global


def can_export_iati(actor: Actor) -> bool:
    """Export activities as IATI XML: anyone; the export holds only what the actor may see."""
    return True


# --- Organisations, people, tokens ------------------------------------------------------------------


def can_manage_organisations(actor: Actor) -> bool:
    return actor.is_global


def can_invite(
    actor: Actor,
    *,
    role: str,
    country_iso3: str | None,
    organisation_id: int | None,
    organisation_country: str | None = None,
) -> bool:
    """Administrators invite anyone; facilitators anyone but administrators; a focal point, counterparts
    of their own country, tied to no organisation or to one of that country (``organisation_country``:
    the counterpart's ministry, hospital or institute). The organisation of an account lets it act for
    that organisation (its follow-up actions, the closed events they belong to): another country's is not
    the focal point's to give."""
    if actor.is_admin:
        return True
    if actor.has(FACILITATOR):
        return role != ADMIN
    if role == COUNTERPART and country_iso3 and actor.has(FOCAL_POINT, country_iso3=country_iso3):
        return organisation_id is None or organisation_country == country_iso3
    return False


def can_manage_roles(actor: Actor) -> bool:
    return actor.is_admin


def can_manage_own_tokens(actor: Actor, *, user_id: int) -> bool:
    return actor.user_id is not None and actor.user_id == user_id


def can_view_people(actor: Actor) -> bool:
    return actor.is_global


# --- Priority index and matching ------------------------------------------------------------------


def can_configure_priority(actor: Actor) -> bool:
    return actor.is_global


def can_run_allocation(actor: Actor) -> bool:
    return actor.is_global


def can_view_round(actor: Actor, *, decides_in_it: bool) -> bool:
    """An allocation round (its figures and proposals): facilitators, and whoever decides a proposal of it."""
    return actor.is_global or decides_in_it


@dataclass(frozen=True)
class ProposalDeciders:
    """Whose matching proposals an actor decides (and so sees): every one (``everything``), else those of
    the programmes of ``organisations`` (the donor side) and of the needs of ``countries`` (the country
    side). Repositories choose proposals by it; the checks below read the same sets."""

    everything: bool = False
    organisations: frozenset[int] = field(default_factory=frozenset)
    countries: frozenset[str] = field(default_factory=frozenset)
    # What the decider may see of the other side: a partner decides only proposals whose need they may
    # see (a need made private after the round left its title and a decision open to them), a country only
    # those whose programme it may see.
    needs_seen: VisibilityScope = field(default_factory=VisibilityScope)
    programmes_seen: VisibilityScope = field(default_factory=VisibilityScope)

    @property
    def none(self) -> bool:
        return not (self.everything or self.organisations or self.countries)


def proposal_deciders(actor: Actor) -> ProposalDeciders:
    return ProposalDeciders(
        everything=actor.is_global,
        organisations=actor.organisations(PARTNER, PROGRAMME_OFFICER),
        countries=actor.countries(FOCAL_POINT),
        needs_seen=need_scope(actor),
        programmes_seen=programme_scope(actor),
    )


def can_decide_proposal_for_programme(actor: Actor, *, organisation_id: int) -> bool:
    """Accept or decline a proposal on behalf of the offering organisation."""
    deciders = proposal_deciders(actor)
    return deciders.everything or organisation_id in deciders.organisations


def can_decide_proposal_for_country(actor: Actor, *, country_iso3: str) -> bool:
    """Accept or decline a proposal on behalf of the country that identified the need."""
    deciders = proposal_deciders(actor)
    return deciders.everything or country_iso3 in deciders.countries


@dataclass(frozen=True)
class PageOffers:
    """Which actions a page may offer this actor (the services still check each action when it is taken)."""

    run_rounds: bool
    configure_priority: bool
    publish_programmes: bool
    record_activities: bool
    invite_people: bool
    manage_roles: bool
    manage_organisations: bool
    import_needs: bool
    import_programmes: bool
    import_activities: bool
    run_jobs: bool
    rebuild_search_index: bool
    contribute_knowledge: bool
    publish_stories: bool


def page_offers(actor: Actor) -> PageOffers:
    """The buttons and links to show, decided here so that no template holds a permission rule."""
    represents_organisation = bool(actor.organisations(PARTNER, PROGRAMME_OFFICER))
    return PageOffers(
        run_rounds=can_run_allocation(actor),
        configure_priority=can_configure_priority(actor),
        publish_programmes=actor.is_global or represents_organisation,
        record_activities=actor.is_global or represents_organisation,
        invite_people=actor.is_global or bool(actor.countries(FOCAL_POINT)),
        manage_roles=can_manage_roles(actor),
        manage_organisations=can_manage_organisations(actor),
        import_needs=can_import(actor, entity="needs"),
        import_programmes=can_import(actor, entity="programmes"),
        import_activities=can_import(actor, entity="activities"),
        run_jobs=can_run_jobs(actor),
        rebuild_search_index=can_rebuild_search_index(actor),
        contribute_knowledge=can_contribute_knowledge(actor),
        publish_stories=can_edit_knowledge(actor),
    )


# --- Dialogue events --------------------------------------------------------------------------------


def can_run_events(actor: Actor) -> bool:
    """Create and edit events, their agenda, targets and lists; allocate the fund; record outcomes."""
    return actor.is_global


def can_view_event(
    actor: Actor, *, is_public: bool, focus_countries: frozenset[str], takes_part: bool
) -> bool:
    """Public events are for everyone; a closed event for facilitators, its participants and the focal
    points and counterparts of the countries it focuses on."""
    if is_public or actor.is_global or takes_part:
        return True
    return bool(focus_countries & actor.countries(FOCAL_POINT, COUNTERPART))


@dataclass(frozen=True)
class TakingPart:
    """Who an actor is in the events they take part in (``takes_part`` of can_view_event), and so may see
    though they are closed: the person on a list (``user_id``); the owner of a follow-up action, in person
    or through their organisation (who report progress on it: can_update_action); the focal point of
    someone on a list (``nominating_countries``: who nominates, endorses or declines them,
    can_move_participant). Each is shown the event's title in their lists and inbox and acts on its
    records, so the event itself must answer them too. Repositories find the events by it."""

    user_id: int | None = None
    organisation_id: int | None = None
    nominating_countries: frozenset[str] = field(default_factory=frozenset)

    @property
    def none(self) -> bool:
        return self.user_id is None and self.organisation_id is None and not self.nominating_countries


def taking_part(actor: Actor) -> TakingPart:
    """The ways the actor takes part in events (none for someone not signed in)."""
    if not actor.is_authenticated:
        return TakingPart()
    return TakingPart(
        user_id=actor.user_id,
        organisation_id=actor.organisation_id,
        nominating_countries=actor.countries(FOCAL_POINT),
    )


def account_countries(*, role_countries: frozenset[str], organisation_country: str | None) -> frozenset[str]:
    """The countries an account belongs to: those its roles are scoped to (a focal point's, a
    counterpart's), else its organisation's; none for an account tied to no country."""
    if role_countries:
        return role_countries
    return frozenset({organisation_country}) if organisation_country else frozenset()


def can_name_account(
    actor: Actor, *, role_countries: frozenset[str], organisation_country: str | None
) -> bool:
    """Name an existing account (by its number or email) for an event's list: facilitators any; a focal
    point only an account of their own countries (account_countries). Another country's account is
    refused in the words of a missing one, so the nominator learns neither who has an account nor another
    country's person's details."""
    countries = nominable_countries(actor)
    if countries is None:
        return True
    home = account_countries(role_countries=role_countries, organisation_country=organisation_country)
    return bool(home & countries)


def can_see_participant_details(actor: Actor, *, country_iso3: str | None, user_id: int | None) -> bool:
    """Email, gender, status history and travel of a participant: facilitators, the person, and the
    focal point of the person's country (who nominates them)."""
    if actor.is_global or (user_id is not None and actor.user_id == user_id):
        return True
    return country_iso3 is not None and actor.has(FOCAL_POINT, country_iso3=country_iso3)


def nominable_countries(actor: Actor) -> frozenset[str] | None:
    """The countries whose people the actor may put on an event's list; None means any country."""
    return None if actor.is_global else actor.countries(FOCAL_POINT)


def can_see_every_action(actor: Actor) -> bool:
    """The dashboard of all follow-up actions is the facilitators'; others see the ones they own."""
    return actor.is_global


def can_nominate_for(actor: Actor, *, country_iso3: str | None) -> bool:
    """Put someone of a country on an event's list: facilitators, and that country's focal point."""
    return actor.is_global or (country_iso3 is not None and actor.has(FOCAL_POINT, country_iso3=country_iso3))


# Who may move a participant along the chain. "focal_point" is the focal point of the participant's
# country; "self" the participant. Recipients reach "confirmed" only through nomination and endorsement.
PARTICIPANT_MOVE_ROLES: dict[tuple[str, str], frozenset[str]] = {
    ("invited", "nominated"): frozenset({"focal_point"}),
    ("invited", "endorsed"): frozenset({"focal_point"}),
    ("nominated", "endorsed"): frozenset({"focal_point"}),
    ("invited", "confirmed"): frozenset(),  # partners only; the service refuses it for recipients
    ("endorsed", "confirmed"): frozenset(),
    ("confirmed", "attended"): frozenset(),
    ("confirmed", "no_show"): frozenset(),
    ("invited", "declined"): frozenset({"focal_point", "self"}),
    ("nominated", "declined"): frozenset({"focal_point", "self"}),
    ("endorsed", "declined"): frozenset({"focal_point", "self"}),
    ("confirmed", "declined"): frozenset({"focal_point", "self"}),
    ("declined", "invited"): frozenset(),
    ("no_show", "attended"): frozenset(),
    ("attended", "no_show"): frozenset(),
}


def can_move_participant(
    actor: Actor, *, source: str, target: str, country_iso3: str | None, user_id: int | None
) -> bool:
    roles = PARTICIPANT_MOVE_ROLES.get((source, target))
    if roles is None:
        return False
    if actor.is_global:
        return True
    if "focal_point" in roles and country_iso3 and actor.has(FOCAL_POINT, country_iso3=country_iso3):
        return True
    return "self" in roles and user_id is not None and actor.user_id == user_id


# The moves a person on a list may make on themselves besides declining: saying they will come once invited
# (or once their focal point endorsed them). Apart from PARTICIPANT_MOVE_ROLES, which facilitators pass
# whatever the event's state: a self-confirmation is also bound to the event's registration being open.
SELF_CONFIRMATIONS = frozenset({("invited", "confirmed"), ("endorsed", "confirmed")})


def can_confirm_self(actor: Actor, *, source: str, target: str, participant_user_id: int | None) -> bool:
    """A person confirms their own place on an event's list."""
    return (
        (source, target) in SELF_CONFIRMATIONS
        and actor.user_id is not None
        and participant_user_id == actor.user_id
    )


def can_register_for_event(actor: Actor) -> bool:
    """Any signed-in person may put themselves on the list of an event they may see (it commits them to
    nothing)."""
    return actor.user_id is not None


def can_apply_for_travel(actor: Actor, *, participant_user_id: int | None) -> bool:
    """A participant applies (and edits the application) for themselves; facilitators for anyone."""
    return actor.is_global or (participant_user_id is not None and actor.user_id == participant_user_id)


def can_refine_concept_note(actor: Actor, *, country_iso3: str) -> bool:
    """The country's counterparts and focal point shape a concept note and turn it into a need."""
    return actor.is_global or bool({country_iso3} & actor.countries(FOCAL_POINT, COUNTERPART))


def can_update_action(actor: Actor, *, owner_user_id: int | None, owner_organisation_id: int | None) -> bool:
    """Progress on an action: facilitators, its owner, and the people of the owning organisation."""
    if actor.is_global:
        return True
    if owner_user_id is not None and actor.user_id == owner_user_id:
        return True
    return owner_organisation_id is not None and actor.organisation_id == owner_organisation_id


# --- Knowledge: techniques content, evidence, stories, myths, translations ------------------------------


def can_edit_knowledge(actor: Actor) -> bool:
    """Write technique content, evidence entries, success stories and myths: editors and facilitators."""
    return actor.is_global or actor.has(EDITOR)


def _wrote(actor: Actor, author_id: int | None) -> bool:
    return author_id is not None and actor.user_id == author_id


def can_contribute_knowledge(actor: Actor) -> bool:
    """Add evidence entries and write story drafts: editors, facilitators, and experts, who come to share
    what they know (an expert's entry counts once a reviewer has checked it, an expert's story once a
    reviewer has reviewed and so published it)."""
    return can_edit_knowledge(actor) or actor.has(EXPERT)


def can_edit_evidence(actor: Actor, *, author_id: int | None, checked: bool) -> bool:
    """Edit an evidence entry: editors and facilitators, any; an expert, one they added, until a reviewer
    has checked it."""
    return can_edit_knowledge(actor) or (actor.has(EXPERT) and _wrote(actor, author_id) and not checked)


def can_edit_story(actor: Actor, *, author_id: int | None, published: bool) -> bool:
    """Edit a success story: editors and facilitators, any; an expert, their own draft, until it is
    published."""
    return can_edit_knowledge(actor) or (actor.has(EXPERT) and _wrote(actor, author_id) and not published)


def can_view_story_draft(actor: Actor, *, author_id: int | None) -> bool:
    """A story draft: those who see every draft, and whoever wrote it."""
    return can_view_unpublished_knowledge(actor) or _wrote(actor, author_id)


def can_publish_story(actor: Actor, *, author_id: int | None) -> bool:
    """Publish a story draft without a review: editors and facilitators, for a story they wrote themselves
    (or one loaded without an author). Publishing one's own story is no review of it; a draft written by
    someone else is published by a reviewer's review."""
    return can_edit_knowledge(actor) and (author_id is None or _wrote(actor, author_id))


def can_review_knowledge(actor: Actor, *, wrote_it: bool) -> bool:
    """Review a success story or a myth, which publishes it and records when: reviewers and facilitators,
    never someone who wrote it (a review is a second person's reading)."""
    return (actor.is_global or actor.has(REVIEWER)) and not wrote_it


def can_check_evidence(actor: Actor, *, author_id: int | None) -> bool:
    """Check or dispute an evidence entry: reviewers and facilitators, never the entry's own author (a check
    is a second person's reading of the source)."""
    if not (actor.is_global or actor.has(REVIEWER)):
        return False
    return author_id is None or actor.user_id != author_id


def can_review_translations(actor: Actor) -> bool:
    """Mark translations of knowledge content as reviewed: reviewers and facilitators (each one but those
    they wrote, ``can_review_translation``)."""
    return actor.is_global or actor.has(REVIEWER)


def can_review_translation(actor: Actor, *, written_by_id: int | None) -> bool:
    """Mark one translation reviewed: reviewers and facilitators, never the one who wrote or last changed
    its text (a review is a second person's reading). A text the system wrote (the seed's, the demo's) has
    no writer: any reviewer reviews it."""
    return can_review_translations(actor) and (written_by_id is None or actor.user_id != written_by_id)


def can_view_unpublished_knowledge(actor: Actor) -> bool:
    """Story drafts and unpublished myths: editors, facilitators, and the reviewers who review them before
    they are published (the public reads the published)."""
    return can_edit_knowledge(actor) or actor.has(REVIEWER)


@dataclass(frozen=True)
class KnowledgeWork:
    """The knowledge records that wait for an actor (the inbox lists and counts them by it): the evidence
    entries to check and the translations to review (each one but those they wrote: can_check_evidence,
    can_review_translation), and the disputed entries to correct (can_edit_evidence): every author's, or
    only those ``disputed_author_id`` added."""

    checks_evidence: bool = False
    # Every reviewer of translations also sees the drafts of stories and myths
    # (can_view_unpublished_knowledge), so listing a draft's translation shows them nothing hidden.
    reviews_translations: bool = False
    corrects_disputed: bool = False
    disputed_author_id: int | None = None  # None: any author's (editors and facilitators correct any)

    @property
    def reviews(self) -> bool:
        return self.checks_evidence or self.reviews_translations


def knowledge_work(actor: Actor) -> KnowledgeWork:
    """What knowledge work waits for ``actor``: an expert corrects only the disputed entries they added."""
    corrects_any = can_edit_knowledge(actor)
    own_id = actor.user_id
    corrects_own = (
        not corrects_any and own_id is not None and can_edit_evidence(actor, author_id=own_id, checked=False)
    )
    return KnowledgeWork(
        checks_evidence=can_check_evidence(actor, author_id=None),
        reviews_translations=can_review_translations(actor),
        corrects_disputed=corrects_any or corrects_own,
        disputed_author_id=own_id if corrects_own else None,
    )


def can_start_story_from_need(actor: Actor) -> bool:
    """Turn a completed need into a success-story draft: facilitators and editors."""
    return can_edit_knowledge(actor)


# --- Search ---------------------------------------------------------------------------------------


def can_run_jobs(actor: Actor) -> bool:
    """Queue long work for everyone's benefit (briefs of every country) and see every job and how it went:
    facilitators and administrators."""
    return actor.is_global


def can_view_job(actor: Actor, *, requested_by_id: int | None) -> bool:
    """A job's page: facilitators and administrators, and whoever asked for it."""
    return actor.is_global or (actor.user_id is not None and actor.user_id == requested_by_id)


def can_rebuild_search_index(actor: Actor) -> bool:
    return actor.is_admin


def can_verify_audit(actor: Actor) -> bool:
    """Check the audit trail's hash chain: administrators (and the command line's system actor)."""
    return actor.is_admin


def can_back_up(actor: Actor) -> bool:
    """Make and restore backups of the whole database: administrators (and the command line)."""
    return actor.is_admin


# --- Briefs ---------------------------------------------------------------------------------------


def can_read_brief(actor: Actor) -> bool:
    """Country, regional and partner briefs are for everyone: what each one shows is decided by the need,
    programme, activity and event scopes above, so a reader only ever gets what those let them see."""
    return True


# --- Gaps: interest in unfunded needs -------------------------------------------------------------


def interest_organisations(actor: Actor) -> frozenset[int]:
    """The organisations on whose behalf the actor may mark interest in a need (its partners and
    programme officers speak for it)."""
    return actor.organisations(PARTNER, PROGRAMME_OFFICER)


def can_mark_interest(actor: Actor, *, organisation_id: int) -> bool:
    """Mark (or withdraw) an organisation's interest in a need the actor may see: the organisation's
    partners and programme officers, and facilitators on its behalf."""
    return actor.is_global or organisation_id in interest_organisations(actor)


def can_view_interests(actor: Actor, *, country_iso3: str, organisation_id: int) -> bool:
    """Who sees a mark of interest: the need's country (focal point, counterparts), the interested
    organisation's people and facilitators; the public never does (it is a conversation, not a pledge)."""
    # Those who may count a country's marks see each of them; an organisation's people see their own.
    own = organisation_id in interest_organisations(actor)
    return own or can_count_interests(actor, country_iso3=country_iso3)


def can_see_national_ranks(actor: Actor, *, country_iso3: str) -> bool:
    """Be told the ranks a country gave its needs as it gave them: its own people and the facilitators, who
    see every one of its ranked needs. Others are told the order among the needs they may see (the
    country's numbers would show gaps where private needs are ranked)."""
    scope = need_scope(actor)
    return scope.everything or country_iso3 in scope.countries


def can_count_interests(actor: Actor, *, country_iso3: str) -> bool:
    """Be told how many partners marked interest in a need of this country: only those who see every one of
    its marks (the need's country and facilitators). A partner sees its own mark, never others' (nor,
    through a count, that there are any); the public sees none at all."""
    return actor.is_global or country_iso3 in actor.countries(FOCAL_POINT, COUNTERPART)


def can_acknowledge_interest(actor: Actor, *, country_iso3: str) -> bool:
    """Acknowledge a mark of interest (it leaves the inbox): the need's focal point, and facilitators."""
    return actor.is_global or actor.has(FOCAL_POINT, country_iso3=country_iso3)
