"""What the priority page tells a screen reader: a component without data is "missing", never 0."""

from __future__ import annotations

import html
import re

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from pux.priority import service


def test_a_component_without_data_is_read_as_missing_not_as_zero(
    session: Session, client: TestClient
) -> None:
    area, result = next(
        (area, result)
        for area in ("industry", "health", "energy", "water", "food", "safety")
        for result in service.ranking(session, area=area)
        if next(c for c in result.components if c.name == "capacity").pressing is None
    )
    page = html.unescape(client.get("/priority", params={"area": area}).text)
    row = page.split(f'href="/countries/{result.iso3}#priority"', 1)[1]
    label = re.search(r'aria-label="([^"]*)"', row)
    assert label is not None
    assert "Lack of capacity missing;" in label.group(1)
    assert "Lack of capacity 0" not in label.group(1)
