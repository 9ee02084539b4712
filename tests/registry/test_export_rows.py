"""Export rows read a chunk at a time: the same records and values as the records themselves, whatever the
chunk size (a chunk boundary loses or repeats no record)."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from pux.db import linked_codes, rows_in_chunks
from pux.needs.models import Need, need_sdg_target, need_technique
from pux.reference.models import SdgTarget, Technique
from tests.world import World

COLUMNS = (
    "id",
    "title",
    "modalities_wanted",
    "technique_codes",
    "vulnerable_groups",
    "not_a_column",
    "sdg_target_codes",
    "estimated_cost",
)


def _expected(need: Need) -> tuple[object, ...]:
    return (
        need.id,
        need.title,
        need.modalities_wanted,
        need.technique_codes,
        need.vulnerable_groups,
        None,
        need.sdg_target_codes,
        need.estimated_cost,
    )


@pytest.mark.parametrize("chunk", [1, 2, 3, 1000])
def test_rows_in_chunks_give_every_matching_record_once_with_its_lists(
    session: Session, world: World, chunk: int
) -> None:
    matching = select(Need.id).where(Need.country_iso3 == "KEN")
    links = {
        "technique_codes": linked_codes(need_technique, Technique),
        "sdg_target_codes": linked_codes(need_sdg_target, SdgTarget),
    }
    rows = list(rows_in_chunks(session, matching, Need.__table__, COLUMNS, links, chunk=chunk))
    needs = session.scalars(select(Need).where(Need.country_iso3 == "KEN").order_by(Need.id)).unique().all()
    assert len(needs) > 3  # several chunks when the chunk is small
    assert any(need.technique_codes and need.modalities_wanted for need in needs)
    assert rows == [_expected(need) for need in needs]


def test_rows_in_chunks_of_one_column_are_tuples_too(session: Session, world: World) -> None:
    rows = list(rows_in_chunks(session, select(Need.id), Need.__table__, ["title"], chunk=2))
    titles = session.scalars(select(Need.title).order_by(Need.id)).all()
    assert rows == [(title,) for title in titles]
