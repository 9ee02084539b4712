"""Search benchmark: builds an index of synthetic records in six languages and times queries. Prints
`name: value` lines; asserts nothing.

python bench/search.py                                   # 100,000 records, scratch SQLite file
python bench/search.py --records 20000 --queries 100     # a quicker run
python bench/search.py --database-url postgresql+psycopg://user@host/scratch_db   # an empty database

The build goes through the same code as the hooks and `pux search reindex` (terms stemmed per language,
Han characters spaced, six-language names of the linked country and technique, a lexicon meaning
vector, one row per document plus facets, the database's own word index kept by trigger or generated
column), in batches of 1,000 in one transaction. The records themselves are not written: only their
documents. Queries run as the public (visibility filter included) in the three modes: words, meaning
and fused; `page` is the whole search service (ranking, counts, facets, snippets) for one page.
"""

from __future__ import annotations

import argparse
import random
import resource
import statistics
import tempfile
import time
from pathlib import Path

from sqlalchemy import text

from pux import migrate
from pux.accounts.permissions import Actor
from pux.db import make_engine, make_session_factory
from pux.pagination import PageRequest
from pux.reference import service as reference
from pux.search import indexing, repository, service
from pux.search.repository import SearchFilter
from pux.search.sources import SourceDocument

SUBJECTS = {
    "en": [
        ("radiotherapy", "Establish a radiotherapy centre for cancer patients"),
        ("isotope_hydrology", "Map groundwater recharge with isotope hydrology"),
        ("sterile_insect", "Suppress fruit flies with the sterile insect technique"),
        ("food_irradiation", "Reduce post-harvest losses by food irradiation"),
        ("mutation_breeding", "Breed drought-tolerant crop varieties"),
        ("nuclear_medicine", "Upgrade nuclear medicine imaging for heart disease"),
        ("non_destructive_testing", "Certify non-destructive testing inspectors for bridges"),
        ("marine_isotopes", "Monitor coastal pollution and ocean acidification"),
    ],
    "fr": [
        ("radiotherapy", "Créer un centre de radiothérapie pour les patients atteints de cancer"),
        ("isotope_hydrology", "Cartographier la recharge des eaux souterraines par hydrologie isotopique"),
        ("sterile_insect", "Lutter contre les mouches des fruits par la technique de l'insecte stérile"),
        ("food_irradiation", "Réduire les pertes après récolte par l'irradiation des aliments"),
        ("mutation_breeding", "Sélectionner des variétés de cultures tolérantes à la sécheresse"),
        ("nuclear_medicine", "Moderniser l'imagerie de médecine nucléaire pour les maladies cardiaques"),
    ],
    "es": [
        ("radiotherapy", "Establecer un centro de radioterapia para pacientes con cáncer"),
        ("isotope_hydrology", "Cartografiar la recarga de aguas subterráneas con hidrología isotópica"),
        ("sterile_insect", "Suprimir las moscas de la fruta con la técnica de los insectos estériles"),
        ("food_irradiation", "Reducir las pérdidas poscosecha mediante la irradiación de alimentos"),
        ("mutation_breeding", "Obtener variedades de cultivos tolerantes a la sequía"),
    ],
    "ar": [
        ("radiotherapy", "إنشاء مركز للعلاج الإشعاعي لمرضى السرطان"),
        ("isotope_hydrology", "رسم خرائط تغذية المياه الجوفية باستخدام الهيدرولوجيا النظيرية"),
        ("sterile_insect", "مكافحة ذباب الفاكهة بتقنية الحشرات العقيمة"),
        ("food_irradiation", "الحد من خسائر ما بعد الحصاد بتشعيع الأغذية"),
    ],
    "zh": [
        ("radiotherapy", "为癌症患者建立放射治疗中心"),
        ("isotope_hydrology", "利用同位素水文学绘制地下水补给图"),
        ("sterile_insect", "利用昆虫不育技术抑制果蝇"),
        ("food_irradiation", "通过食品辐照减少收获后损失"),
    ],
    "ru": [
        ("radiotherapy", "Создать центр лучевой терапии для онкологических больных"),
        ("isotope_hydrology", "Картирование пополнения подземных вод методами изотопной гидрологии"),
        ("sterile_insect", "Подавление плодовых мух методом стерильных насекомых"),
        ("food_irradiation", "Сокращение послеуборочных потерь путём облучения пищевых продуктов"),
    ],
}
FILLER = {
    "en": "the project trains staff builds capacity and supports the national plan over three years",
    "fr": "le projet forme le personnel renforce les capacités et soutient le plan national sur trois ans",
    "es": "el proyecto forma al personal refuerza las capacidades y apoya el plan nacional durante tres años",
    "ar": "يدرب المشروع الموظفين ويبني القدرات ويدعم الخطة الوطنية على مدى ثلاث سنوات",
    "zh": "该项目培训人员建设能力并在三年内支持国家计划",
    "ru": "проект обучает персонал укрепляет потенциал и поддерживает национальный план в течение трёх лет",
}
QUERIES = [
    ("en", "radiotherapy for cancer"),
    ("en", "groundwater Kenya"),
    ("fr", "radiothérapie au Kenya"),
    ("fr", "mouches des fruits"),
    ("es", "aguas subterráneas"),
    ("es", "irradiación de alimentos"),
    ("ar", "العلاج الإشعاعي"),
    ("ar", "المياه الجوفية"),
    ("zh", "放射治疗"),
    ("zh", "地下水"),
    ("ru", "лучевая терапия"),
    ("ru", "подземные воды"),
]
COUNTRIES = ["KEN", "UGA", "SEN", "EGY", "PER", "VNM", "MNG", "JOR", "BOL", "GHA", "NGA", "IDN", "MAR", "LKA"]
KINDS = ("need", "programme", "activity", "event")


