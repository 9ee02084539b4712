"""CSV and Excel exchange: all-or-nothing imports naming every bad row, and lossless round trips."""

from __future__ import annotations

import csv
import html
import io
import re
import time
import zipfile
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from fastapi.testclient import TestClient
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pux.assistance.models import AssistanceActivity
from pux.audit.models import AuditEvent
from pux.errors import FieldProblem, ValidationFailed
from pux.interop.tabular import service as tabular
from pux.interop.tabular.formats import read_table
from pux.needs import service as needs_service
from pux.needs.models import Need
from pux.needs.repository import NeedFilter
from pux.programmes import service as programmes_service
from pux.programmes.models import Programme
from tests.web_helpers import bearer, csrf_token, sign_in
from tests.world import World, need_data, programme_data

HEADER = (
    "country_iso3,title,thematic_area_code,technique_codes,sdg_target_codes,"
    + "estimated_cost,currency,visibility\n"
)


def _need_count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Need)) or 0


def test_a_file_with_good_and_bad_rows_changes_nothing_and_names_every_bad_row(
    session: Session, world: World
) -> None:
    before = _need_count(session)
    content = (
        HEADER
        + "KEN,Good row: cyclotron feasibility,health,pet_ct,3.4,250000,USD,public\n"
        + "KEN,Bad technique,health,alchemy,3.4,1000,USD,public\n"
        + "KEN,Bad cost,health,radiotherapy,3.4,a lot,USD,public\n"
        + "UGA,Not my country,water,isotope_hydrology,6.4,1000,USD,public\n"
        + "KEN,Bad visibility,health,,3.4,1000,USD,everyone\n"
        + "KEN,x,health,,3.4,1000,USD,public\n"
    )
    with pytest.raises(ValidationFailed) as refused:
        tabular.import_table(
            session,
            actor=world.actors["counterpart_ken"],
            entity_name="needs",
            content=content.encode(),
            filename="needs.csv",
        )
    problems = {(p.row, p.field) for p in refused.value.problems}
    assert problems == {
        (3, "technique_codes"),
        (4, "estimated_cost"),
        (5, "country_iso3"),
        (6, "visibility"),
        (7, "title"),
    }
    assert _need_count(session) == before  # the good row 2 was not saved either


def test_unknown_columns_and_empty_files_are_refused(session: Session, world: World) -> None:
    with pytest.raises(ValidationFailed) as refused:
        tabular.import_table(
            session,
            actor=world.actors["admin"],
            entity_name="needs",
            content=b"country_iso3,title,colour\nKEN,Something,blue\n",
            filename="x.csv",
        )
    assert any(p.field == "header" and "colour" in p.message for p in refused.value.problems)
    with pytest.raises(ValidationFailed):
        tabular.import_table(
            session, actor=world.actors["admin"], entity_name="needs", content=b"", filename="empty.csv"
        )


def test_a_good_file_creates_needs_through_the_service(session: Session, world: World) -> None:
    content = (
        HEADER
        + "KEN,Imported SPECT camera replacement,health,nuclear_medicine;medical_physics,"
        + "3.4;3.8,90000,USD,public\n"
    )
    report = tabular.import_table(
        session,
        actor=world.actors["counterpart_ken"],
        entity_name="needs",
        content=content.encode(),
        filename="needs.csv",
    )
    assert (report.created, report.updated) == (1, 0)
    need = session.get(Need, report.ids[0])
    assert (
        need is not None
        and need.status == "draft"
        and need.technique_codes == ["nuclear_medicine", "medical_physics"]
    )


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_export_then_import_round_trips_unchanged(session: Session, world: World, file_format: str) -> None:
    actor = world.actors["focal_ken"]
    filters = NeedFilter(country_iso3="KEN")
    first = _export(session, actor=actor, entity_name="needs", filters=filters, file_format=file_format)
    report = tabular.import_table(
        session,
        actor=world.actors["facilitator"],
        entity_name="needs",
        content=first,
        filename=f"needs.{file_format}",
    )
    assert report.created == 0 and report.updated == 0 and report.unchanged == len(report.ids) >= 5
    second = _export(session, actor=actor, entity_name="needs", filters=filters, file_format=file_format)
    assert _rows(first, file_format) == _rows(second, file_format)


