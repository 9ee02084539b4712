"""What the app compresses for a client that accepts gzip: pages, JSON and CSV (text), not the downloads
that are compressed already (an xlsx is a zip, a PDF deflates its contents)."""

from __future__ import annotations

import io
import zipfile

from fastapi.testclient import TestClient

from tests.web_helpers import sign_in
from tests.world import World

GZIP = {"Accept-Encoding": "gzip"}


def test_text_is_sent_compressed(client: TestClient, world: World) -> None:
    sign_in(client, world.emails["facilitator"])
    for path in ("/needs", "/api/v1/countries", "/needs/export?format=csv"):
        answer = client.get(path, headers=GZIP)
        assert answer.status_code == 200 and answer.headers.get("content-encoding") == "gzip", path


def test_downloads_compressed_already_are_sent_as_they_are(client: TestClient, world: World) -> None:
    sign_in(client, world.emails["facilitator"])
    sheet = client.get("/needs/export?format=xlsx", headers=GZIP)
    assert sheet.status_code == 200 and "content-encoding" not in sheet.headers
    assert zipfile.ZipFile(io.BytesIO(sheet.content)).testzip() is None
    brief = client.get("/countries/KEN/brief.pdf", headers=GZIP)
    assert brief.status_code == 200 and "content-encoding" not in brief.headers
    assert brief.content.startswith(b"%PDF-")