def synthetic(count: int, seed: int = 7) -> list[tuple[str, SourceDocument]]:
    rng = random.Random(seed)
    languages = list(SUBJECTS)
    documents = []
    for number in range(count):
        language = languages[number % len(languages)]
        technique, title = rng.choice(SUBJECTS[language])
        country = rng.choice(COUNTRIES)
        kind = KINDS[number % len(KINDS)]
        words = FILLER[language].split() if language != "zh" else list(FILLER[language])
        rng.shuffle(words)
        body = (" " if language != "zh" else "").join(words[: rng.randint(8, len(words))])
        documents.append(
            (
                kind,
                SourceDocument(
                    key=f"bench-{number}",
                    title=f"{title} ({number})",
                    body=body,
                    language=language,
                    owner_country_iso3=country,
                    owner_organisation_id=rng.randint(1, 50),
                    status=rng.choice(("draft", "published", "published", "published")),
                    visibility=rng.choice(("public", "public", "public", "partners", "private")),
                    is_public=rng.random() < 0.8,
                    event_id=number,
                    facets={"country": [country], "technique": [technique], "sdg": ["3"]},
                ),
            )
        )
    return documents


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=240, help="queries per mode")
    parser.add_argument("--database-url", help="an EMPTY scratch database (default: a new SQLite file)")
    args = parser.parse_args()
    scratch = tempfile.mkdtemp(prefix="pux-search-bench-")
    url = args.database_url or f"sqlite:///{Path(scratch) / 'bench.sqlite3'}"
    migrate.upgrade(url)
    engine = make_engine(url)
    factory = make_session_factory(engine)
    with factory() as session:
        reference.load_reference_data(session, actor="bench")
        session.commit()
    print(f"database: {engine.dialect.name}")
    print(f"records: {args.records}")
    documents = synthetic(args.records)
    indexing.embedder()  # loaded before the clock starts, as in a running server
    started = time.perf_counter()
    with factory() as session:
        connection = session.connection()
        names = repository.reference_names(connection)
        for start in range(0, len(documents), 1000):
            prepared = indexing.prepare(documents[start : start + 1000], names=names)
            repository.insert_documents(connection, prepared.rows, prepared.facets)
        session.commit()
    build = time.perf_counter() - started
    print(f"build_s: {build:.1f}")
    print(f"records_per_s: {args.records / build:.0f}")
    if engine.dialect.name == "postgresql":
        with engine.begin() as connection:
            connection.execute(text("ANALYZE search_document"))
            connection.execute(text("ANALYZE search_facet"))
    with factory() as session:
        scopes = service.scopes_for(session, Actor.public())
        repository.vector_index(session)  # loaded once per process, like a server's first search
        for mode in ("words", "meaning", "fused"):
            times = []
            for number in range(args.queries):
                language, query = QUERIES[number % len(QUERIES)]
                began = time.perf_counter()
                service.rank(
                    session, scopes=scopes, query=query, language=language, filters=SearchFilter(), mode=mode
                )
                times.append((time.perf_counter() - began) * 1000)
            print(f"{mode}_query_p50_ms: {statistics.median(times):.1f}")
            print(f"{mode}_query_p95_ms: {percentile(times, 0.95):.1f}")
        times = []
        for number in range(max(1, args.queries // 4)):
            language, query = QUERIES[number % len(QUERIES)]
            began = time.perf_counter()
            service.search(
                session,
                actor=Actor.public(),
                query=query,
                language=language,
                filters=SearchFilter(),
                page=PageRequest(1, 20),
            )
            times.append((time.perf_counter() - began) * 1000)
        print(f"page_p50_ms: {statistics.median(times):.1f}")
        print(f"page_p95_ms: {percentile(times, 0.95):.1f}")
    print(f"peak_rss_mb: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f}")
    engine.dispose()


if __name__ == "__main__":
    main()
