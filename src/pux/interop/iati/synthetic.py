"""Synthetic, schema-valid IATI 2.03 activity files for tests, benchmarks and demonstrations.

Nothing here is real data: publishers, identifiers and figures are made up (prefix "XX-SYN").
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from pux.interop.iati.records import (
    COUNTRY,
    SECTOR,
    ActivityRecord,
    Narrative,
    OrganisationRef,
    RelatedActivity,
    Split,
    Transaction,
)
from pux.interop.iati.writer import write_activities

FUNDER_REF = "XX-SYN-FUNDER"
IMPLEMENTER_REF = "XX-SYN-IMPLEMENTER"
LAST_UPDATED = datetime(2025, 6, 1, 12, 0, tzinfo=UTC)

# (DAC purpose code, English, French, Spanish title words) of relevant and of unrelated activities.
RELEVANT_TOPICS = (
    (
        "12191",
        "Radiotherapy services for cancer patients",
        "Radiothérapie pour les patients atteints de cancer",
        "Radioterapia para pacientes con cáncer",
    ),
    (
        "31192",
        "Sterile insect technique against fruit flies",
        "Technique de l'insecte stérile contre les mouches des fruits",
        "Técnica del insecto estéril contra la mosca de la fruta",
    ),
    (
        "14010",
        "Isotope hydrology for groundwater management",
        "Hydrologie isotopique pour la gestion des eaux souterraines",
        "Hidrología isotópica para la gestión de aguas subterráneas",
    ),
    (
        "23510",
        "Strengthening the nuclear safety regulator",
        "Renforcer l'autorité de sûreté nucléaire",
        "Fortalecer el regulador de seguridad nuclear",
    ),
)
UNRELATED_TOPICS = (
    ("11120", "Primary school buildings", "Bâtiments d'écoles primaires", "Edificios de escuelas primarias"),
    ("21020", "Rural road maintenance", "Entretien des routes rurales", "Mantenimiento de caminos rurales"),
)
COUNTRIES = ("KE", "UG", "TZ", "GH", "SN", "PE", "VN", "JO")


def activity(
    number: int,
    *,
    relevant: bool = True,
    country: str = "KE",
    reporting_ref: str = FUNDER_REF,
    funder_ref: str = FUNDER_REF,
    identifier: str | None = None,
    last_updated: datetime = LAST_UPDATED,
    commitment: Decimal = Decimal("250000"),
    currency: str = "USD",
    seed: int | None = None,
) -> ActivityRecord:
    """One activity with a commitment, a disbursement and an expenditure (the last with its own
    sector and country, as transaction-level splits), two sectors and three languages."""
    rng = random.Random(number if seed is None else seed)
    topics = RELEVANT_TOPICS if relevant else UNRELATED_TOPICS
    sector, english, french, spanish = topics[number % len(topics)]
    start = date(2022, 1, 1) + timedelta(days=rng.randrange(0, 700))
    disbursed = (commitment * Decimal(rng.randrange(20, 90)) / 100).quantize(Decimal("0.01"))
    spent = (disbursed / 2).quantize(Decimal("0.01"))
    identifier = identifier or f"{reporting_ref}-{number:07d}"
    funder = OrganisationRef(
        ref=funder_ref, type="10", names=(Narrative("en", "Synthetic Funding Agency"),), role="1"
    )
    implementer = OrganisationRef(
        ref=IMPLEMENTER_REF, type="80", names=(Narrative("en", "Synthetic University Hospital"),), role="4"
    )
    return ActivityRecord(
        identifier=identifier,
        last_updated=last_updated,
        default_currency=currency,
        default_language="en",
        reporting_org=OrganisationRef(
            ref=reporting_ref, type="10", names=(Narrative("en", f"Publisher {reporting_ref}"),)
        ),
        titles=(Narrative("en", f"{english} ({number})"), Narrative("fr", french), Narrative("es", spanish)),
        descriptions=(
            ("1", Narrative("en", f"{english}: equipment, training and follow-up. Activity {number}.")),
            ("1", Narrative("fr", f"{french} : équipement, formation et suivi.")),
        ),
        participating_orgs=(funder, implementer),
        status="2",
        dates={"1": start, "3": start + timedelta(days=3 * 365)},
        splits=(
            Split(COUNTRY, "1", country, Decimal(100)),
            Split(SECTOR, "1", sector, Decimal(70)),
            Split(SECTOR, "1", "43082" if relevant else "11110", Decimal(30)),
        ),
        transactions=(
            Transaction("2", start, commitment, None, start, receiver=implementer_ref(implementer)),
            Transaction("3", start + timedelta(days=30), disbursed, None, start + timedelta(days=30)),
            Transaction(
                "4",
                start + timedelta(days=90),
                spent,
                None,
                start + timedelta(days=90),
                splits=(Split(SECTOR, "1", sector), Split(COUNTRY, "1", country)),
            ),
        ),
    )


def implementer_ref(implementer: OrganisationRef) -> OrganisationRef:
    return OrganisationRef(ref=implementer.ref, type=implementer.type, names=implementer.names)


def funder_and_implementer(number: int) -> tuple[ActivityRecord, ActivityRecord]:
    """The same money reported twice: by its funder (commitment to the implementer's activity) and by
    the implementer (incoming funds from the funder's activity)."""
    funder = activity(number, reporting_ref=FUNDER_REF)
    implementer_id = f"{IMPLEMENTER_REF}-{number:07d}"
    receiver = OrganisationRef(ref=IMPLEMENTER_REF, type="80", activity_id=implementer_id)
    funder = replace(
        funder,
        transactions=(replace(funder.transactions[0], receiver=receiver), *funder.transactions[1:]),
    )
    provider = OrganisationRef(ref=FUNDER_REF, type="10", activity_id=funder.identifier)
    base = activity(number, reporting_ref=IMPLEMENTER_REF, identifier=implementer_id)
    implementer = replace(
        base,
        transactions=(
            Transaction(
                "1",
                base.transactions[0].date,
                Decimal("250000"),
                None,
                base.transactions[0].date,
                provider=provider,
            ),
            Transaction("2", base.transactions[0].date, Decimal("250000"), None, base.transactions[0].date),
            base.transactions[2],
        ),
        related=(RelatedActivity(funder.identifier, "1"),),
    )
    return funder, implementer


def activities(
    count: int, *, relevant_share: float = 0.8, seed: int = 7, reporting_ref: str = FUNDER_REF
) -> Iterator[ActivityRecord]:
    """``count`` activities in eight countries, about ``relevant_share`` of them relevant to PUX."""
    rng = random.Random(seed)
    for number in range(count):
        yield activity(
            number,
            relevant=rng.random() < relevant_share,
            country=COUNTRIES[number % len(COUNTRIES)],
            commitment=Decimal(rng.randrange(10_000, 5_000_000)),
            reporting_ref=reporting_ref,
            funder_ref=reporting_ref,
        )


def write_file(path: Path, records: Iterator[ActivityRecord] | list[ActivityRecord]) -> Path:
    with path.open("wb") as handle:
        write_activities(handle, records, generated_at=datetime(2025, 6, 2, 8, 0, tzinfo=UTC))
    return path
