"""A CSV saved in a Windows code page (Excel's plain "CSV") is refused on the row of its first such
character, saying how to save it: the page said "row 1 ... the file is not UTF-8 text" while the é was on
row 2, and did not say what to do."""

from __future__ import annotations

import html

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from pux.interop.tabular.formats import read_table
from pux.needs.models import Need
from tests.web.test_forms import as_role, count
from tests.web_helpers import csrf_token
from tests.world import World

HEADER = "country_iso3,title,thematic_area_code,technique_codes,currency,estimated_cost\n"
NEEDS = (
    HEADER
    + "KEN,Radiotherapy bunker,health,radiotherapy,USD,120000\n"
    + "KEN,Sorghum breeding,food,mutation_breeding,USD,5000\n"
    + "KEN,Évaluation des sols,food,mutation_breeding,USD,7000\n"
)


def test_the_needs_page_names_the_row_of_the_first_foreign_character_and_the_way_to_save(
    client: TestClient, session: Session, world: World
) -> None:
    as_role(client, world, "focal_ken")
    before = count(session, Need)
    answer = client.post(
        "/needs/import",
        data={"csrf_token": csrf_token(client, "/needs/import")},
        files={"file": ("needs.csv", NEEDS.encode("cp1252"), "text/csv")},
    )
    assert answer.status_code == 422, answer.text[:400]
    text = html.unescape(answer.text)
    problems = text[text.find('class="problems"') :][:1500]
    assert "row 4," in problems and "row 1," not in problems, problems
    assert "not UTF-8 text" in problems and "“CSV UTF-8”" in problems, problems
    assert count(session, Need) == before


@pytest.mark.parametrize(
    ("content", "row"),
    [
        (("a,b\n" + "x,y\n" + "é,z\n").encode("cp1252"), 3),
        (("a,b\r\n" + "x,y\r\n" + "x,y\r\n" + "é,z\r\n").encode("cp1252"), 4),
        (b"\xef\xbb\xbf" + "a,b\nx,é\n".encode("cp1252"), 2),  # a byte order mark is not a row
        ("a,b\rx,y\r£,z\r".encode("cp1252"), 3),  # old Macintosh line ends
        ("café,b\nx,y\n".encode("cp1252"), 1),
    ],
)
def test_the_row_counts_lines_as_the_rest_of_the_import_does(content: bytes, row: int) -> None:
    [problem] = read_table(content, "needs.csv").problems
    assert (problem.row, problem.field) == (row, "file")
