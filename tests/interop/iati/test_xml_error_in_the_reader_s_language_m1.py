"""A file the XML parser cannot read is refused with a sentence in the reader's language naming the line
and column: the French upload page showed libxml2's English ("Start tag expected, '<' not found") inside
a French sentence. The parser's own message goes to the log only."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from pux.i18n import translations_for
from pux.interop.iati import reader, rules
from pux.interop.iati.service import IatiFileRefused
from tests.interop.iati.test_export import _upload
from tests.web_helpers import sign_in
from tests.world import World

SENTENCE = "The file is not well-formed XML: it stops being XML at line %(line)s, column %(column)s."
# A stand-in for the catalogue's translation (added to it later), so the page reads as a French reader's.
FRENCH = (
    "Le fichier n'est pas du XML bien formé : il cesse d'être du XML à la ligne %(line)s, colonne %(column)s."
)
CUT = b"<?xml version='1.0' encoding='UTF-8'?>\n<iati-activities version=\"2.03\">\n<iati-activity <\n"


@pytest.mark.parametrize(
    ("content", "place", "parser_says"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00binary", "ligne 1, colonne 1", "Start tag expected"),
        (CUT + b"<more/>\n" * 3, "ligne 3, colonne 16", "error parsing attribute name"),
    ],
)
def test_a_file_that_is_not_xml_is_refused_in_the_reader_s_language_naming_line_and_column(
    client: TestClient,
    world: World,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    content: bytes,
    place: str,
    parser_says: str,
) -> None:
    monkeypatch.setitem(translations_for("fr")._messages, SENTENCE, FRENCH)
    sign_in(client, world.emails["facilitator"])
    client.cookies.set("pux_lang", "fr")
    path = tmp_path / "upload.xml"
    path.write_bytes(content)
    with caplog.at_level(logging.INFO, logger="pux.interop.iati.service"):
        refused = _upload(client, path)
    assert refused.status_code == 422
    page = " ".join(refused.text.split())
    assert "Le fichier n'est pas du XML bien formé" in page.replace("&#39;", "'") and place in page
    assert parser_says not in page
    assert parser_says in caplog.text  # kept for whoever reads the log


def test_a_file_without_any_xml_names_no_place() -> None:
    assert rules.describe("not-xml", {"line": "?", "column": None}) == (
        "The file is not XML: it holds no XML element."
    )


def test_a_file_not_in_its_declared_encoding_is_told_so_with_the_place(tmp_path: Path) -> None:
    path = tmp_path / "latin1.xml"
    head = b'<?xml version="1.0" encoding="UTF-8"?>\n<iati-activities version="2.03">\n'
    path.write_bytes(head + b"<x>Caf\xe9 au lait</x>\n</iati-activities>\n")
    with pytest.raises(reader.FileRefused) as refused:
        reader.scan(path)
    assert (refused.value.reason, refused.value.line, refused.value.column) == ("encoding", 3, 7)
    assert str(IatiFileRefused(refused.value)) == (
        "The file's characters at line 3, column 7 are not in the encoding it declares (UTF-8 when it "
        "declares none): save it as UTF-8."
    )
