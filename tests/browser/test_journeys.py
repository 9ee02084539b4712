"""One journey per role in a real browser against the live server, from sign-in to the end of the task.

The journeys follow one need through its life: a counterpart drafts it (a first try with mistakes is
refused whole) and submits it; the focal point finds it in the task inbox, endorses, publishes and ranks
it; a donor publishes a programme that fits it; a facilitator runs an allocation round (an impossible
LDC floor first); both sides accept the proposal; and the focal point exports a filtered needs list and
imports it back unchanged.

Each journey is a step of one story: a test run alone first runs the steps it needs. Every record is
created with a title carrying this run's token and removed at the end, so the other tests see the world
as it was built. Screenshots go to test-artifacts/journeys/<role>-<step>-<width>-<lang>.png.
"""

from __future__ import annotations

import csv
import io
import re
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect
from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from pux.assistance.models import AssistanceActivity
from pux.audit.models import AuditEvent
from pux.matching.models import AllocationRound, MatchProposal
from pux.needs.models import Need, need_sdg_target, need_technique
from pux.programmes.models import Programme
from tests.browser.walking import sign_in, step, switch_language
from tests.world import World

pytestmark = pytest.mark.browser

TOKEN = f"J{uuid.uuid4().hex[:8]}"
NEED_TITLE = f"Journey {TOKEN}: hypofractionated radiotherapy for cervical cancer in Kisumu"
PROGRAMME_TITLE = f"Journey {TOKEN}: radiotherapy access fund"
ROUND_TITLE = f"Journey {TOKEN}: health round"
WIDTHS = (1280, 390)
ARABIC = "العربية"


# ---------------------------------------------------------------- browser helpers


def _inbox_count(page: Any) -> int:
    """The number beside "My tasks" in the header (0 when no badge is shown)."""
    badge = page.locator("header a.tasks-link .count-badge")
    return int(badge.inner_text()) if badge.count() else 0


def _proposal_row(page: Any) -> Any:
    row = page.locator("tr").filter(has_text=NEED_TITLE).filter(has_text=PROGRAMME_TITLE)
    assert row.count() == 1, "the proposal of this journey's need and programme is listed once"
    return row


def _history_reads_forward(page: Any) -> None:
    """The history's "from → to" arrow points the way the page reads (arrows are not mirrored)."""
    change = page.locator(".history ul.changes li").last.inner_text()
    rtl = page.locator("html").get_attribute("dir") == "rtl"
    assert ("←" in change and "→" not in change) if rtl else ("→" in change and "←" not in change)


# ---------------------------------------------------------------- the story


