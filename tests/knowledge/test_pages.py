"""The knowledge pages and JSON routes through the real app: every technique has a page, unknowns are
labelled, Markdown is sanitised, the calculator computes a hand-checked case and names what is missing,
checks and disputes go through the forms, stale edits get 409."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from pux.accounts import service as accounts
from pux.accounts.permissions import Actor
from pux.knowledge import repository, service
from pux.knowledge import vocabulary as v
from pux.knowledge.markdown import render_markdown
from pux.knowledge.schemas import EvidenceCreate, MythCreate, StoryCreate, TranslationFields
from pux.knowledge.seed import SeedReport
from pux.reference import service as reference
from tests.web.accessibility import accessibility_problems
from tests.web_helpers import bearer, csrf_token, sign_in
from tests.world import World

ATTACKS = (
    "<script>alert(1)</script>\n\n"
    '<img src=x onerror="alert(2)">\n\n'
    "[click](javascript:alert(3)) [ok](https://example.org)\n\n"
    '<a href="javascript:alert(4)" onclick="alert(5)">raw</a>\n\n'
    "[data](data:text/html;base64,PHNjcmlwdD4=)"
)


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def _dangerous(html: str) -> list[str]:
    parser = _Tags()
    parser.feed(html)
    found = []
    for tag, attrs in parser.tags:
        if tag in {"script", "img", "iframe", "object"}:
            found.append(tag)
        for name, value in attrs.items():
            if name.startswith("on"):
                found.append(f"{tag}[{name}]")
            if name in {"href", "src"} and value and not value.startswith(("http", "/", "#", "?", "mailto:")):
                found.append(f"{tag}[{name}={value}]")
    return found


def test_markdown_never_lets_scripts_handlers_or_javascript_links_through() -> None:
    html = render_markdown(ATTACKS)
    assert _dangerous(html) == []
    # Typed tags are shown as text (escaped); no element, handler or javascript: link is made.
    assert "<script" not in html and '<a href="javascript' not in html
    assert '<a href="https://example.org" rel="nofollow noopener">ok</a>' in html


def test_a_myth_page_shows_sanitised_markdown(
    client: TestClient, session: Session, world: World, editor: Actor
) -> None:
    myth = service.create_myth(
        session,
        actor=editor,
        data=MythCreate(
            claim="Irradiated food glows in the dark",
            finding="It **does not**.\n\n" + ATTACKS,
            sources=[{"title": "A source", "year": 2020, "url": "https://example.org/s"}],  # type: ignore[list-item]
            is_published=True,
        ),
    )
    page = client.get(f"/myths/{myth.slug}")
    assert page.status_code == 200
    assert "<strong>does not</strong>" in page.text
    main = page.text.split('<main id="main"', 1)[1]
    assert _dangerous(main) == []
    assert "Not yet reviewed" in page.text  # its editor published it: no one has reviewed it


def test_every_technique_has_a_page(client: TestClient, session: Session, seeded: SeedReport) -> None:
    techniques = reference.list_techniques(session)
    assert len(techniques) == 28
    listing = client.get("/techniques")
    assert listing.status_code == 200
    for technique in techniques:
        slug = service.technique_slug(technique.code)
        assert f"/techniques/{slug}" in listing.text or technique.code == "sterile_insect"
        page = client.get(f"/techniques/{slug}")
        assert page.status_code == 200, technique.code
        assert technique.name() in page.text.replace("&#39;", "'")


def test_unknown_cells_and_sources_are_labelled(client: TestClient, seeded: SeedReport) -> None:
    page = client.get("/techniques/sterile-insect-technique")
    assert page.status_code == 200
    time_row = re.search(r"<th scope=\"row\">Time</th>(.*?)</tr>", page.text, re.S)
    assert time_row is not None
    assert time_row.group(1).count(">unknown<") == 2 and "no source known" in time_row.group(1)
    assert "doi.org/10.1201/9781003035572" in page.text
    assert "Benefit-cost ratio of a screwworm eradication programme" in page.text


def test_a_reader_in_french_sees_the_draft_translation_labelled_and_the_fallback_labelled(
    client: TestClient, seeded: SeedReport
) -> None:
    client.get("/language/fr")
    page = client.get("/techniques/sterile-insect-technique")
    assert "Des mâles stériles sont lâchés." in page.text
    assert 'lang="en"' in page.text  # the prerequisite without French, shown in English and labelled


def test_the_calculator_computes_a_hand_checked_case(client: TestClient, seeded: SeedReport) -> None:
    # Costs 100 now and 10 a year, benefits 50 a year, 3 years, no discounting:
    # PV costs 130, PV benefits 150, NPV 20, ratio 150/130 = 1.15; range ±10 %:
    # 150*0.9 - 130*1.1 = -8 and 150*1.1 - 130*0.9 = 48.
    query = {
        "investment": "100", "investment__currency": "USD", "running_cost": "10",
        "running_cost__currency": "USD", "benefit": "50", "benefit__currency": "USD",
        "horizon_years": "3", "discount_percent": "0", "sensitivity_percent": "10",
    }  # fmt: skip
    page = client.get("/techniques/sterile-insect-technique", params=query)
    assert page.status_code == 200
    assert re.search(r'class="npv"><span dir="ltr">20</span>', page.text)
    assert re.search(r'class="bcr">1\.15', page.text)
    assert "-8 … 48" in page.text


def test_the_calculator_names_a_missing_input_and_states_conversions(
    client: TestClient, seeded: SeedReport
) -> None:
    query = {"investment": "100", "investment__currency": "USD", "benefit": "50", "benefit__currency": "EUR"}
    page = client.get("/techniques/sterile-insect-technique", params=query)
    assert "Missing inputs" in page.text
    assert "Running cost per year" in page.text.split("Missing inputs", 1)[1]
    assert "EUR→USD" in page.text.split("Missing inputs", 1)[1]
    query |= {"running_cost": "0", "running_cost__currency": "USD", "rate_from": "EUR", "rate_value": "1.1",
              "rate_year": "2024", "rate_source": "ECB reference rate"}  # fmt: skip
    page = client.get("/techniques/sterile-insect-technique", params=query)
    assert "Currency conversions" in page.text
    # 50 × 1.1 is 55.000000000000007 in floating point: an amount, shown with its cents.
    assert "50 EUR × 1.1 = 55.00 USD" in page.text and "ECB reference rate" in page.text


def _entry(session: Session, author: Actor, comparator: str = "") -> int:
    data = EvidenceCreate(
        technique_code="sterile_insect",
        comparator=comparator,
        claim="Cost per hectare protected by sterile flies",
        value=40,
        unit="USD per hectare",
        currency="USD",
        citation_title="Area-wide programme costs",
        citation_year=2019,
        citation_url="https://example.org/aw",
    )
    return service.create_evidence(session, actor=author, data=data).id


def test_a_reviewer_checks_through_the_page_and_the_ledger_says_who(
    client: TestClient, session: Session, world: World, editor: Actor, reviewer: Actor
) -> None:
    entry_id = _entry(session, editor)
    sign_in(client, "reviewer@test.pux.invalid")
    page = client.get(f"/evidence/{entry_id}")
    assert "mark checked" in page.text
    token = csrf_token(client, f"/evidence/{entry_id}")
    answer = client.post(
        f"/evidence/{entry_id}/check", data={"version": "1", "csrf_token": token}, follow_redirects=False
    )
    assert answer.status_code == 303
    ledger = client.get("/evidence", params={"status": "checked"})
    assert "Checked by Test reviewer on" in ledger.text
    assert "Cost per hectare protected" in ledger.text


def test_the_author_is_refused_the_check_over_the_api(
    client: TestClient, session: Session, world: World
) -> None:
    entry_id = _entry(session, world.actors["facilitator"])
    answer = client.post(
        f"/api/v1/evidence/{entry_id}/check", json={"version": 1}, headers=bearer(world.tokens["facilitator"])
    )
    assert answer.status_code == 403
    answer = client.post(
        f"/api/v1/evidence/{entry_id}/check", json={"version": 1}, headers=bearer(world.tokens["admin"])
    )
    assert answer.status_code == 200 and answer.json()["status"] == "checked"


def test_a_stale_edit_gets_409(client: TestClient, session: Session, world: World) -> None:
    entry_id = _entry(session, world.actors["admin"])
    body = {
        "technique_code": "sterile_insect", "claim": "Cost per hectare (edited)", "value": 41,
        "unit": "USD per hectare", "citation_title": "Area-wide programme costs",
        "citation_url": "https://example.org/aw", "citation_year": 2019, "version": 1,
    }  # fmt: skip
    first = client.put(f"/api/v1/evidence/{entry_id}", json=body, headers=bearer(world.tokens["facilitator"]))
    assert first.status_code == 200 and first.json()["version"] == 2
    stale = client.put(f"/api/v1/evidence/{entry_id}", json=body, headers=bearer(world.tokens["facilitator"]))
    assert stale.status_code == 409


def test_the_public_sees_no_story_drafts(
    client: TestClient, session: Session, world: World, editor: Actor
) -> None:
    from pux.knowledge.schemas import StoryCreate

    story = service.create_story(
        session, actor=editor, data=StoryCreate(title="A secret draft about brachytherapy", body="Draft")
    )
    assert "A secret draft" not in client.get("/stories").text
    assert client.get(f"/stories/{story.slug}").status_code == 404
    assert client.get(f"/api/v1/stories/{story.slug}").status_code == 404
    assert all(s["slug"] != story.slug for s in client.get("/api/v1/stories").json())
    sign_in(client, world.emails["facilitator"])
    assert "A secret draft" in client.get("/stories").text


def test_a_story_starts_from_a_completed_need(client: TestClient, session: Session, world: World) -> None:
    from pux.needs import service as needs

    need = needs.get_need(session, actor=world.actors["admin"], need_id=world.needs["published_ken"])
    need.status = "completed"
    session.flush()
    sign_in(client, world.emails["focal_ken"])
    assert f'href="/stories/new?need={need.id}"' not in client.get(f"/needs/{need.id}").text
    sign_in(client, world.emails["facilitator"])
    # The completed need's page offers the story; the form starts from the need.
    assert f'href="/stories/new?need={need.id}"' in client.get(f"/needs/{need.id}").text
    form = client.get("/stories/new", params={"need": need.id})
    assert form.status_code == 200 and f'name="need_id" value="{need.id}"' in form.text
    token = csrf_token(client, "/stories/new")
    saved = client.post(
        "/stories",
        data={"title": "Nuclear medicine reaches Kenya", "body": "It worked.", "need_id": str(need.id),
              "status": "draft", "source_language": "en", "csrf_token": token},
        follow_redirects=False,
    )  # fmt: skip
    assert saved.status_code == 303
    story = repository.stories_of_need(session, need.id)[0]
    assert story.status == "draft"
    # The need page links the story (a draft, so only for those who may read drafts).
    assert f'href="/stories/{story.slug}"' in client.get(f"/needs/{need.id}").text
    sign_in(client, world.emails["focal_ken"])
    assert f'href="/stories/{story.slug}"' not in client.get(f"/needs/{need.id}").text


def test_api_lists_techniques_with_unknown_cells_as_null(client: TestClient, seeded: SeedReport) -> None:
    answer = client.get("/api/v1/techniques/sterile-insect-technique")
    assert answer.status_code == 200
    cells = {c["criterion"]: c for c in answer.json()["alternatives"][0]["cells"]}
    assert cells["time"] == {"criterion": "time", "technique": None, "alternative": None, "source": None}
    assert len(client.get("/api/v1/techniques").json()) == 28


def test_editor_role_has_a_label() -> None:
    from pux.reference.vocabulary import role_label

    assert role_label("editor") == "Knowledge editor" and role_label("reviewer") == "Knowledge reviewer"
    assert accounts is not None


def test_the_calculator_takes_a_country_indicator_with_its_source_and_year(
    client: TestClient, session: Session, seeded: SeedReport
) -> None:
    profile = reference.country_profile(session, iso3="KEN")
    assert profile is not None
    gdp = next(
        r.latest for rs in profile.readings.values() for r in rs if r.indicator.code == "NY.GDP.PCAP.CD"
    )
    assert gdp is not None
    # One year, no discounting: benefit = 10 x GDP per person; NPV = benefit - 100.
    query = {
        "country": "KEN", "investment": "100", "investment__currency": "USD", "running_cost": "0",
        "running_cost__currency": "USD", "benefit__source": "ind:NY.GDP.PCAP.CD", "benefit__times": "10",
        "horizon_years": "1", "discount_percent": "0",
    }  # fmt: skip
    page = client.get("/techniques/sterile-insect-technique", params=query)
    assert page.status_code == 200
    npv = gdp.value * 10 - 100
    expected = f"{npv:,.0f}" if float(npv).is_integer() else f"{npv:,.2f}"  # an amount: with its cents
    assert re.search(rf'class="npv"><span dir="ltr">{re.escape(expected)}</span>', page.text), expected
    assert f"({gdp.year}, {gdp.source.citation}) × 10" in page.text.replace("&#39;", "'").replace(
        "&amp;", "&"
    )
    without_times = client.get(
        "/techniques/sterile-insect-technique", params={**query, "benefit__times": ""}
    ).text
    assert "give how many units the indicator is multiplied by" in without_times


def test_a_reviewer_reviews_a_technique_pages_translation(
    client: TestClient, session: Session, seeded: SeedReport, reviewer: Actor
) -> None:
    sign_in(client, "reviewer@test.pux.invalid")
    page = client.get("/techniques/sterile-insect-technique")
    assert "Translations of this page" in page.text
    match = re.search(
        r'action="/knowledge/translations/(\d+)/review".*?name="version" value="(\d+)"', page.text
    )
    assert match is not None
    token = csrf_token(client, "/techniques/sterile-insect-technique")
    answer = client.post(
        f"/knowledge/translations/{match.group(1)}/review",
        data={"version": match.group(2), "csrf_token": token},
        follow_redirects=False,
    )
    assert answer.status_code == 303 and answer.headers["location"].startswith("/techniques/sterile-insect")
    translation = repository.get_translation_by_id(session, int(match.group(1)))
    assert translation is not None and translation.status == "reviewed"
    assert translation.reviewed_by_id == reviewer.user_id


def test_every_editor_form_renders_and_a_bad_form_names_its_fields(
    client: TestClient, session: Session, world: World, seeded: SeedReport
) -> None:
    entry_id = _entry(session, world.actors["admin"])
    story = service.create_story(
        session, actor=world.actors["admin"], data=StoryCreate(title="A story for the form test", body="B")
    )
    myth = repository.get_myth_by_slug(session, "irradiated-food-is-radioactive")
    assert myth is not None
    sign_in(client, world.emails["facilitator"])
    for path in (
        "/techniques/sterile-insect-technique/edit", "/evidence/new", f"/evidence/{entry_id}/edit",
        "/stories/new", f"/stories/{story.slug}/edit", "/myths/new", f"/myths/{myth.slug}/edit",
        f"/stories/{story.slug}", f"/myths/{myth.slug}", f"/evidence/{entry_id}", "/evidence", "/stories",
        "/myths", "/techniques",
    ):  # fmt: skip
        page = client.get(path)
        assert page.status_code == 200, path
        assert "{{" not in page.text and "%(" not in page.text, path
    token = csrf_token(client, "/evidence/new")
    refused = client.post(
        "/evidence",
        data={"technique_code": "alchemy", "claim": "A claim without any source", "value": "x",
              "csrf_token": token},
    )  # fmt: skip
    assert refused.status_code == 422
    assert "Nothing was saved" in refused.text
    for label in ("Citation: title", "Value", "Technique"):
        assert f"<strong>{label}</strong>" in refused.text, label
    assert accessibility_problems(refused.text) == []
    # A myth's sources are typed one per line: a problem with them is shown beside that box, and the
    # summary's link reaches it.
    for path, action in (("/myths/new", "/myths"), (f"/myths/{myth.slug}/edit", f"/myths/{myth.slug}/edit")):
        form = client.get(path).text
        version = re.search(r'name="version" value="(\d+)"', form)
        refused = client.post(action, data={"claim": "A claim", "fact": "A fact", "sources_text": "",
                                            "version": version.group(1) if version else "",
                                            "csrf_token": csrf_token(client, path)})  # fmt: skip
        assert refused.status_code == 422, (path, refused.status_code)
        assert (
            'id="f-sources_text"' in refused.text and 'aria-describedby="error-sources_text"' in refused.text
        )
        assert accessibility_problems(refused.text) == [], path


def test_an_entry_compared_with_a_known_alternative_names_it_in_the_readers_language(
    client: TestClient, session: Session, editor: Actor, seeded: SeedReport
) -> None:
    # The code of an alternative the technique page lists.
    entry_id = _entry(session, editor, comparator="insecticide_spraying")
    client.cookies.set("pux_lang", "fr")
    page = client.get(f"/evidence/{entry_id}")
    ledger = client.get("/evidence")
    for html in (page.text, ledger.text):
        assert "Pulvérisation d" in html and "insecticide_spraying" not in html


def test_a_technique_page_gives_its_myths_claims_in_the_readers_language(
    client: TestClient, session: Session, editor: Actor, seeded: SeedReport
) -> None:
    """The technique page printed each myth's claim in English where /myths gave it in the reader's
    language."""
    myth = service.create_myth(
        session,
        actor=editor,
        data=MythCreate(
            claim="Brachytherapy only relieves symptoms",
            finding="It cures many early cancers of the cervix.",
            technique_codes=["brachytherapy"],
            sources=[{"title": "A cohort study", "year": 2020, "url": "https://example.org/study"}],  # type: ignore[list-item]
            is_published=True,
        ),
    )
    french = "La curiethérapie ne fait que soulager les symptômes"
    service.save_translation(
        session, actor=editor, entity_type=v.MYTH, entity_id=myth.id,
        data=TranslationFields(field="claim", language="fr", text=french),
    )  # fmt: skip
    client.get("/language/fr")
    assert french in client.get("/myths").text
    assert french in client.get("/techniques/brachytherapy").text
