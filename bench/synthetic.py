"""Synthetic matching instances at any size, with a fixed seed (shaped like the demo, scaled up)."""

from __future__ import annotations

import numpy as np

from pux.matching.engine import NeedItem, ProgrammeItem

AREAS = ("health", "food", "water", "energy", "industry", "safety")
TECHNIQUES = {
    "health": ("radiotherapy", "brachytherapy", "nuclear_medicine", "medical_physics"),
    "food": ("sterile_insect", "mutation_breeding", "food_irradiation", "soil_water_isotopes"),
    "water": ("isotope_hydrology", "marine_isotopes"),
    "energy": ("energy_planning", "nuclear_power_programme"),
    "industry": ("non_destructive_testing", "radiation_processing"),
    "safety": ("regulatory_infrastructure", "radiation_protection", "radioactive_waste"),
}
TARGETS = {
    "health": ("3.4", "3.8", "3.c"),
    "food": ("2.1", "2.3", "2.4"),
    "water": ("6.4", "6.5", "14.1"),
    "energy": ("7.1", "7.2"),
    "industry": ("9.1", "9.4"),
    "safety": ("16.6", "3.9"),
}
MODALITIES = ("expert_mission", "training", "equipment", "funding", "feasibility_study", "twinning")
LANGUAGES = ("en", "fr", "es", "ar", "ru", "zh")
INCOME = ("LIC", "LMC", "UMC")


def generate(
    needs: int, programmes: int, seed: int = 2026, countries: int = 130, divisible_share: float = 1.0
) -> tuple[list[NeedItem], list[ProgrammeItem]]:
    """``divisible_share`` of programmes offer split money (funding); the rest are all-or-nothing offers."""
    rng = np.random.default_rng(seed)
    country_codes = [f"C{index:03d}" for index in range(countries)]
    country_income = {c: INCOME[rng.integers(0, 3)] for c in country_codes}
    country_groups = {
        c: frozenset(g for g, p in (("LDC", 0.3), ("LLDC", 0.15), ("SIDS", 0.15)) if rng.random() < p)
        for c in country_codes
    }
    country_region = {c: f"R{rng.integers(0, 5)}" for c in country_codes}
    country_languages = {c: frozenset({"en", LANGUAGES[rng.integers(0, 6)]}) for c in country_codes}
    country_priority = {c: float(rng.uniform(20, 90)) for c in country_codes}
    need_items = []
    for index in range(needs):
        country = country_codes[int(rng.integers(0, countries))]
        area = AREAS[int(rng.integers(0, len(AREAS)))]
        need_items.append(
            NeedItem(
                id=index + 1,
                country=country,
                regions=frozenset({country_region[country]}),
                income_group=country_income[country],
                groups=country_groups[country],
                area=area,
                techniques=frozenset(
                    rng.choice(TECHNIQUES[area], size=int(rng.integers(1, 3)), replace=False)
                ),
                targets=frozenset(rng.choice(TARGETS[area], size=int(rng.integers(1, 3)), replace=False)),
                modalities=frozenset(rng.choice(MODALITIES, size=3, replace=False)),
                readiness={
                    "regulatory_body": str(rng.choice(["ready", "partial", "none"])),
                    "infrastructure": str(rng.choice(["ready", "partial", "none"])),
                    "trained_staff": None,
                },
                languages=country_languages[country],
                cost=float(rng.choice([50_000, 100_000, 250_000, 500_000, 1_000_000, 2_500_000])),
                currency="USD",
                women_focus=bool(rng.random() < 0.3),
                priority=country_priority[country],
                status="published",
            )
        )
    programme_items = []
    for index in range(programmes):
        area = AREAS[int(rng.integers(0, len(AREAS)))]
        divisible = bool(rng.random() < divisible_share)
        modality = "funding" if divisible else str(rng.choice(["equipment", "expert_mission", "training"]))
        budget = float(rng.choice([500_000, 1_000_000, 2_500_000, 5_000_000]))
        restriction = rng.random()
        programme_items.append(
            ProgrammeItem(
                id=index + 1,
                organisation=f"O{index % 400}",
                modality=modality,
                areas=frozenset({area}),
                techniques=frozenset(rng.choice(TECHNIQUES[area], size=1)),
                targets=frozenset(rng.choice(TARGETS[area], size=1)),
                countries=frozenset(),
                regions=frozenset({f"R{rng.integers(0, 5)}"}) if restriction < 0.2 else frozenset(),
                income_groups=frozenset({"LIC", "LMC"}) if 0.2 <= restriction < 0.5 else frozenset(),
                groups=frozenset({"LDC"}) if 0.5 <= restriction < 0.6 else frozenset(),
                remaining=budget,
                max_per_need=budget / float(rng.choice([4, 8, 10])),
                currency="USD",
                window_end=None,
                languages=frozenset(rng.choice(LANGUAGES, size=2, replace=False)),
                gender_focus=bool(rng.random() < 0.25),
                divisible=divisible,
            )
        )
    return need_items, programme_items
