"""The count beside a facet value is what choosing it lists: for words, meaning and both, for the public and
for people who see private records, with more matches than the caps on word and meaning hits keep; and a
record the reader may not see is never counted."""

from __future__ import annotations

import dataclasses
import html
import re
from urllib.parse import urlencode

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from pux.accounts.permissions import Actor
from pux.needs import service as needs
from pux.pagination import PageRequest
from pux.reference import repository as reference_repository
from pux.search import service
from pux.search.repository import SearchFilter
from tests.web_helpers import sign_in
from tests.world import World, need_data

WORD = "Quelvarnic"  # a made-up word only these tests' records contain
# Subjects of the records: (thematic area, technique, SDG target, words of the title).
SUBJECTS = (
    ("health", "radiotherapy", "3.4", "radiotherapy bunker for cancer treatment"),
    ("health", "nuclear_medicine", "3.4", "nuclear medicine imaging for heart disease"),
    ("water", "isotope_hydrology", "6.4", "groundwater recharge mapped with isotopes"),
    ("food", "sterile_insect", "2.4", "sterile insects against fruit flies"),
    ("food", "mutation_breeding", "2.4", "drought tolerant crop varieties"),
)
# Per country and author: (country, author, records). Kenya's have every visibility; Uganda's are public.
AUTHORS = (("KEN", "focal_ken", 48), ("UGA", "focal_uga", 24))
VISIBILITIES = ("public", "public", "partners", "private")
# Lower than the service's caps, so that a few dozen records are more than the caps keep.
SMALL_WORD_CAP = 20
SMALL_MEANING_CAP = 8
NOTE = "Only the closest matches are listed and counted"
NO_FILTERS = SearchFilter()
FACET_FILTERS = {
    "country": "country_iso3",
    "area": "area_code",
    "technique": "technique_code",
    "sdg": "sdg_goal",
}


def _publish(
    session: Session, author: Actor, country: str, title: str, visibility: str, **extra: object
) -> int:
    need = needs.create_need(
        session, actor=author, data=need_data(country=country, title=title, visibility=visibility, **extra)
    )
    for target in ("submitted", "endorsed", "published"):
        need = needs.transition_need(
            session, actor=author, need_id=need.id, target=target, version=need.version
        )
    return need.id


@pytest.fixture
def many_needs(session: Session, world: World) -> None:
    """Published needs that all hold WORD, of two countries, several subjects and every visibility: more
    than the (small) caps keep."""
    for country, author, count in AUTHORS:
        for number in range(count):
            area, technique, target, words = SUBJECTS[number % len(SUBJECTS)]
            visibility = VISIBILITIES[number % len(VISIBILITIES)] if country == "KEN" else "public"
            _publish(
                session,
                world.actors[author],
                country,
                f"{WORD} {words} {number}",
                visibility,
                thematic_area_code=area,
                technique_codes=[technique],
                sdg_target_codes=[target],
            )


