"""Which activities are relevant: DAC sectors, PUX's technique vocabulary, keywords in any of the six
languages, and a rules file a facilitator can change (a broken one is refused clearly)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from pux.interop.iati import relevance, synthetic
from pux.interop.iati.records import SECTOR, Narrative, Split
from pux.interop.iati.relevance import RulesFileError, TechniqueTerms

URI = "http://pux.test/techniques"
TECHNIQUES = [
    TechniqueTerms("radiotherapy", "health", ("External beam radiotherapy", "Radiothérapie externe")),
    TechniqueTerms("isotope_hydrology", "water", ("Isotope hydrology", "Hydrologie isotopique")),
]


def _rules(path: Path | None = None) -> relevance.RelevanceRules:
    return relevance.load_rules(path).with_techniques(TECHNIQUES, URI)


def _about(title: str, sector: str = "12191") -> object:
    base = synthetic.activity(1, relevant=False)
    return replace(
        base,
        titles=(Narrative("", title),),
        descriptions=(),
        splits=(base.splits[0], Split(SECTOR, "1", sector, None)),
        transactions=(),
    )


@pytest.mark.parametrize(
    ("title", "technique"),
    [
        ("Soutien à la radiothérapie au Sénégal", "radiotherapy"),
        ("Apoyo a la radioterapia en el Perú", "radiotherapy"),
        ("دعم العلاج الإشعاعي في الأردن", "radiotherapy"),
        ("支持越南的放射治疗服务", "radiotherapy"),
        ("Поддержка лучевой терапии", None),
        ("Laboratoire d'isotopes pour l'eau", None),
    ],
)
def test_keywords_in_every_language_make_an_activity_relevant(title: str, technique: str | None) -> None:
    found = relevance.assess(_about(title), _rules())  # type: ignore[arg-type]
    assert found.relevant
    if technique:
        assert found.technique_code == technique and found.thematic_area_code == "health"


def test_an_activity_about_something_else_is_not_relevant_and_a_sector_outside_needs_more_than_a_word() -> (
    None
):
    rules = _rules()
    assert not relevance.assess(_about("Primary school buildings", "11120"), rules).relevant  # type: ignore[arg-type]
    # "nuclear family" in an education activity: the sector is outside the groups a keyword counts for.
    assert not relevance.assess(_about("Nuclear family support in schools", "11120"), rules).relevant  # type: ignore[arg-type]
    # The nuclear safety sector is relevant on its own, whatever the words.
    assert relevance.assess(_about("Capacity building", "23510"), rules).relevant  # type: ignore[arg-type]


def test_puxs_own_technique_vocabulary_names_the_technique() -> None:
    record = replace(
        _about("Capacity building", "11120"),  # type: ignore[type-var]
        splits=(Split(SECTOR, "99", "isotope_hydrology", None, URI),),
    )
    found = relevance.assess(record, _rules())  # type: ignore[arg-type]
    assert (found.relevant, found.technique_code, found.thematic_area_code) == (
        True,
        "isotope_hydrology",
        "water",
    )


def test_a_facilitator_can_change_the_rules_file_and_a_broken_one_is_refused(tmp_path: Path) -> None:
    text = relevance.default_rules_path().read_text(encoding="utf-8")
    changed = tmp_path / "rules.toml"
    changed.write_text(text.replace('"23510",  # Nuclear', '"11120", "23510",  # Nuclear'), encoding="utf-8")
    assert relevance.assess(_about("Primary school buildings", "11120"), _rules(changed)).relevant  # type: ignore[arg-type]
    broken = tmp_path / "broken.toml"
    broken.write_text("[sectors\nrelevant = [", encoding="utf-8")
    with pytest.raises(RulesFileError) as refused:
        relevance.load_rules(broken)
    assert "broken.toml" in str(refused.value)
