"""A spreadsheet's values are saved as their writer meant them: a Spanish "250.000" is refused (naming its
row and column) rather than saved as 250, whole numbers in Arabic-Indic or Persian digits are read as
amounts already were, and the joiners of emoji and Persian words survive the import."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pux.errors import ValidationFailed
from pux.interop.tabular import service as tabular
from pux.interop.tabular.service import ImportReport
from pux.needs.models import Need
from tests.world import World

# A semicolon-separated file with a byte-order mark, as a spreadsheet in a Spanish or French layout saves it.
HEADER = "country_iso3;title;description;thematic_area_code;beneficiaries_count;beneficiaries_women_share;"
HEADER += "estimated_cost;currency\r\n"


def _import_needs(session: Session, world: World, *rows: str) -> ImportReport:
    content = ("\ufeff" + HEADER + "".join(f"{row}\r\n" for row in rows)).encode()
    return tabular.import_table(
        session,
        actor=world.actors["counterpart_ken"],
        entity_name="needs",
        content=content,
        filename="needs.csv",
    )


def _need_count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Need)) or 0


def test_an_amount_whose_point_may_separate_thousands_is_refused_by_row_and_column(
    session: Session, world: World
) -> None:
    before = _need_count(session)
    with pytest.raises(ValidationFailed) as refused:
        _import_needs(
            session,
            world,
            "KEN;Radioterapia en Mombasa fase 3;desc;health;1500;55;2500000.50;USD",
            "KEN;Radioterapia en Mombasa fase 4;desc;health;1500;55;250.000;USD",
        )
    [problem] = refused.value.problems
    assert (problem.row, problem.field) == (3, "estimated_cost")
    assert "'250.000'" in problem.message and "separates thousands" in problem.message
    assert _need_count(session) == before


def test_whole_numbers_and_amounts_in_arabic_or_persian_digits_are_read(
    session: Session, world: World
) -> None:
    """An Arabic spreadsheet's "١٥٠٠" beneficiaries were refused while its "٢٥٠٠٠٠٠" cost was taken."""
    report = _import_needs(
        session,
        world,
        "KEN;Radiotherapy in Arabic digits;desc;health;٤٠٬٠٠٠;٥٥;٢٬٥٠٠٬٠٠٠٫٥٠;USD",
        "KEN;Radiotherapy in Persian digits;desc;health;۱۵۰۰;۶۰;۲۵۰۰۰۰۰;USD",
    )
    arabic, persian = (session.get(Need, need_id) for need_id in report.ids)
    assert arabic is not None and persian is not None
    assert (arabic.beneficiaries_count, arabic.beneficiaries_women_share) == (40000, 55)
    assert arabic.estimated_cost == Decimal("2500000.50")
    assert (persian.beneficiaries_count, persian.beneficiaries_women_share) == (1500, 60)
    assert persian.estimated_cost == Decimal("2500000")


def test_the_joiners_of_emoji_and_persian_words_survive_an_import(session: Session, world: World) -> None:
    """ "👩‍⚕️" was saved as "👩⚕️" (two pictures), Persian "می‌خواهیم" without the non-joiner it needs."""
    health_worker, persian = "👩\u200d⚕\ufe0f", "می\u200cخواهیم"
    report = _import_needs(
        session, world, f"KEN;Training for {health_worker} in Mombasa;{persian};health;100;50;1000;USD"
    )
    need = session.get(Need, report.ids[0])
    assert need is not None
    assert (need.title, need.description) == (f"Training for {health_worker} in Mombasa", persian)
