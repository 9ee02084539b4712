"""An xlsx that unpacks to far more than it weighs is refused before openpyxl reads it (M8).

A 335 KB workbook whose shared-strings table held 8 million empty entries, sent to /api/v1/needs/import,
took 72 s of CPU and 750 MB of memory: openpyxl reads the whole table before the first row, and only the
sheet was bounded. Now the table may hold no more entries than the first sheet has cells (and a short second
sheet's texts), the parts no more than MAX_UNPACKED_BYTES, counted as they are unpacked, not as declared.
"""

from __future__ import annotations

import io
import struct
import tracemalloc
import zipfile
from collections.abc import Sequence
from xml.sax.saxutils import escape

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from pux.audit.models import AuditEvent
from pux.interop.tabular import formats
from pux.interop.tabular.xlsx import column_letter
from pux.needs.models import Need
from tests.web.test_forms import count
from tests.web_helpers import bearer
from tests.world import World

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE = "http://schemas.openxmlformats.org/package/2006/relationships"
SPREADSHEET = "application/vnd.openxmlformats-officedocument.spreadsheetml"
SHARED_STRINGS = "xl/sharedStrings.xml"
# Spreadsheet programs write an empty text as this, the shortest entry a table can hold.
EMPTY_ENTRY = "<si><t/></si>"


def _workbook(rows: Sequence[Sequence[str]], unused_entries: int = 0) -> bytes:
    """A workbook as spreadsheet programs save it: every cell a shared string, each text once in the table,
    and ``unused_entries`` empty entries after them that no cell uses."""
    texts: dict[str, int] = {}
    sheet = [f'<worksheet xmlns="{MAIN}"><sheetData>']
    for number, row in enumerate(rows, start=1):
        cells = "".join(
            f'<c r="{column_letter(column)}{number}" t="s"><v>{texts.setdefault(text, len(texts))}</v></c>'
            for column, text in enumerate(row, start=1)
        )
        sheet.append(f'<row r="{number}">{cells}</row>')
    sheet.append("</sheetData></worksheet>")
    entries = "".join(f"<si><t>{escape(text)}</t></si>" for text in texts)
    target = io.BytesIO()
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _content_types())
        archive.writestr(
            "_rels/.rels",
            f'<Relationships xmlns="{PACKAGE}"><Relationship Id="rId1" '
            f'Type="{RELATIONSHIPS}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        )
        archive.writestr(
            "xl/workbook.xml",
            f'<workbook xmlns="{MAIN}" xmlns:r="{RELATIONSHIPS}"><sheets>'
            '<sheet name="needs" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            f'<Relationships xmlns="{PACKAGE}">'
            f'<Relationship Id="rId1" Type="{RELATIONSHIPS}/worksheet" Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId2" Type="{RELATIONSHIPS}/sharedStrings" Target="sharedStrings.xml"/>'
            "</Relationships>",
        )
        archive.writestr("xl/worksheets/sheet1.xml", "".join(sheet))
        archive.writestr(SHARED_STRINGS, f'<sst xmlns="{MAIN}">{entries}{EMPTY_ENTRY * unused_entries}</sst>')
    return target.getvalue()


def _content_types() -> str:
    return (
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{SPREADSHEET}.sheet.main+xml"/>'
        f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{SPREADSHEET}.worksheet+xml"/>'
        f'<Override PartName="/{SHARED_STRINGS}" ContentType="{SPREADSHEET}.sharedStrings+xml"/>'
        "</Types>"
    )


def _declaring_size(content: bytes, part: str, size: int) -> bytes:
    """``content`` with ``size`` as the unpacked size of ``part`` in both its headers (a lying archive)."""
    patched = bytearray(content)
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        local = archive.getinfo(part).header_offset
    struct.pack_into("<I", patched, local + 22, size)
    name = part.encode()
    central = 0
    while (central := patched.find(b"PK\x01\x02", central + 1)) >= 0:
        length = struct.unpack_from("<H", patched, central + 28)[0]
        if bytes(patched[central + 46 : central + 46 + length]) == name:
            struct.pack_into("<I", patched, central + 24, size)
            return bytes(patched)
    raise AssertionError(f"{part} has no central directory entry")


HEADER = ["country_iso3", "title", "thematic_area_code"]
ROW = ["KEN", "Shared strings: a new bunker", "health"]


def _read_with_peak_memory(content: bytes, filename: str) -> tuple[formats.Table, int]:
    tracemalloc.start()
    try:
        table = formats.read_table(content, filename)
        return table, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_a_shared_strings_table_far_larger_than_its_sheet_is_refused_unread() -> None:
    content = _workbook([HEADER, ROW], unused_entries=1_000_001)
    assert len(content) < 100_000  # a small file: the entries compress to almost nothing
    table, peak = _read_with_peak_memory(content, "bomb.xlsx")
    assert table.rows == [] and [p.field for p in table.problems] == ["file"]
    assert "bomb.xlsx" in table.problems[0].message
    assert "far more texts than the sheet" in table.problems[0].message
    # openpyxl held a Python string per entry (about 100 MB for these); the count keeps a chunk at a time.
    assert peak < 16 * 1024 * 1024


def test_a_part_unpacking_past_its_declared_size_is_not_read_past_it() -> None:
    """An archive declaring 2 KB for its shared strings while holding 13 MB of them: what is unpacked is
    counted, and zipfile refuses the part at the size it declared (its checksum does not match)."""
    content = _declaring_size(_workbook([HEADER, ROW], unused_entries=1_000_000), SHARED_STRINGS, 2_048)
    table, peak = _read_with_peak_memory(content, "lying.xlsx")
    assert table.rows == [] and [p.field for p in table.problems] == ["file"]
    assert peak < 16 * 1024 * 1024


def test_a_workbook_declaring_more_than_the_bound_is_refused_naming_it() -> None:
    content = _declaring_size(_workbook([HEADER, ROW]), SHARED_STRINGS, 256 * 1024 * 1024 + 1)
    table = formats.read_table(content, "huge.xlsx")
    assert [p.field for p in table.problems] == ["file"]
    assert "huge.xlsx unpacks to more than 256 MB" in table.problems[0].message


def test_a_workbook_of_many_different_texts_in_its_sheet_is_read_whole() -> None:
    """More texts than a second sheet may bring, each used by a cell of the sheet: nothing refused."""
    rows = [[f"KEN-{n}", f"Need number {n}: a survey", f"note {n}", f"plan {n}"] for n in range(4_000)]
    content = _workbook([["country_iso3", "title", "cofinancing_note", "national_plan_reference"], *rows])
    table = formats.read_table(content, "needs.xlsx")
    assert table.problems == []
    assert len(table.rows) == 4_000 and table.rows[-1]["title"] == "Need number 3999: a survey"


def test_the_api_refuses_the_bomb_naming_the_file_and_saves_nothing(
    client: TestClient, session: Session, world: World
) -> None:
    content = _workbook([HEADER, ROW], unused_entries=300_000)
    needs_before, events_before = count(session, Need), count(session, AuditEvent)
    answer = client.post(
        "/api/v1/needs/import",
        headers=bearer(world.tokens["focal_ken"]),
        files={"file": ("strings.xlsx", content, formats.MEDIA_TYPES["xlsx"])},
    )
    assert answer.status_code == 422, answer.text
    [problem] = answer.json()["problems"]
    assert problem["field"] == "file" and "strings.xlsx" in problem["message"]
    session.expire_all()
    assert count(session, Need) == needs_before
    assert count(session, AuditEvent) == events_before
