"""The rank ranges of the priority page are the API's (the same random draws from the same seed)."""

from __future__ import annotations

import html
import re

from fastapi.testclient import TestClient

ROW = re.compile(r'href="/countries/([A-Z]{3})#priority".*?data-label="Rank range[^"]*">([^<]*)<', re.S)


def test_the_page_shows_the_rank_ranges_the_api_gives(client: TestClient) -> None:
    page = html.unescape(client.get("/priority", params={"area": "health"}).text)
    shown = dict(ROW.findall(page))
    ranked = client.get("/api/v1/priority", params={"area": "health", "sensitivity": True}).json()
    given = {r["iso3"]: f"{r['rank_range'][0]}–{r['rank_range'][1]}" for r in ranked if r["rank_range"]}
    assert len(given) > 100
    assert {iso3: shown.get(iso3) for iso3 in given} == given