def _export(session: Session, **options: Any) -> bytes:
    """The file export_table writes, as the download sends it."""
    target = io.BytesIO()
    tabular.export_table(session, target=target, **options)
    return target.getvalue()


def _rows(content: bytes, file_format: str) -> list[list[str]]:
    if file_format == "csv":
        return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    sheet = load_workbook(io.BytesIO(content), read_only=True).worksheets[0]
    return [["" if cell is None else str(cell) for cell in row] for row in sheet.iter_rows(values_only=True)]


def test_an_edited_export_updates_only_the_changed_row(session: Session, world: World) -> None:
    actor = world.actors["focal_ken"]
    exported = _export(session, actor=actor, entity_name="needs", filters=NeedFilter(country_iso3="KEN"))
    rows = list(csv.DictReader(io.StringIO(exported.decode("utf-8-sig"))))
    target = next(row for row in rows if int(row["id"]) == world.needs["draft_ken"])
    target["title"] = "Draft: second linear accelerator and bunker"
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    report = tabular.import_table(
        session, actor=actor, entity_name="needs", content=buffer.getvalue().encode(), filename="edited.csv"
    )
    assert report.updated == 1 and report.unchanged == len(rows) - 1
    assert session.get(Need, world.needs["draft_ken"]).title == "Draft: second linear accelerator and bunker"  # type: ignore[union-attr]


def test_hxl_row_is_written_and_skipped_on_import(session: Session, world: World) -> None:
    exported = _export(session, actor=world.actors["partner_a"], entity_name="activities", hxl=True)
    lines = list(csv.reader(io.StringIO(exported.decode("utf-8-sig"))))
    assert lines[1][lines[0].index("recipient_country_iso3")] == "#country+code"
    assert lines[1][lines[0].index("amount_committed")] == "#value+committed"
    report = tabular.import_table(
        session,
        actor=world.actors["partner_a"],
        entity_name="activities",
        content=exported,
        filename="activities.csv",
    )
    assert report.created == 0 and report.unchanged == len(lines) - 2


def test_exports_respect_visibility(session: Session, world: World) -> None:
    public = _export(session, actor=world.actors["public"], entity_name="needs")
    ids = {int(row["id"]) for row in csv.DictReader(io.StringIO(public.decode("utf-8-sig")))}
    assert world.needs["published_ken"] in ids
    assert not ids & {
        world.needs[key] for key in ("partners_ken", "private_ken", "draft_ken", "submitted_ken")
    }


def test_the_downloads_stream_the_filtered_list_in_both_formats(
    client: TestClient, session: Session, world: World
) -> None:
    """The list pages' export links: an attachment of the rows the reader may see with the list's filters,
    the code lists in the record's order, the same rows as CSV and as xlsx."""
    as_csv = client.get("/needs/export", params={"format": "csv", "country": "KEN"})
    assert as_csv.status_code == 200 and as_csv.headers["content-type"].startswith("text/csv")
    assert as_csv.headers["content-disposition"] == 'attachment; filename="pux-needs.csv"'
    rows = _rows(as_csv.content, "csv")
    header, data = rows[0], rows[1:]
    records = [dict(zip(header, row, strict=True)) for row in data]
    assert {record["country_iso3"] for record in records} == {"KEN"}
    assert world.needs["published_ken"] in {int(record["id"]) for record in records}
    assert world.needs["private_ken"] not in {int(record["id"]) for record in records}  # anonymous reader
    as_xlsx = client.get("/needs/export", params={"format": "xlsx", "country": "KEN"})
    assert as_xlsx.headers["content-disposition"] == 'attachment; filename="pux-needs.xlsx"'
    assert _rows(as_xlsx.content, "xlsx") == rows
    programmes = _rows(client.get("/programmes/export", params={"format": "csv"}).content, "csv")
    published = next(row for row in programmes[1:] if int(row[0]) == world.programmes["published_a"])
    techniques = published[programmes[0].index("technique_codes")]
    programme = session.get(Programme, world.programmes["published_a"])
    assert programme is not None and techniques.split(";") == programme.technique_codes


def _import(session: Session, actor_key: str, world: World, entity: str, content: str | bytes) -> Any:
    """``import_table`` of a CSV file by one of the world's people."""
    return tabular.import_table(
        session,
        actor=world.actors[actor_key],
        entity_name=entity,
        content=content.encode() if isinstance(content, str) else content,
        filename=f"{entity}.csv",
    )