@dataclass
class Journey:
    base: str
    browser: Any
    world: World
    engine: Engine
    folder: Path
    started: set[str] = field(default_factory=set)
    done: dict[str, Any] = field(default_factory=dict)
    need_url: str = ""
    programme_url: str = ""
    round_url: str = ""
    shots: list[Path] = field(default_factory=list)

    def page_for(self, role: str) -> Any:
        context = self.browser.new_context(locale="en", viewport={"width": WIDTHS[0], "height": 900})
        page = context.new_page()
        sign_in(page, self.base, self.world.emails[role])
        return page

    def shoot(
        self,
        page: Any,
        role: str,
        step: str,
        *,
        arabic: bool = False,
        check: Callable[[Any], None] | None = None,
    ) -> None:
        """Full-page screenshots at each width, in English and (for end states) in Arabic; ``check`` looks
        at the page in each language."""
        if check:
            check(page)
        self._shoot_widths(page, role, step, "en")
        if arabic:
            shown = page.url
            switch_language(page, ARABIC)
            assert page.url == shown  # the same page, query and all
            assert page.locator("html").get_attribute("dir") == "rtl"
            assert page.locator("html").get_attribute("lang") == "ar"
            if check:
                check(page)
            self._shoot_widths(page, role, step, "ar")
            switch_language(page, "English")
            assert page.locator("html").get_attribute("dir") == "ltr" and page.url == shown

    def _shoot_widths(self, page: Any, role: str, step: str, language: str) -> None:
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            path = self.folder / f"{role}-{step}-{width}-{language}.png"
            page.screenshot(path=str(path), full_page=True)
            self.shots.append(path)
        page.set_viewport_size({"width": WIDTHS[0], "height": 900})

    def need_count(self) -> int:
        with Session(self.engine) as session:
            return int(session.scalar(select(func.count()).select_from(Need)) or 0)

    def open_proposal_from_inbox(self, page: Any) -> None:
        """From the header's "My tasks" to the round page of this journey's proposal."""
        page.locator("header").get_by_role("link", name=re.compile("^My tasks")).click()
        waiting = page.get_by_role("heading", name="Proposals waiting for your decision")
        page.locator("section", has=waiting).get_by_role(
            "link", name=re.compile(re.escape(NEED_TITLE))
        ).click()
        page.wait_for_url(self.round_url)

    # -- counterpart

    @step
    def counterpart(self) -> None:
        page = self.page_for("counterpart_ken")
        page.goto(f"{self.base}/needs")
        page.get_by_role("link", name="Draft a need").click()
        page.wait_for_url(f"{self.base}/needs/new")
        assert page.get_by_role("combobox", name="Country", exact=True).input_value() == "KEN"

        # First try: a title too short and an SDG target that does not exist.
        page.get_by_label("Title").fill("Rx")
        page.get_by_label("Thematic area").select_option("health")
        page.get_by_label("External beam radiotherapy", exact=True).check()
        page.get_by_label("SDG targets (official codes, separated by commas)").fill("3.4, 3.99")
        page.get_by_role("checkbox", name="Funding").check()
        page.get_by_label("Estimated cost").fill("800000")
        page.get_by_label("Number of people who benefit").fill("12000")
        needs_before = self.need_count()
        with page.expect_response(lambda r: r.request.method == "POST") as posted:
            page.get_by_role("button", name="Save draft").click()
        assert posted.value.status == 422
        page.wait_for_load_state()
        summary = page.locator(".problems")
        assert "Nothing was saved" in summary.inner_text()
        assert summary.locator("li").count() == 2  # every mistake at once
        title_error = page.locator(".field.has-error", has=page.locator("#f-title")).locator(".field-error")
        assert title_error.is_visible() and title_error.inner_text().startswith("is too short")
        sdg_error = page.locator(".field.has-error", has=page.locator("#f-sdg_target_codes"))
        assert "3.99" in sdg_error.locator(".field-error").inner_text()
        assert page.get_by_label("Title").get_attribute("aria-invalid") == "true"
        # What was typed is kept, and nothing was saved.
        sdg_field = page.get_by_label("SDG targets (official codes, separated by commas)")
        assert sdg_field.input_value() == "3.4, 3.99"
        assert page.get_by_label("Estimated cost").input_value() == "800000"
        assert page.get_by_label("External beam radiotherapy", exact=True).is_checked()
        assert self.need_count() == needs_before
        self.shoot(page, "counterpart", "1-form-errors")

        # Corrected: saved as a draft, with a confirmation.
        page.get_by_label("Title").fill(NEED_TITLE)
        page.get_by_label("SDG targets (official codes, separated by commas)").fill("3.4")
        page.get_by_role("button", name="Save draft").click()
        page.wait_for_url(re.compile(r".*/needs/\d+$"))
        self.need_url = page.url
        assert page.locator("h1").inner_text() == NEED_TITLE
        draft_saved = re.compile(r"Draft (KEN-\d{4}-\d+) saved\. Submit it when it is ready\.")
        expect(page.locator(".flash")).to_have_text(draft_saved)
        saved = draft_saved.search(page.locator(".flash").inner_text())
        assert saved and saved.group(1) in page.locator("main > p").first.inner_text()
        expect(page.locator(".status").first).to_have_text("Draft")
        self.shoot(page, "counterpart", "2-draft-saved")

        page.get_by_role("button", name="Submit for endorsement").click()
        page.wait_for_load_state()
        expect(page.locator(".flash")).to_contain_text(
            "Submitted: the country's focal point can now endorse it."
        )
        expect(page.locator(".status").first).to_have_text("Submitted")
        assert page.get_by_role("button", name="Endorse").count() == 0  # a counterpart cannot endorse
        self.shoot(page, "counterpart", "3-submitted", arabic=True, check=_history_reads_forward)
        page.context.close()

    # -- focal point

    @step
    def focal_point(self) -> None:
        self.counterpart()
        page = self.page_for("focal_ken")
        waiting = _inbox_count(page)
        assert waiting >= 1, "the header shows how many things wait"
        page.locator("header").get_by_role("link", name=re.compile("^My tasks")).click()
        page.wait_for_url(f"{self.base}/me")
        to_endorse = page.locator("section", has=page.get_by_role("heading", name="Needs to endorse"))
        to_endorse.get_by_role("link", name=re.compile(re.escape(NEED_TITLE))).click()
        page.wait_for_url(self.need_url)
        self.shoot(page, "focal", "1-from-inbox")

        page.get_by_role("button", name="Endorse").click()
        page.wait_for_load_state()
        expect(page.locator(".flash")).to_contain_text("Endorsed. Publish it when partners may see it.")
        expect(page.locator(".status").first).to_have_text("Endorsed")
        page.get_by_role("button", name="Publish").click()
        page.wait_for_load_state()
        expect(page.locator(".flash")).to_contain_text("Published: partners can now find it")
        expect(page.locator(".status").first).to_have_text("Published")
        assert _inbox_count(page) == waiting - 1  # nothing more to do on this need
        # The history names each step in words, not as stored codes.
        expect(page.locator(".history")).to_contain_text("Status: Endorsed → Published")
        assert "draft → submitted" not in page.locator(".history").inner_text()
        self.shoot(page, "focal", "2-published")

        page.get_by_role("link", name="National priority order").click()
        page.wait_for_url(f"{self.base}/countries/KEN/ranking")
        page.get_by_label(f"Place of {NEED_TITLE}").fill("1")
        page.get_by_role("button", name="Save the order").click()
        page.wait_for_load_state()
        expect(page.locator(".flash")).to_contain_text("The national priority order was saved.")
        first = page.locator("table.data tbody tr").first
        assert NEED_TITLE in first.inner_text()
        assert first.get_by_role("spinbutton").input_value() == "1"
        self.shoot(page, "focal", "3-ranked", arabic=True)
        page.goto(self.need_url)
        assert "National priority 1" in page.locator("main").inner_text()
        page.context.close()

    # -- donor

    @step
    def donor(self) -> None:
        self.focal_point()
        page = self.page_for("partner_a")
        page.goto(f"{self.base}/programmes")
        page.get_by_role("link", name="Publish a programme").click()
        page.wait_for_url(f"{self.base}/programmes/new")
        organisation = page.get_by_label("Organisation").locator("option:checked")
        assert organisation.inner_text() == "Test Donor Agency A"
        page.get_by_label("Title").fill(PROGRAMME_TITLE)
        page.get_by_label("Description").fill("Grants for radiotherapy in public cancer centres.")
        page.get_by_label("Modality").select_option("funding")
        page.get_by_role("checkbox", name="Health and nutrition").check()
        page.get_by_label("External beam radiotherapy", exact=True).check()
        page.get_by_label("SDG targets (official codes, separated by commas)").fill("3.4")
        page.get_by_label("Total budget").fill("2000000")
        page.get_by_label("Remaining capacity").fill("2000000")
        page.get_by_label("Maximum per need").fill("1000000")
        page.get_by_role("button", name="Save", exact=True).click()
        page.wait_for_url(re.compile(r".*/programmes/\d+$"))
        self.programme_url = page.url
        assert page.locator("h1").inner_text() == PROGRAMME_TITLE
        expect(page.locator(".flash")).to_contain_text("Programme saved as a draft.")
        expect(page.locator(".status").first).to_have_text("Draft")

        page.get_by_role("button", name="Publish").click()
        page.wait_for_load_state()
        expect(page.locator(".flash")).to_contain_text(
            "Published: countries and partners can now see this programme."
        )
        expect(page.locator(".status").first).to_have_text("Published")
        fits = page.locator("section", has=page.get_by_role("heading", name="Needs that fit"))
        expect(fits.get_by_role("link", name=NEED_TITLE)).to_be_visible()
        self.shoot(page, "donor", "1-programme-published", arabic=True)
        page.context.close()

    # -- facilitator

    @step
    def facilitator(self) -> None:
        self.donor()
        page = self.page_for("facilitator")
        page.locator("header").get_by_role("link", name="Matching").click()
        page.wait_for_url(f"{self.base}/matching")
        page.get_by_label("Title").fill(ROUND_TITLE)
        floor = page.get_by_label("Floor for least developed countries (%, optional)")
        floor.fill("100")
        page.get_by_role("button", name="Run the round").click()
        # The round runs as a job: its page follows it and, when the rules cannot be met, says why.
        page.wait_for_url(re.compile(r".*/jobs/\d+$"))
        expect(page.locator(".flash")).to_contain_text("The round is queued")
        failed = page.locator("section.error")
        expect(failed).to_be_visible(timeout=60_000)  # the page reloads itself until the job has ended
        assert "No allocation can meet these rules" in failed.inner_text()
        assert "Lower the floor" in failed.inner_text()
        assert "ldc_floor_percent" not in failed.inner_text()  # words for people, not the form's field codes
        self.shoot(page, "facilitator", "1-infeasible-floor")
        expect(failed.get_by_role("button", name="Try again")).to_have_count(0)  # it would be refused again
        failed.get_by_role("link", name="Back to the round's rules").click()
        page.wait_for_url(re.compile(r".*/matching\?.*"))
        assert page.get_by_role("link", name=ROUND_TITLE).count() == 0  # no round was stored
        # The form shows again the title and rules the round was asked with; the floor is lowered.
        expect(page.get_by_label("Title")).to_have_value(ROUND_TITLE)
        expect(floor).to_have_value("100")
        floor.fill("")
        page.get_by_role("button", name="Run the round").click()
        page.wait_for_url(re.compile(r".*/jobs/\d+$"))
        done = page.get_by_role("link", name="Open the round and its proposals")
        expect(done).to_be_visible(timeout=60_000)
        self.shoot(page, "facilitator", "2-round-job-done", arabic=True)
        done.click()
        page.wait_for_url(re.compile(r".*/matching/rounds/\d+$"))
        self.round_url = page.url
        assert page.locator("h1").inner_text() == ROUND_TITLE
        row = _proposal_row(page)
        cells = row.locator("td")
        assert cells.nth(4).inner_text() == "—" and cells.nth(5).inner_text() == "—"  # nobody decided yet
        self.shoot(page, "facilitator", "2-round-proposals", arabic=True)
        page.context.close()

    # -- both sides decide

    @step
    def decisions(self) -> None:
        self.facilitator()
        donor = self.page_for("partner_a")
        self.open_proposal_from_inbox(donor)
        row = _proposal_row(donor)

        # A decline must say why: the browser asks for the reason before anything is sent...
        row.get_by_text("Decline", exact=True).click()
        reason = row.get_by_label("Why is it declined? (required)")
        expect(reason).to_be_visible()
        posts: list[str] = []
        donor.on("request", lambda request: posts.append(request.url) if request.method == "POST" else None)
        row.get_by_role("button", name="Decline the proposal").click()
        assert reason.evaluate("element => element.validity.valueMissing") is True
        assert reason.evaluate("element => element.validationMessage") != ""
        assert posts == [] and donor.url == self.round_url
        self.shoot(donor, "donor", "2-decline-asks-reason")
        # ...and the server refuses it too (a browser that does not check forms), naming the field.
        reason.evaluate("element => element.removeAttribute('required')")
        with donor.expect_response(lambda r: r.request.method == "POST") as posted:
            row.get_by_role("button", name="Decline the proposal").click()
        donor.wait_for_load_state()
        assert posted.value.status == 422
        # Beside the reason box of its own form, which comes back open (not on a page of its own).
        refusal = donor.locator("main p.field-error")
        expect(refusal).to_have_text("say why the proposal is declined")
        assert donor.locator("main textarea[aria-invalid=true]").get_attribute("aria-describedby") == (
            refusal.get_attribute("id")
        )
        self.shoot(donor, "donor", "3-decline-refused-without-reason")
        donor.goto(self.round_url)
        row = _proposal_row(donor)
        assert row.locator("td").nth(4).inner_text() == "—"  # still undecided

        row.get_by_role("button", name="Accept").click()
        donor.wait_for_load_state()
        expect(donor.locator(".flash")).to_contain_text("Your acceptance was recorded.")
        row = _proposal_row(donor)
        assert row.locator("td").nth(4).inner_text() == "Accepted"
        assert "Waiting for the other side" in row.locator("td").nth(6).inner_text()
        self.shoot(donor, "donor", "4-accepted", arabic=True)
        donor.context.close()

        focal = self.page_for("focal_ken")
        self.open_proposal_from_inbox(focal)
        row = _proposal_row(focal)
        assert row.locator("td").nth(4).inner_text() == "Accepted"
        row.get_by_role("button", name="Accept").click()
        focal.wait_for_load_state()
        # The second acceptance makes the match: the country is told which pipeline activity records it.
        expect(focal.locator(".flash")).to_contain_text("Both sides have accepted: pipeline activity")
        row = _proposal_row(focal)
        assert row.locator("td").nth(5).inner_text() == "Accepted"
        # Both sides: a match, and the pipeline activity that records it.
        assert row.locator("td").nth(6).inner_text().startswith("Accepted: activity ")
        self.shoot(focal, "focal", "4-proposal-accepted")
        focal.goto(self.need_url)
        expect(focal.locator(".status").first).to_have_text("Matched")
        self.shoot(focal, "focal", "5-need-matched", arabic=True)
        focal.context.close()

    # -- export and import

    @step
    def export_import(self) -> None:
        self.decisions()
        page = self.page_for("focal_ken")
        page.locator("header").get_by_role("link", name="Needs", exact=True).click()
        page.wait_for_url(f"{self.base}/needs")
        filters = page.locator("form.filters")
        filters.get_by_label("Country").select_option("KEN")
        filters.get_by_label("Status").select_option("published")
        filters.get_by_role("button", name="Filter").click()
        page.wait_for_url(re.compile(r".*/needs\?.*status=published"))
        total = int(re.search(r"of (\d+)", page.locator("p.count").inner_text()).group(1))  # type: ignore[union-attr]
        listed = page.locator("table.data tbody tr").count()
        assert total == listed >= 1
        with page.expect_download() as download_info:
            page.get_by_role("link", name="CSV", exact=True).click()
        download = download_info.value
        exported = self.folder / "focal-needs-export.csv"
        download.save_as(str(exported))
        rows = list(csv.DictReader(io.StringIO(exported.read_text(encoding="utf-8-sig"))))
        assert len(rows) == total
        assert {row["status"] for row in rows} == {"published"}
        assert {row["country_iso3"] for row in rows} == {"KEN"}
        exported_ids = {int(row["id"]) for row in rows}
        assert self.world.needs["published_ken"] in exported_ids
        assert self.world.needs["submitted_ken"] not in exported_ids  # filtered out
        assert NEED_TITLE not in {row["title"] for row in rows}  # matched now, not published
        self.shoot(page, "focal", "6-filtered-list", arabic=True)
        # The language switch keeps the filters: the same rows, the status still chosen.
        assert re.search(r"status=published", page.url)
        assert filters.get_by_label("Status").input_value() == "published"
        assert page.locator("table.data tbody tr").count() == listed

        page.get_by_role("link", name="Import needs from CSV or Excel").click()
        page.wait_for_url(f"{self.base}/needs/import")
        page.get_by_label("File").set_input_files(str(exported))
        page.get_by_role("button", name="Import").click()
        page.wait_for_load_state()
        report = page.locator(".notice[role=status]").inner_text()
        assert f"Imported: 0 new, 0 updated, {total} unchanged." in report
        self.shoot(page, "focal", "7-import-unchanged")

        # The same file again, in Arabic: still nothing changes.
        switch_language(page, ARABIC)
        assert page.locator("html").get_attribute("dir") == "rtl"
        page.locator("#f-file").set_input_files(str(exported))
        page.locator("form.form button[type=submit]").click()
        page.wait_for_load_state()
        arabic_report = page.locator(".notice[role=status]").inner_text()
        assert re.findall(r"\d+", arabic_report) == ["0", "0", str(total)]
        assert page.locator(".problems").count() == 0
        self._shoot_widths(page, "focal", "7-import-unchanged", "ar")
        switch_language(page, "English")
        page.context.close()


