"""A crawl of the served app (`pux serve` in its own process) for the public and for every role.

Each crawler signs in through the real /sign-in form, then follows every same-origin link breadth-first,
visiting at most PER_SHAPE addresses of each shape (digits read as {n}, ISO codes as {code}, the query
ignored). A page fails when it answers 5xx, shows a traceback or an unrendered template or format marker,
lacks what a screen reader needs (tests/web/accessibility.py: a language, unique ids, labelled fields,
named links and buttons, images with a text), or, measured in Chromium on a 390 px wide screen (one
address per shape and crawler), is wider than the screen. The public and one signed-in role are crawled
again in Arabic (right to left).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
from collections import Counter, deque
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import httpx2
import pytest

from tests.browser.conftest import CHROMIUM
from tests.web.accessibility import accessibility_problems
from tests.web.conftest import Served
from tests.world import PASSWORD, ROLES, World

pytestmark = pytest.mark.browser

PER_SHAPE = 2
MAX_PAGES_PER_CRAWL = 400
NARROW_SCREEN = 390
ARABIC_ROLES = ("public", "admin")
CRAWLERS_AT_ONCE = 2
MARKERS = ("{{", "{%", "%(", "%%")
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
ROOT = Path(__file__).resolve().parents[2]


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href)


def shape(address: str) -> str:
    """What addresses of one kind have in common: /needs/12 and /needs/7 are both /needs/{n}."""
    path = urlsplit(address).path
    return re.sub(r"/[A-Z]{3}(?=/|$)", "/{code}", re.sub(r"\d+", "{n}", path))


@dataclass
class Crawl:
    label: str
    pages: dict[str, int] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)
    refusals: list[str] = field(default_factory=list)
    narrow_paths: list[str] = field(default_factory=list)
    cookies: dict[str, str] = field(default_factory=dict)
    seconds: Counter[str] = field(default_factory=Counter)


def _sign_in(client: httpx2.Client, email: str) -> None:
    page = client.get("/sign-in")
    match = CSRF.search(page.text)
    assert match, f"no CSRF token on /sign-in ({page.status_code})"
    answer = client.post(
        "/sign-in",
        data={"email": email, "password": PASSWORD, "csrf_token": match.group(1), "next": "/"},
        follow_redirects=False,
    )
    assert answer.status_code == 303, f"signing in as {email}: {answer.status_code} {answer.text[:300]}"


def _problems(response: httpx2.Response) -> list[str]:
    found: list[str] = []
    if response.status_code >= 500:
        found.append(f"answers {response.status_code}")
    text = response.text
    if "Traceback" in text:
        found.append("shows a Traceback")
    if "text/html" in response.headers.get("content-type", ""):
        for marker in MARKERS:
            at = text.find(marker)
            if at >= 0:
                found.append(f"shows {marker!r}: …{text[max(0, at - 60) : at + 60]!r}…")
        if text.strip():
            found += accessibility_problems(text)
    return found


def _local(base_url: str, page_url: str, href: str) -> str | None:
    """The same-origin address (path and query) a link leads to, or None to leave it alone."""
    if href.startswith(("mailto:", "tel:", "javascript:", "#")):
        return None
    absolute = urlsplit(urljoin(page_url, href))
    origin = urlsplit(base_url)
    if (absolute.scheme, absolute.netloc) != (origin.scheme, origin.netloc):
        return None
    if absolute.path.startswith("/static/") or absolute.path == "/sign-out":
        return None
    return absolute.path + (f"?{absolute.query}" if absolute.query else "")


def crawl(served: Served, world: World, role: str, language: str | None = None) -> Crawl:
    base_url = served.base_url
    result = Crawl(label=role + (f" ({language})" if language else ""))
    cookies = {"pux_lang": language} if language else {}
    with httpx2.Client(base_url=base_url, cookies=cookies, timeout=60) as client:
        if role != "public":
            _sign_in(client, world.emails[role])
        languages_seen: set[str] = set()
        shapes: Counter[str] = Counter()
        narrow_shapes: set[str] = set()
        queued = {"/"}
        queue = deque(["/"])
        while queue and len(result.pages) < MAX_PAGES_PER_CRAWL:
            address = queue.popleft()
            response = _get(client, address)
            result.pages[address] = response.status_code
            result.seconds[shape(address)] += response.elapsed.total_seconds()
            result.failures += [f"{result.label} GET {address}: {problem}" for problem in _problems(response)]
            if 400 <= response.status_code < 500:
                result.refusals.append(f"{address} -> {response.status_code}")
            html = "text/html" in response.headers.get("content-type", "")
            if not html or response.status_code != 200 or address.endswith("/export"):
                continue
            final = response.url.raw_path.decode()
            if shape(final) not in narrow_shapes:
                narrow_shapes.add(shape(final))
                result.narrow_paths.append(final)
            parser = _Links()
            parser.feed(response.text)
            for href in parser.hrefs:
                target = _local(base_url, str(response.url), href)
                if target is None or target in queued:
                    continue
                if target.startswith("/language/"):
                    code = urlsplit(target).path.split("/")[2]
                    if code not in languages_seen:
                        languages_seen.add(code)
                        _visit_language(client, target, result, language)
                    continue
                if shapes[shape(target)] >= PER_SHAPE:
                    continue
                shapes[shape(target)] += 1
                queued.add(target)
                queue.append(target)
        result.cookies = {cookie.name: cookie.value for cookie in client.cookies.jar}
    return result


def _get(client: httpx2.Client, address: str) -> httpx2.Response:
    """GET, once more if the server closed an idle keep-alive connection just as the request went out."""
    try:
        return client.get(address, follow_redirects=True)
    except (httpx2.ReadError, httpx2.RemoteProtocolError, httpx2.WriteError):
        return client.get(address, follow_redirects=True)


def _visit_language(client: httpx2.Client, target: str, result: Crawl, language: str | None) -> None:
    """Switch the language once, read the page it leads to, then switch back for the rest of the crawl."""
    switch = client.get(target, follow_redirects=False)
    result.pages[target] = switch.status_code
    result.failures += [f"{result.label} GET {target}: {problem}" for problem in _problems(switch)]
    if switch.status_code == 303:
        page = _get(client, switch.headers["location"])
        result.failures += [f"{result.label} GET {target} then: {problem}" for problem in _problems(page)]
    client.cookies.delete("pux_lang")
    if language:
        client.cookies.set("pux_lang", language)


def measure_narrow(served: Served, crawls: list[Crawl]) -> list[str]:
    """Pages wider than a 390 px screen, measured in Chromium (in a process of its own)."""
    job = {
        "base_url": served.base_url,
        "width": NARROW_SCREEN,
        "groups": [
            {"label": crawl.label, "cookies": crawl.cookies, "paths": crawl.narrow_paths} for crawl in crawls
        ],
    }
    probe = subprocess.run(
        [sys.executable, "-m", "tests.web.width_probe"],
        input=json.dumps(job),
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=900,
        check=False,
    )
    assert probe.returncode == 0, f"the Chromium probe failed:\n{probe.stderr[-3000:]}"
    rows = [json.loads(line) for line in probe.stdout.splitlines() if line.strip()]
    assert len(rows) == sum(len(crawl.narrow_paths) for crawl in crawls), "the probe skipped pages"
    too_wide = []
    for row in rows:
        if row["status"] >= 500:
            too_wide.append(f"{row['label']} {row['path']}: answers {row['status']} in Chromium")
        if row["scroll"] > row["inner"] + 1:
            too_wide.append(
                f"{row['label']} {row['path']}: {row['scroll']} px wide on a {row['inner']} px screen"
            )
    return too_wide


def test_the_accessibility_check_names_what_a_screen_reader_would_miss() -> None:
    good = (
        '<html lang="en"><body><main><h1>Needs</h1><form><label for="f-q">Words</label>'
        '<input id="f-q" name="q"><label>Role <select name="role"></select></label>'
        '<input type="hidden" name="csrf_token"><button type="submit">Filter</button></form>'
        '<a href="/needs/1">A need</a><a href="/"><img src="/logo.png" alt="PUX"></a>'
        '<a href="/map" aria-label="Map"><svg><title>Map</title></svg></a><a href="#f-q">Words</a>'
        "</main></body></html>"
    )
    assert accessibility_problems(good) == []
    bad = (
        '<html><body><main><h1 id="x">Needs</h1><p id="x"></p><label for="f-gone">Gone</label>'
        '<input name="q"><textarea name="note"></textarea><img src="/logo.png">'
        '<a href="/next"></a><button class="icon"></button><a href="#f-title">Title</a></main></body></html>'
    )
    assert accessibility_problems(bad) == [
        "the page does not say its language (<html lang>)",
        "id 'x' is used more than once",
        "the input 'q' has no label",
        "the textarea 'note' has no label",
        "a label is for 'f-gone', which is not on the page",
        "a link leads to #f-title, which is not on the page",
        "an image has no alt text",
        "a link has no text ('/next')",
        "a button has no text ('icon')",
    ]


def test_shapes_group_addresses_of_one_kind() -> None:
    assert shape("/needs/12") == shape("/needs/7") == "/needs/{n}"
    assert shape("/countries/KEN/ranking") == "/countries/{code}/ranking"
    assert shape("/needs?country=KEN&page=2") == shape("/needs") == "/needs"
    assert shape("/sdgs/3") != shape("/sdgs")


def test_every_page_of_every_role_renders_and_fits_a_phone(served_app: Served, world: World) -> None:
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian chromium is not installed (CI installs it)")
    started = time.monotonic()
    plan = [(role, None) for role in ROLES] + [(role, "ar") for role in ARABIC_ROLES]
    # A few crawlers at once keep the server busy while each parses what it received.
    with ThreadPoolExecutor(max_workers=CRAWLERS_AT_ONCE) as pool:
        crawls = list(pool.map(lambda step: crawl(served_app, world, step[0], step[1]), plan))
    crawled = time.monotonic()
    failures = [failure for result in crawls for failure in result.failures]
    failures += measure_narrow(served_app, crawls)
    measured = time.monotonic()
    print()
    print(f"{'crawler':<22}{'pages':>7}{'4xx':>6}{'shapes measured':>17}")
    for result in crawls:
        print(
            f"{result.label:<22}{len(result.pages):>7}{len(result.refusals):>6}{len(result.narrow_paths):>17}"
        )
        for refusal in result.refusals:
            print(f"    refused: {refusal}")
    slowest: Counter[str] = sum((result.seconds for result in crawls), Counter())
    print("slowest shapes:", ", ".join(f"{name} {seconds:.1f} s" for name, seconds in slowest.most_common(8)))
    print(f"pages in all: {sum(len(result.pages) for result in crawls)}, failures: {len(failures)}")
    print(f"crawl {crawled - started:.0f} s, Chromium at {NARROW_SCREEN} px {measured - crawled:.0f} s")
    for failure in failures:
        print(f"  FAIL {failure}")
    for result in crawls:
        assert len(result.pages) > 10, f"{result.label}: the crawl found almost nothing"
    assert failures == [], "\n".join(failures) + "\n\nserver log:\n" + served_app.log_tail()