def test_quotes_and_apostrophes_survive_an_export_imported_back(session: Session, world: World) -> None:
    """Quoting is RFC 4180 however the file starts: a need quoting a minister and a title in apostrophes
    come back as they were, and the file is all unchanged (no new version)."""
    quoted = 'The minister said "top priority" in 2025'
    drafter = world.actors["counterpart_ken"]
    needs_service.create_need(session, actor=drafter, data=need_data(title="'Atoms for Peace'"))
    for number in range(40):  # the quotes come after the first 4 KB of the file
        needs_service.create_need(session, actor=drafter, data=need_data(title=f"Plain need {number}"))
    needs_service.create_need(session, actor=drafter, data=need_data(title="Quoted", description=quoted))
    actor = world.actors["focal_ken"]
    exported = _export(session, actor=actor, entity_name="needs", filters=NeedFilter(country_iso3="KEN"))
    report = _import(session, "facilitator", world, "needs", exported)
    assert report.created == report.updated == 0 and report.unchanged == len(report.ids) >= 47
    assert session.scalars(select(Need.version).where(Need.description == quoted)).one() == 1
    assert session.scalars(select(Need.id).where(Need.title == "'Atoms for Peace'")).one() in report.ids


def test_doubled_quotes_late_in_a_file_are_read_as_one_quote(session: Session, world: World) -> None:
    """A first 4 KB without any doubled quote decides nothing about the rows after it."""

    def file(separator: str) -> str:
        header = ["country_iso3", "title", "thematic_area_code", "description", "currency", "visibility"]
        plain = [
            ["KEN", f"Plain need {n}", "health", "Nothing quoted here", "USD", "public"] for n in range(80)
        ]
        late = ["KEN", "Quoted need", "health", '"He said ""yes""; then, left"', "USD", "public"]
        return "".join(separator.join(cells) + "\n" for cells in [header, *plain, late])

    for content in (file(","), file(";"), file("\t")):
        report = _import(session, "counterpart_ken", world, "needs", content)
        assert report.created == 81
        created = session.scalars(select(Need).where(Need.id.in_(report.ids), Need.title == "Quoted need"))
        assert created.one().description == 'He said "yes"; then, left'


def test_an_update_leaving_columns_out_keeps_those_fields(session: Session, world: World) -> None:
    """A file of a few columns changes those alone; a column given blank still clears its field."""
    need = needs_service.create_need(
        session,
        actor=world.actors["counterpart_ken"],
        data=need_data(title="Cost kept", description="Bunker and machine", estimated_cost=Decimal("900")),
    )
    content = f"id,version,title,thematic_area_code,beneficiary_description\n{need.id},1,Renamed,health,\n"
    report = _import(session, "counterpart_ken", world, "needs", content)
    assert report.updated == 1
    assert (need.title, need.description, need.estimated_cost) == ("Renamed", "Bunker and machine", 900)
    assert (need.beneficiaries_count, need.beneficiary_description, need.version) == (40000, None, 2)
    content = f"id,version,title,thematic_area_code,description\n{need.id},2,Renamed,health,\n"
    _import(session, "counterpart_ken", world, "needs", content)
    assert need.description == "" and need.estimated_cost == 900 and need.version == 3


def test_a_programme_update_leaving_columns_out_keeps_them(session: Session, world: World) -> None:
    programme = programmes_service.create_programme(
        session,
        actor=world.actors["partner_a"],
        data=programme_data(
            world.organisations["donor_a"],
            visibility="partners",
            window_start=date(2026, 1, 1),
            window_end=date(2026, 12, 31),
        ),
    )
    content = (
        f"id,version,title,modality,thematic_area_codes\n{programme.id},1,Renamed grants,funding,health\n"
    )
    report = _import(session, "partner_a", world, "programmes", content)
    assert report.updated == 1 and programme.title == "Renamed grants"
    assert (programme.visibility, programme.total_budget, programme.max_per_need) == (
        "partners",
        5000000,
        1000000,
    )
    assert (programme.window_start, programme.window_end) == (date(2026, 1, 1), date(2026, 12, 31))
    assert programme.technique_codes == ["radiotherapy"]