# ---------------------------------------------------------------- fixtures


def _remove_journey_records(engine: Engine, first_audit_id: int, ranks: dict[int, int | None]) -> None:
    """Take out everything this module created; put the other Kenyan needs' ranks back."""
    like = f"%{TOKEN}%"
    with Session(engine) as session, session.begin():
        need_ids = list(session.scalars(select(Need.id).where(Need.title.like(like))))
        programme_ids = list(session.scalars(select(Programme.id).where(Programme.title.like(like))))
        round_ids = list(session.scalars(select(AllocationRound.id).where(AllocationRound.title.like(like))))
        proposal_ids = list(
            session.scalars(
                select(MatchProposal.id).where(
                    or_(
                        MatchProposal.round_id.in_(round_ids),
                        MatchProposal.need_id.in_(need_ids),
                        MatchProposal.programme_id.in_(programme_ids),
                    )
                )
            )
        )
        activity_ids = list(
            session.scalars(
                select(AssistanceActivity.id).where(
                    or_(
                        AssistanceActivity.need_id.in_(need_ids),
                        AssistanceActivity.programme_id.in_(programme_ids),
                    )
                )
            )
        )
        session.execute(delete(MatchProposal).where(MatchProposal.id.in_(proposal_ids)))
        session.execute(delete(AssistanceActivity).where(AssistanceActivity.id.in_(activity_ids)))
        session.execute(delete(AllocationRound).where(AllocationRound.id.in_(round_ids)))
        session.execute(delete(need_technique).where(need_technique.c.need_id.in_(need_ids)))
        session.execute(delete(need_sdg_target).where(need_sdg_target.c.need_id.in_(need_ids)))
        session.execute(delete(Need).where(Need.id.in_(need_ids)))
        for table in Programme.metadata.sorted_tables:
            if table.name.startswith("programme_") and "programme_id" in table.c:
                session.execute(delete(table).where(table.c.programme_id.in_(programme_ids)))
        session.execute(delete(Programme).where(Programme.id.in_(programme_ids)))
        mine = {
            "need": need_ids,
            "programme": programme_ids,
            "allocation_round": round_ids,
            "match_proposal": proposal_ids,
            "assistance_activity": activity_ids,
        }
        for entity_type, ids in mine.items():
            session.execute(
                delete(AuditEvent).where(
                    AuditEvent.entity_type == entity_type, AuditEvent.entity_id.in_([str(i) for i in ids])
                )
            )
        session.execute(
            delete(AuditEvent).where(
                AuditEvent.id > first_audit_id,
                AuditEvent.entity_type == "country_needs",
                AuditEvent.entity_id == "KEN",
            )
        )
        for need_id, rank in ranks.items():
            session.execute(update(Need).where(Need.id == need_id).values(national_rank=rank))


