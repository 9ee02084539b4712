"""An import names every problem of every row at once: a cell that cannot be read is set aside and the rest of
its row still checked (a row with a cost of "12,5", an unknown SDG target and a bad currency was refused for
its cost alone; the other two came only once the cost was mended)."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from pux.errors import ValidationFailed
from pux.interop.tabular import service as tabular
from tests.world import World


def _problems(session: Session, world: World, content: str) -> set[tuple[int | None, str]]:
    with pytest.raises(ValidationFailed) as refused:
        tabular.import_table(
            session,
            actor=world.actors["counterpart_ken"],
            entity_name="needs",
            content=content.encode(),
            filename="needs.csv",
        )
    return {(problem.row, problem.field) for problem in refused.value.problems}


def test_a_new_rows_unreadable_cost_does_not_hide_its_other_problems(session: Session, world: World) -> None:
    content = (
        "country_iso3,title,thematic_area_code,sdg_target_codes,estimated_cost,currency,beneficiaries_count\n"
        + 'KEN,Irrigation with isotope techniques,food,2.3;99.9,"12,5",XXX1,\n'
        + "KEN,Soil erosion survey,alchemy,2.3,a lot,USD,many\n"
    )
    assert _problems(session, world, content) == {
        (2, "estimated_cost"),  # cannot be read
        (2, "currency"),  # refused by the schema
        (2, "sdg_target_codes"),  # refused by the code checks
        (3, "estimated_cost"),
        (3, "beneficiaries_count"),
        (3, "thematic_area_code"),  # the code checks of a row whose schema passed
    }


def test_an_updates_unreadable_cell_does_not_hide_a_stale_version(session: Session, world: World) -> None:
    need_id = world.needs["draft_ken"]
    content = f"id,version,estimated_cost,sdg_target_codes\n{need_id},99,lots,3.4;99.9\n"
    assert _problems(session, world, content) == {
        (2, "estimated_cost"),
        (2, "sdg_target_codes"),
        (2, "version"),  # the record is not at version 99
    }
