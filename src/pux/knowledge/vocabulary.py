"""The knowledge package's words, named once: statuses, study methods, criteria, prerequisite kinds,
relations, and the labels people read for each."""

from __future__ import annotations

from typing import Literal, get_args

from pux.i18n import gettext as _

REPORTED, CHECKED, DISPUTED = "reported", "checked", "disputed"
EVIDENCE_STATUSES = (REPORTED, CHECKED, DISPUTED)
# How the figure of an evidence entry was obtained: a reader weighs "benefit-cost ratio 3.2" differently
# from a trial and from an expert's estimate. An entry whose source does not say has none (not stated).
StudyMethod = Literal[
    "randomised_trial",
    "observational_study",
    "modelling_study",
    "programme_evaluation",
    "systematic_review",
    "expert_opinion",
]
RANDOMISED_TRIAL: StudyMethod = "randomised_trial"
OBSERVATIONAL_STUDY: StudyMethod = "observational_study"
MODELLING_STUDY: StudyMethod = "modelling_study"
PROGRAMME_EVALUATION: StudyMethod = "programme_evaluation"
SYSTEMATIC_REVIEW: StudyMethod = "systematic_review"
EXPERT_OPINION: StudyMethod = "expert_opinion"
STUDY_METHODS: tuple[str, ...] = get_args(StudyMethod)
# The ledger's filter for the entries whose method is not stated (editors look for them to fill it in).
METHOD_NOT_STATED = "not_stated"
METHOD_FILTERS = (*STUDY_METHODS, METHOD_NOT_STATED)
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


def study_method_label(code: str) -> str:
    labels: dict[str, str] = {
        RANDOMISED_TRIAL: _("Randomised controlled trial"),
        OBSERVATIONAL_STUDY: _("Observational study"),
        MODELLING_STUDY: _("Modelling or costing study"),
        PROGRAMME_EVALUATION: _("Programme evaluation or report"),
        SYSTEMATIC_REVIEW: _("Systematic review"),
        EXPERT_OPINION: _("Expert opinion"),
        METHOD_NOT_STATED: _("Not stated"),
    }
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