def test_an_activity_update_leaving_columns_out_keeps_them(session: Session, world: World) -> None:
    activity = session.get(AssistanceActivity, world.activities["public_a"])
    assert activity is not None
    content = f"id,version,title\n{activity.id},{activity.version},Brachytherapy training: second round\n"
    report = _import(session, "partner_a", world, "activities", content)
    assert report.updated == 1 and activity.title == "Brachytherapy training: second round"
    assert (activity.amount_committed, activity.technique_code, activity.sdg_codes) == (
        250000,
        "brachytherapy",
        ["3", "3.4"],
    )


def _upload_page(client: TestClient, world: World, role: str, entity: str, content: str) -> Any:
    """The import page's form posted by a signed-in person, as a browser does."""
    sign_in(client, world.emails[role])
    return client.post(
        f"/{entity}/import",
        data={"csrf_token": csrf_token(client, f"/{entity}/import")},
        files={"file": (f"{entity}.csv", content.encode(), "text/csv")},
    )


def _problems_on(page: Any) -> str:
    text = html.unescape(page.text)
    return re.sub(r"<[^>]+>", "", text[text.find('class="problems"') :][:3000])


def _saved_counts(session: Session) -> tuple[int, ...]:
    return tuple(
        session.scalar(select(func.count()).select_from(model)) or 0
        for model in (Need, Programme, AssistanceActivity, AuditEvent)
    )


def test_a_programme_of_an_unknown_organisation_refuses_the_whole_file_on_the_page(
    client: TestClient, session: Session, world: World
) -> None:
    before = _saved_counts(session)
    content = (
        "organisation_id,title,modality,thematic_area_codes,currency\n"
        f"{world.organisations['donor_a']},A good programme first,training,health,USD\n"
        "99999,A programme of nobody,training,health,USD\n"
    )
    page = _upload_page(client, world, "admin", "programmes", content)
    assert page.status_code == 422
    assert "row 3, Organisation" in _problems_on(page) and "is not a known organisation" in _problems_on(page)
    assert _saved_counts(session) == before  # the good first row was not saved either


def test_two_rows_giving_one_external_id_refuse_the_whole_file_on_the_page(
    client: TestClient, session: Session, world: World
) -> None:
    before = _saved_counts(session)
    provider = world.organisations["donor_a"]
    row = f"DUP-1,Dosimetry training,{provider},KEN,100,USD\n"
    content = "external_id,title,provider_organisation_id,recipient_country_iso3,amount_committed,currency\n"
    page = _upload_page(client, world, "partner_a", "activities", content + row + row)
    assert page.status_code == 422
    problems = _problems_on(page)
    assert (
        "row 3, " in problems and "(external_id): row 2 of this file already has this identifier" in problems
    )
    assert _saved_counts(session) == before


def test_an_activity_linked_to_a_need_its_author_cannot_see_is_refused_before_saving(
    client: TestClient, session: Session, world: World
) -> None:
    before = _saved_counts(session)
    provider = world.organisations["donor_a"]
    content = (
        "title,provider_organisation_id,recipient_country_iso3,need_id,currency\n"
        f"Dosimetry training,{provider},KEN,,USD\n"
        f"Dosimetry audit,{provider},KEN,{world.needs['draft_ken']},USD\n"
    )
    page = _upload_page(client, world, "partner_a", "activities", content)
    assert page.status_code == 422 and "row 3, " in _problems_on(page)
    assert "(need_id): is not a known need" in _problems_on(page)
    assert _saved_counts(session) == before


def test_one_record_updated_by_two_rows_names_the_second_row(
    client: TestClient, session: Session, world: World
) -> None:
    need_id = world.needs["draft_ken"]
    content = f"id,version,title\n{need_id},1,Draft: edit A\n{need_id},1,Draft: edit B\n"
    page = _upload_page(client, world, "counterpart_ken", "needs", content)
    assert page.status_code == 422
    assert "row 3, " in _problems_on(page) and "this record is already updated by row 2" in _problems_on(page)
    assert session.get(Need, need_id).title == "Draft: second linear accelerator"  # type: ignore[union-attr]


