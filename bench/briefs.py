"""Country briefs of every recipient country in the demo, in each of the six languages, as the public reads
them: the page (HTML, through the real app) and the PDF (WeasyPrint).

    PUX_DATABASE_URL=sqlite:///scratch/pux.sqlite3 python bench/briefs.py [--countries N] [--languages en,fr]

Run it on a demo database (`pux init` then `pux demo` with the same PUX_DATABASE_URL). Prints one
`name: value` line per figure: html_p50_ms / html_p95_ms (a brief page asked for the first time in its
language: its content built, nothing of it cached but the index and gaps shared by every brief of the data
version, which the first page computes and pays for), html_cached_p95_ms (asked again), pdf_p50_s / pdf_p95_s
(wall clock of each PDF, its content already built by the page) with pdf_cpu_p95_s (this process's CPU time
for it: on a busy shared machine the wall clock also counts the other processes), pages_p50, peak_rss_mb.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import time

from fastapi.testclient import TestClient

from pux.accounts.permissions import Actor
from pux.briefs import gap_section, service
from pux.briefs.views import printable_html
from pux.config import get_settings
from pux.db import make_engine, make_session_factory
from pux.i18n import LANGUAGES, language_context
from pux.web.app import create_app
from pux.web.middleware import LANGUAGE_COOKIE


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--countries", type=int, default=0, help="only the first N countries (0: all)")
    parser.add_argument("--languages", default=",".join(LANGUAGES))
    arguments = parser.parse_args()
    languages = [code.strip() for code in arguments.languages.split(",") if code.strip()]
    settings = get_settings()
    factory = make_session_factory(make_engine(settings.database_url))
    with factory() as session:
        countries = service.recipient_countries(session)
    if arguments.countries:
        countries = countries[: arguments.countries]
    print(f"database: {settings.database_url}")
    print(f"countries: {len(countries)}")
    print(f"languages: {','.join(languages)}")
    html_ms: list[float] = []
    cached_ms: list[float] = []
    pdf_s: list[float] = []
    pdf_cpu_s: list[float] = []
    pages: list[int] = []
    pdf_s_by_language: dict[str, list[float]] = {}
    service.forget_rendered_briefs()
    gap_section.forget()
    with TestClient(create_app(settings)) as client:
        for language in languages:
            client.cookies.set(LANGUAGE_COOKIE, language)
            for code in countries:
                started = time.perf_counter()
                page = client.get(f"/countries/{code}/brief")
                html_ms.append((time.perf_counter() - started) * 1000)
                assert page.status_code == 200, (code, page.status_code)
                started = time.perf_counter()
                client.get(f"/countries/{code}/brief")
                cached_ms.append((time.perf_counter() - started) * 1000)
                with factory() as session, language_context(language):
                    started, cpu = time.perf_counter(), time.process_time()
                    rendered = service.pdf_brief(
                        session, actor=Actor.public(), kind="country", key=code, printable=printable_html
                    )
                    pdf_s.append(time.perf_counter() - started)
                    pdf_s_by_language.setdefault(language, []).append(pdf_s[-1])
                    pdf_cpu_s.append(time.process_time() - cpu)
                pages.append(rendered.pages)
            print(f"  {language}: {len(countries)} briefs done", file=sys.stderr, flush=True)
    print(f"briefs: {len(pdf_s)}")
    print(f"html_p50_ms: {statistics.median(html_ms):.0f}")
    print(f"html_p95_ms: {percentile(html_ms, 0.95):.0f}")
    print(f"html_cached_p95_ms: {percentile(cached_ms, 0.95):.0f}")
    print(f"pdf_p50_s: {statistics.median(pdf_s):.2f}")
    print(f"pdf_p95_s: {percentile(pdf_s, 0.95):.2f}")
    print(f"pdf_cpu_p95_s: {percentile(pdf_cpu_s, 0.95):.2f}")
    for language, seconds in pdf_s_by_language.items():
        print(f"pdf_p95_s_{language}: {percentile(seconds, 0.95):.2f}")
    print(f"pages_p50: {statistics.median(pages):.0f}")
    print(f"pages_max: {max(pages)}")
    print(f"peak_rss_mb: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f}")


if __name__ == "__main__":
    main()
