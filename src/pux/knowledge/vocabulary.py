"""The knowledge package's words, named once: statuses, criteria, prerequisite kinds, relations, and the
labels people read for each."""

from __future__ import annotations

from pux.i18n import gettext as _

REPORTED, CHECKED, DISPUTED = "reported", "checked", "disputed"
EVIDENCE_STATUSES = (REPORTED, CHECKED, DISPUTED)
DRAFT, PUBLISHED = "draft", "published"
STORY_STATUSES = (DRAFT, PUBLISHED)
MACHINE_DRAFT, REVIEWED = "machine_draft", "reviewed"
TRANSLATION_STATUSES = (MACHINE_DRAFT, REVIEWED)
CRITERIA = ("cost", "time", "accuracy", "environment", "prerequisites")
PREREQUISITE_KINDS = (
    "regulatory_body",
    "radiation_protection",
    "infrastructure",
    "trained_staff",
    "running_costs",
)
INSTEAD_OF, ALONGSIDE = "instead_of", "alongside"
RELATIONS = (INSTEAD_OF, ALONGSIDE)
# The kinds of record whose texts are translated (KnowledgeTranslation.entity_type).
TECHNIQUE, PREREQUISITE, ALTERNATIVE, COMPARISON = "technique", "prerequisite", "alternative", "comparison"
EVIDENCE, STORY, MYTH = "evidence", "story", "myth"
# The text fields of each kind that are written in one language and translated into the others.
TRANSLATED_FIELDS: dict[str, tuple[str, ...]] = {
    TECHNIQUE: ("summary",),
    PREREQUISITE: ("text",),
    ALTERNATIVE: ("name",),
    COMPARISON: ("technique_text", "alternative_text"),
    EVIDENCE: ("claim",),
    STORY: ("title", "body"),
    MYTH: ("claim", "finding"),
}


def evidence_status_label(code: str) -> str:
    labels = {REPORTED: _("Reported (as published)"), CHECKED: _("Checked"), DISPUTED: _("Disputed")}
    return labels.get(code, code)


def story_status_label(code: str) -> str:
    return {DRAFT: _("Draft"), PUBLISHED: _("Published")}.get(code, code)


def translation_status_label(code: str) -> str:
    labels = {MACHINE_DRAFT: _("Machine-assisted draft"), REVIEWED: _("Reviewed translation")}
    return labels.get(code, code)


def criterion_label(code: str) -> str:
    labels = {
        "cost": _("Cost"),
        "time": _("Time"),
        "accuracy": _("Accuracy"),
        "environment": _("Environmental effect"),
        "prerequisites": _("Prerequisites"),
    }
    return labels.get(code, code)


def prerequisite_kind_label(code: str) -> str:
    labels = {
        "regulatory_body": _("Regulatory body"),
        "radiation_protection": _("Radiation protection"),
        "infrastructure": _("Infrastructure"),
        "trained_staff": _("Trained staff"),
        "running_costs": _("Running costs"),
    }
    return labels.get(code, code)


def relation_label(code: str) -> str:
    return {INSTEAD_OF: _("Used instead of it"), ALONGSIDE: _("Used alongside it")}.get(code, code)