def test_a_refusal_met_while_saving_undoes_the_rows_saved_before_it_and_names_its_row(
    client: TestClient, session: Session, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A record changed by someone else between the file's checks and its row's turn to be saved."""
    real_update = needs_service.update_need

    def changed_meanwhile(session: Session, **kwargs: Any) -> Need:
        if kwargs["need_id"] == world.needs["draft_ken"]:
            raise ValidationFailed([FieldProblem("title", "changed meanwhile")])
        return real_update(session, **kwargs)

    monkeypatch.setattr(needs_service, "update_need", changed_meanwhile)
    before = _saved_counts(session)
    content = (
        "id,version,country_iso3,title,thematic_area_code\n,,KEN,A need created first,health\n"
        f"{world.needs['submitted_ken']},2,KEN,Submitted: renamed,health\n"
        f"{world.needs['draft_ken']},1,KEN,Draft: renamed,health\n"
    )
    answer = client.post(
        "/api/v1/needs/import",
        headers=bearer(world.tokens["focal_ken"]),
        files={"file": ("needs.csv", content.encode(), "text/csv")},
    )
    assert answer.status_code == 422, answer.text
    assert answer.json()["problems"] == [{"field": "title", "message": "changed meanwhile", "row": 4}]
    page = _upload_page(client, world, "focal_ken", "needs", content)
    assert page.status_code == 422 and "row 4, " in _problems_on(page)
    assert _saved_counts(session) == before
    assert session.get(Need, world.needs["submitted_ken"]).title == "Submitted: brachytherapy suite"  # type: ignore[union-attr]


PAST_64_BITS = 2**63


@pytest.mark.parametrize(
    ("entity", "content", "fields"),
    [
        (
            "needs",
            f"country_iso3,title,thematic_area_code,organisation_id\nKEN,Cyclotron,health,{PAST_64_BITS}\n",
            {"organisation_id"},
        ),
        (
            "activities",
            "title,provider_organisation_id,recipient_country_iso3,need_id,programme_id\n"
            f"Dosimetry,{PAST_64_BITS},KEN,{PAST_64_BITS},{PAST_64_BITS * 4}\n",
            {"provider_organisation_id", "need_id", "programme_id"},
        ),
    ],
)
def test_record_numbers_past_64_bits_are_refused_naming_row_and_field(
    session: Session, world: World, entity: str, content: str, fields: set[str]
) -> None:
    with pytest.raises(ValidationFailed) as refused:
        _import(session, "admin", world, entity, content)
    assert {(p.row, p.field) for p in refused.value.problems} == {(2, field) for field in fields}


def _xlsx(*rows: list[str], merged: str | None = None) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    if merged:
        sheet.merge_cells(merged)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_data_under_a_column_without_header_is_refused_naming_row_and_column(
    session: Session, world: World
) -> None:
    before = _need_count(session)
    unnamed = (
        "country_iso3,title,thematic_area_code,\n"
        + "KEN,Cyclotron bunker,health,lost data\n"
        + "KEN,Fine row,health,\n"  # a trailing delimiter alone is no data
    )
    merged = _xlsx(
        ["country_iso3", "title", "thematic_area_code", "currency"],
        ["KEN", "Cyclotron bunker", "health", "USD"],
        merged="C1:D1",
    )
    for content, filename in ((unnamed.encode(), "needs.csv"), (merged, "needs.xlsx")):
        with pytest.raises(ValidationFailed) as refused:
            tabular.import_table(
                session,
                actor=world.actors["counterpart_ken"],
                entity_name="needs",
                content=content,
                filename=filename,
            )
        assert [(p.row, p.message) for p in refused.value.problems] == [
            (2, "column 4 (D) has no header but this row holds data in it")
        ]
    assert _need_count(session) == before


def test_blank_lines_at_the_end_of_a_file_do_not_count_as_rows(session: Session, world: World) -> None:
    """A spreadsheet saved as CSV may end in thousands of empty rows (",,"): they are no rows."""
    content = (
        "country_iso3,title,thematic_area_code\n"
        + "KEN,Trailing blanks first,health\nKEN,Trailing blanks second,health\n"
        + ",,\n" * 60_000
    )
    report = _import(session, "counterpart_ken", world, "needs", content)
    assert report.created == 2


def test_numbers_that_cannot_be_read_are_refused_in_the_readers_words(session: Session, world: World) -> None:
    content = (
        "country_iso3,title,thematic_area_code,beneficiaries_women_share,beneficiaries_count,"
        + "estimated_cost,cofinancing_amount\n"
        + f"KEN,Superscript share,health,²,{'9' * 5000},1234.567,NaN\n"
    )
    with pytest.raises(ValidationFailed) as refused:
        _import(session, "counterpart_ken", world, "needs", content)
    assert {(p.row, p.field, p.message) for p in refused.value.problems} == {
        (2, "beneficiaries_women_share", "must be a whole number"),
        (2, "beneficiaries_count", "has too many digits (at most 20)"),
        (2, "cofinancing_amount", "must be a number, written as in 1,250,000.50"),
        (2, "estimated_cost", "must have at most 2 decimals"),  # the cells read are checked too
    }
    content = "country_iso3,title,thematic_area_code,estimated_cost\nKEN,Three decimals,health,1234.567\n"
    with pytest.raises(ValidationFailed) as refused:
        _import(session, "counterpart_ken", world, "needs", content)
    assert [(p.row, p.field, p.message) for p in refused.value.problems] == [
        (2, "estimated_cost", "must have at most 2 decimals")
    ]


def _with_sheet_xml(content: bytes, change: Any, part: str = "xl/worksheets/sheet1.xml") -> bytes:
    """A copy of a workbook whose first sheet's XML (or another ``part``) is ``change``d (as another
    program might write it)."""
    source, target = zipfile.ZipFile(io.BytesIO(content)), io.BytesIO()
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as copy:
        for item in source.infolist():
            data = source.read(item.filename)
            copy.writestr(item, change(data) if item.filename == part else data)
    return target.getvalue()


NEEDS_SHEET = (["country_iso3", "title", "thematic_area_code"], ["KEN", "Cyclotron bunker", "health"])


def _import_xlsx(session: Session, world: World, content: bytes) -> Any:
    return tabular.import_table(
        session,
        actor=world.actors["counterpart_ken"],
        entity_name="needs",
        content=content,
        filename="n.xlsx",
    )


def test_a_sheet_declaring_every_column_is_read_as_wide_as_its_cells() -> None:
    """The size a sheet declares is not trusted: "A1:XFD3001" made each of its 3,000 rows 16,384 cells wide
    (7 s to read them, two minutes for the 50,000 rows an import takes)."""
    rows = [["KEN", f"Cyclotron bunker {number}", "health"] for number in range(3000)]
    declared = _with_sheet_xml(
        _xlsx(NEEDS_SHEET[0], *rows),
        lambda xml: re.sub(rb'<dimension ref="[^"]+"/>', b'<dimension ref="A1:XFD3001"/>', xml),
    )
    started = time.monotonic()
    table = read_table(declared, "needs.xlsx")
    assert time.monotonic() - started < 2
    assert table.header == NEEDS_SHEET[0] and len(table.rows) == 3000 and not table.problems


def test_a_sheet_with_cells_past_200_columns_is_refused_naming_the_row(
    session: Session, world: World
) -> None:
    empty_cells = b"<c/>" * 300
    wide = _with_sheet_xml(
        _xlsx(*NEEDS_SHEET),
        lambda xml: re.sub(rb'<dimension ref="[^"]+"/>', b"", xml).replace(
            b"</row>", empty_cells + b"</row>"
        ),
    )
    with pytest.raises(ValidationFailed) as refused:
        _import_xlsx(session, world, wide)
    assert [(p.row, p.message) for p in refused.value.problems] == [
        (1, "this row has cells past column 200 (GR): an import reads at most 200 columns; "
         "delete the columns after your data")
    ]  # fmt: skip


def test_an_xlsx_cell_longer_than_a_csv_cell_may_be_is_refused(session: Session, world: World) -> None:
    # Excel holds at most 32,767 characters in a cell (openpyxl reads no more of a shared text); another
    # program may write more, as an inline text.
    written = _xlsx([*NEEDS_SHEET[0], "description"], [*NEEDS_SHEET[1], "placeholder"])
    inline = b'<c r="D2" t="inlineStr"><is><t>' + b"x" * 100_001 + b"</t></is></c>"
    long = _with_sheet_xml(written, lambda xml: re.sub(rb'<c r="D2"[^>]*>.*?</c>', inline, xml))
    with pytest.raises(ValidationFailed) as refused:
        _import_xlsx(session, world, long)
    assert [(p.row, p.field, p.message) for p in refused.value.problems] == [
        (2, "description", "is too long (at most 100000 characters)")
    ]