@pytest.fixture
def small_caps(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(service, "MAX_WORD_HITS", SMALL_WORD_CAP)
    monkeypatch.setattr(service, "MAX_MEANING_HITS", SMALL_MEANING_CAP)


def _search(
    session: Session, actor: Actor, query: str, mode: str, filters: SearchFilter
) -> service.SearchResults:
    return service.search(
        session, actor=actor, query=query, language="en", filters=filters, page=PageRequest(1, 20), mode=mode
    )


def _choosing(filters: SearchFilter, facet: str, value: str) -> SearchFilter:
    """``filters`` with ``value`` chosen for ``facet``, as the facet's link does."""
    if facet == "kind":
        return dataclasses.replace(filters, kinds=(value,))
    return dataclasses.replace(filters, **{FACET_FILTERS[facet]: value})


def _mismatches(
    session: Session, actor: Actor, query: str, mode: str, filters: SearchFilter = NO_FILTERS
) -> list[str]:
    """Every facet value shown whose count differs from the total of the search with it chosen."""
    results = _search(session, actor, query, mode, filters)
    wrong = []
    for facet, values in results.facets.items():
        for item in values:
            listed = _search(session, actor, query, mode, _choosing(filters, facet, item.value)).total
            if listed != item.count:
                wrong.append(f"{facet}={item.value}: counted {item.count}, listed {listed}")
    return wrong


# Near, by meaning, to every subject of the records: more of them than the meaning cap keeps.
EVERY_SUBJECT = "radiotherapy cancer groundwater isotopes fruit flies crops heart imaging"
QUERIES = (
    WORD,  # every record by words (the meaning does not know the word)
    EVERY_SUBJECT,
    f"{WORD} groundwater isotopes",
    "radiotherapy for cancer treatment",  # these records and others, by words and by meaning
    "fruit flies",
)


@pytest.mark.parametrize("mode", ["words", "meaning", "fused"])
@pytest.mark.parametrize("viewer", ["public", "focal_ken", "admin"])
def test_a_facets_count_is_what_choosing_it_lists(
    session: Session, world: World, many_needs: None, small_caps: None, mode: str, viewer: str
) -> None:
    actor = world.actors[viewer]
    capped = [query for query in QUERIES if _search(session, actor, query, mode, NO_FILTERS).capped]
    assert len(capped) >= 2, "the matches are fewer than the caps: the test would prove nothing"
    for query in QUERIES:
        assert _mismatches(session, actor, query, mode) == [], query


def test_counts_stay_right_at_the_services_own_caps(session: Session, world: World, many_needs: None) -> None:
    """At the real caps the meaning hits are still more than the cap keeps (the words are not: 200)."""
    actor = world.actors["focal_ken"]
    assert _search(session, actor, EVERY_SUBJECT, "meaning", NO_FILTERS).capped
    for mode in ("meaning", "fused"):
        assert _mismatches(session, actor, EVERY_SUBJECT, mode) == [], mode


def test_counts_on_a_filtered_page_are_what_a_second_facet_lists(
    session: Session, world: World, many_needs: None, small_caps: None
) -> None:
    actor = world.actors["focal_ken"]
    for filters in (SearchFilter(country_iso3="KEN"), SearchFilter(kinds=("need",), area_code="food")):
        assert _mismatches(session, actor, WORD, "fused", filters) == [], filters


def test_a_private_record_is_not_counted_for_the_public(
    session: Session, world: World, many_needs: None, small_caps: None
) -> None:
    """The private need is the only record with SDG 4, and among the closest to the query: the public's
    counts and results leave it out, while its country's focal point counts and finds it."""
    private = _publish(
        session,
        world.actors["focal_ken"],
        "KEN",
        f"{WORD} linear accelerator for a radiotherapy bunker for cancer treatment",
        "private",
        sdg_target_codes=["4.1"],
    )
    query = f"{WORD} linear accelerator radiotherapy bunker for cancer treatment"
    for mode in ("words", "meaning", "fused"):
        public = _search(session, Actor.public(), query, mode, NO_FILTERS)
        assert "4" not in {item.value for item in public.facets["sdg"]}, mode
        assert _search(session, Actor.public(), query, mode, SearchFilter(sdg_goal="4")).total == 0, mode
        focal = _search(session, world.actors["focal_ken"], query, mode, NO_FILTERS)
        assert {item.value: item.count for item in focal.facets["sdg"]}.get("4") == 1, mode
        chosen = _search(session, world.actors["focal_ken"], query, mode, SearchFilter(sdg_goal="4"))
        assert [hit.key for hit in chosen.hits] == [str(private)], mode
        assert _mismatches(session, Actor.public(), query, mode) == [], mode


# --- The page, as a reader sees it ------------------------------------------------------------------------

FACET_LINK = re.compile(
    r'<a href="(/search\?[^"]+)"[^>]*><bdi>([^<]*)</bdi></a> <span class="facet-count">\((\d+)\)</span>'
)
RESULTS = re.compile(r'<p class="count" role="status">(\d+) results?')


def _page(client: TestClient, path: str) -> tuple[int, list[tuple[str, str, int]]]:
    """The "N results" of a search page and its facet links: (link, label, count)."""
    page = client.get(path)
    assert page.status_code == 200
    total = RESULTS.search(page.text)
    assert total, path
    links = [
        (html.unescape(link), html.unescape(label), int(count))
        for link, label, count in FACET_LINK.findall(page.text)
    ]
    return int(total.group(1)), links


@pytest.mark.parametrize("viewer", ["public", "focal_ken"])
def test_on_the_page_the_count_beside_a_facet_is_the_number_of_results_it_lists(
    client: TestClient, world: World, many_needs: None, small_caps: None, viewer: str
) -> None:
    if viewer != "public":
        sign_in(client, world.emails[viewer])
    for query in (WORD, "radiotherapy for cancer treatment"):
        _total, links = _page(client, "/search?" + urlencode({"q": query}))
        assert links, query
        for link, label, count in links:
            listed, _links = _page(client, link)
            assert listed == count, f"{query}: {label} counted {count}, listed {listed}"


def test_the_page_says_when_the_caps_left_matches_out(
    client: TestClient, many_needs: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    # At the service's caps every match of WORD is kept (72 by words, the meaning does not know the word).
    assert NOTE not in client.get("/search", params={"q": WORD}).text
    assert client.get("/api/v1/search", params={"q": WORD}).json()["capped"] is False
    monkeypatch.setattr(service, "MAX_WORD_HITS", SMALL_WORD_CAP)
    assert NOTE in client.get("/search", params={"q": WORD}).text
    assert client.get("/api/v1/search", params={"q": WORD}).json()["capped"] is True


SPREAD_WORD = "Zorvatrine"  # a made-up word only the next test's records contain
# Two countries with two needs, twelve with one: more values than a facet shows, tied at its last place.
SPREAD = {"KEN": 2, "PER": 2} | dict.fromkeys(
    ("UGA", "ETH", "GHA", "SEN", "BGD", "NPL", "BOL", "JAM", "FJI", "MNG", "NER", "TCD"), 1
)


def test_a_facet_shows_its_most_frequent_values_and_names_break_their_ties(
    session: Session, world: World
) -> None:
    for country, count in SPREAD.items():
        for number in range(count):
            _publish(session, world.actors["admin"], country, f"{SPREAD_WORD} need {number}", "public")
    shown = _search(session, world.actors["public"], SPREAD_WORD, "words", NO_FILTERS).facets["country"]
    names = {iso3: reference_repository.get_country(session, iso3) for iso3 in SPREAD}
    expected = sorted(SPREAD, key=lambda iso3: (-SPREAD[iso3], names[iso3].name("en")))[
        : service.FACET_VALUES_SHOWN
    ]
    assert [(item.value, item.count) for item in shown] == [(iso3, SPREAD[iso3]) for iso3 in expected]
    assert [item.label for item in shown] == [names[iso3].name("en") for iso3 in expected]
