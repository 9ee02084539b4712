"""The name of each form and file field as people read it, in their language.

Problems are reported by field name (``title``, ``sdg_target_codes``); pages and imports show this
label beside it, so a French reader sees « Titre » rather than a column name. A field with no label
here is shown by its name (import columns are documented by name on the import page).
"""

from __future__ import annotations

from collections.abc import Callable

from pux.i18n import gettext as _

_LABELS: dict[str, Callable[[], str]] = {
    "acronym": lambda: _("Acronym"),
    "amount_committed": lambda: _("Amount committed"),
    "amount_disbursed": lambda: _("Amount disbursed"),
    "beneficiaries_count": lambda: _("Number of people who benefit"),
    "beneficiaries_women_share": lambda: _("Share of women and girls (%%)").replace("%%", "%"),
    "beneficiary_description": lambda: _("Who benefits"),
    "cofinancing_amount": lambda: _("Co-financing offered by the country"),
    "cofinancing_note": lambda: _("Co-financing details"),
    "comment": lambda: _("Comment"),
    "configuration": lambda: _("Indicators, directions and weights (JSON)"),
    "country_cap_percent": lambda: _("Cap on any one country's share of the round (%%)").replace("%%", "%"),
    "country_iso3": lambda: _("Country"),
    "cpf_priority": lambda: _("Country Programme Framework priority"),
    "currency": lambda: _("Currency (ISO 4217)"),
    "dac_sector_codes": lambda: _("DAC sector codes (5 digits, separated by commas)"),
    "description": lambda: _("Description"),
    "eligible_country_codes": lambda: _("Countries"),
    "eligible_groups": lambda: _("Country groups"),
    "eligible_income_groups": lambda: _("Income groups"),
    "eligible_region_codes": lambda: _("Regions"),
    "email": lambda: _("Email address"),
    "end_date": lambda: _("End"),
    "estimated_cost": lambda: _("Estimated cost"),
    "external_id": lambda: _("External identifier (e.g. IATI activity identifier)"),
    "file": lambda: _("File"),
    "full_name": lambda: _("Full name"),
    "gender": lambda: _("Gender (used only to balance dialogue invitations)"),
    "gender_dimension": lambda: _("Gender dimension"),
    "gender_focus": lambda: _("Gives priority to women and girls"),
    "horizon": lambda: _("Horizon"),
    "iati_identifier": lambda: _("IATI organisation identifier"),
    "id": lambda: _("Number"),
    "implementer": lambda: _("Implementing organisation"),
    "infrastructure": lambda: _("Infrastructure"),
    "ldc_floor_percent": lambda: _("Floor for least developed countries (%%, optional)").replace("%%", "%"),
    "max_per_need": lambda: _("Maximum per need"),
    "modalities_wanted": lambda: _("Support wanted"),
    "modality": lambda: _("Modality"),
    "name": lambda: _("Name"),
    "national_plan_reference": lambda: _("National development plan reference"),
    "need_id": lambda: _("Need number (optional)"),
    "order": lambda: _("Order"),
    "organisation_id": lambda: _("Organisation"),
    "organisation_type": lambda: _("Type"),
    "password": lambda: _("Password"),
    "programme_id": lambda: _("Programme number (optional)"),
    "provider_organisation_id": lambda: _("Provider"),
    "reason": lambda: _("Reason"),
    "recipient_country_iso3": lambda: _("Recipient country"),
    "regulatory_body": lambda: _("Regulatory body"),
    "remaining_budget": lambda: _("Remaining capacity"),
    "role": lambda: _("Role"),
    "sdg_codes": lambda: _("SDG goals or targets (separated by commas)"),
    "sdg_target_codes": lambda: _("SDG targets"),
    "start_date": lambda: _("Start"),
    "status": lambda: _("Status"),
    "tc_project_code": lambda: _("Technical Cooperation project code"),
    "technique_code": lambda: _("Technique"),
    "technique_codes": lambda: _("Nuclear techniques"),
    "thematic_area_code": lambda: _("Thematic area"),
    "thematic_area_codes": lambda: _("Thematic areas"),
    "title": lambda: _("Title"),
    "total_budget": lambda: _("Total budget"),
    "trained_staff": lambda: _("Trained staff"),
    "unfunded_footnote_a": lambda: _("Unfunded (footnote-a/) project"),
    "version": lambda: _("Version"),
    "visibility": lambda: _("Visible to"),
    "vulnerable_groups": lambda: _("Vulnerable groups reached"),
    "website": lambda: _("Website"),
    "window_end": lambda: _("Open until"),
    "window_start": lambda: _("Open from"),
    "working_languages": lambda: _("Working languages"),
}


def field_label(name: str) -> str:
    """The translated label of a field, or its name when it has none."""
    if name.startswith("rank-"):  # the place of one need on the national ranking form
        return _("Place")
    label = _LABELS.get(name)
    return label() if label else name
