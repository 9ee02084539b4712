"""The Scopus query subset of the Aurora SDG queries: parsing, matching and the pre-filter."""

from __future__ import annotations

import pytest

from pux.sdg_tagging.keywords import (
    KeywordMatcher,
    KeywordQuery,
    QuerySyntaxError,
    TextIndex,
    parse_query,
    required_terms,
)


def surfaces(query: str, text: str) -> list[str]:
    return [hit.surface for hit in KeywordQuery(parse_query(query)).match(TextIndex(text))]


def test_or_binds_tighter_than_proximity_and_proximity_tighter_than_and() -> None:
    assert parse_query('"a" W/3 "b" OR "c" AND "d"') == [
        "and",
        [["near", 3, [["phrase", "a"], ["or", [["phrase", "b"], ["phrase", "c"]]]]], ["phrase", "d"]],
    ]


def test_and_not_applies_to_the_whole_left_side() -> None:
    assert parse_query('( "x" OR "y" ) AND NOT ( "z" )') == [
        "not",
        ["or", [["phrase", "x"], ["phrase", "y"]]],
        ["phrase", "z"],
    ]


@pytest.mark.parametrize("query", ['"a" OR', '( "a"', "poverty", '"a" W/3'])
def test_malformed_queries_are_refused(query: str) -> None:
    with pytest.raises(QuerySyntaxError):
        parse_query(query)


def test_wildcards_plurals_and_phrases() -> None:
    assert surfaces('"develop* countr*"', "Aid to developing countries rose.") == ["developing countries"]
    assert surfaces('"toilet"', "New toilets were built.") == ["toilets"]
    assert surfaces('"drinking water"', "Water for drinking.") == []


def test_proximity_counts_words_between_phrases() -> None:
    query = '( "drinking" W/3 "water" ) W/3 ( "access*" OR "safe*" )'
    assert set(surfaces(query, "Access to safe drinking water improved.")) == {
        "access",
        "safe",
        "drinking",
        "water",
    }
    assert (
        surfaces(query, "Drinking habits changed; the river water was never tested for access rights.") == []
    )


def test_and_not_excludes() -> None:
    query = '( "species" ) AND NOT ( "marine" OR "ocean*" )'
    assert surfaces(query, "Protecting endangered species in forests.") == ["species"]
    assert surfaces(query, "Protecting marine species.") == []


def test_matcher_finds_exactly_what_evaluating_every_query_finds() -> None:
    queries = [
        '( "poverty" ) W/3 ( "reduc*" OR "end*" )',
        '"sanitation" OR "toilet*"',
        '( "invas*" ) W/3 ( "species" ) AND NOT ( "marine" )',
        '"renewable energy"',
    ]
    trees = [parse_query(query) for query in queries]
    matcher = KeywordMatcher(trees)
    for text in (
        "Reducing poverty and ending open defecation with toilets.",
        "Invasive species on islands, not marine ones.",
        "Invasive marine species.",
        "A text about nothing at all.",
    ):
        index = TextIndex(text)
        expected = [
            (position, hits)
            for position, tree in enumerate(trees)
            if (hits := KeywordQuery(tree).match(index))
        ]
        assert matcher.match(text) == expected


def test_required_terms_pick_one_conjunct() -> None:
    assert required_terms(parse_query('( "a*" OR "bb" ) AND "ccc"')) == frozenset({"ccc"})
    assert required_terms(parse_query('"low income countries" OR "ldc"')) == frozenset({"countries", "ldc"})