@pytest.fixture(scope="module")
def journey(
    live_server: str, browser: Any, world: World, engine: Engine, artifacts_dir: Path
) -> Iterator[Journey]:
    folder = artifacts_dir / "journeys"
    folder.mkdir(parents=True, exist_ok=True)
    with Session(engine) as session:
        first_audit_id = int(session.scalar(select(func.max(AuditEvent.id))) or 0)
        rows = session.execute(select(Need.id, Need.national_rank).where(Need.country_iso3 == "KEN"))
        ranks: dict[int, int | None] = {need_id: rank for need_id, rank in rows}
    story = Journey(base=live_server, browser=browser, world=world, engine=engine, folder=folder)
    try:
        yield story
    finally:
        _remove_journey_records(engine, first_audit_id, ranks)


# ---------------------------------------------------------------- the journeys


def test_counterpart_drafts_with_mistakes_then_saves_and_submits(journey: Journey) -> None:
    journey.counterpart()


def test_focal_point_endorses_publishes_and_ranks_from_the_inbox(journey: Journey) -> None:
    journey.focal_point()


def test_donor_publishes_a_programme_and_sees_the_need_that_fits(journey: Journey) -> None:
    journey.donor()


def test_facilitator_runs_a_round_and_both_sides_accept_the_proposal(journey: Journey) -> None:
    journey.facilitator()
    journey.decisions()


def test_focal_point_exports_filtered_needs_and_imports_them_unchanged(journey: Journey) -> None:
    journey.export_import()
