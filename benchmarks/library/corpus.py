# ruff: noqa: S608, E501  (benchmark data: generated SQL with constants)
"""The synthetic search corpus of the search benchmarks (benchmarks/library/run.py,
benchmarks/search/run.py): ``generate(n)`` fills ``search_document`` (and its topics) with n
documents in bulk SQL (generate_series on PostgreSQL, executemany on SQLite). Needs Django set up.
"""

from __future__ import annotations

import random
import time

from django.db import connection

# Bodies: 3 words of a small per-language vocabulary (drawn per document: every subquery refers to
# ``g``, or PostgreSQL would draw them once for all the documents) (so a query word matches a few per cent of
# the documents, as a topic word does in a real library) and 40-60 words from a synthetic
# 50,000-word vocabulary (the long tail). Titles: 5-7 vocabulary words.
WORDS = {
    "en": [
        "housing",
        "families",
        "camps",
        "roma",
        "city",
        "residents",
        "commons",
        "garden",
        "school",
        "budget",
        "pact",
        "neighbourhood",
        "inclusion",
        "segregation",
        "data",
        "workers",
        "children",
        "employment",
        "transport",
        "energy",
        "climate",
        "health",
        "culture",
        "library",
        "youth",
        "elderly",
        "migrants",
        "refugees",
        "participation",
        "democracy",
    ],
    "fr": [
        "logement",
        "familles",
        "campements",
        "ville",
        "habitants",
        "communs",
        "jardin",
        "école",
        "budget",
        "pacte",
        "quartier",
        "inclusion",
        "ségrégation",
        "données",
        "emploi",
        "transport",
        "énergie",
        "climat",
        "santé",
        "culture",
        "jeunesse",
        "migrants",
        "réfugiés",
        "participation",
        "démocratie",
        "bidonville",
        "accompagnement",
    ],
    "it": [
        "abitazione",
        "famiglie",
        "campi",
        "città",
        "cittadini",
        "beni",
        "comuni",
        "giardino",
        "scuola",
        "bilancio",
        "patto",
        "quartiere",
        "inclusione",
        "dati",
        "lavoro",
        "trasporti",
        "energia",
        "clima",
        "salute",
        "cultura",
        "giovani",
    ],
    "es": [
        "vivienda",
        "familias",
        "asentamientos",
        "ciudad",
        "vecinos",
        "comunes",
        "jardín",
        "escuela",
        "presupuesto",
        "barrio",
        "inclusión",
        "segregación",
        "datos",
        "empleo",
        "transporte",
        "energía",
        "clima",
        "salud",
        "cultura",
    ],
}
CONFIG = {"en": "english", "fr": "french", "it": "italian", "es": "spanish"}
KINDS = ["library.case_study", "library.news", "library.publication", "events.event", "plans.idea"]
CITIES = ["FR-MRS", "FR-TLS", "IT-BLQ", "ES-BCN", "BE-BRU", "DE-BER", "GB-LND", "GR-ATH"]
TOPICS = ["housing", "roma-inclusion", "commons", "education", "migration", "co-production"]


def generate(n: int) -> float:
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM search_documenttopic")
        cursor.execute("DELETE FROM search_document")
        if connection.vendor == "sqlite":
            cursor.execute("DELETE FROM search_fts")
    rng = random.Random(7)
    batch = 5000
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("DROP INDEX IF EXISTS search_document_vector")
            for lang, words in WORDS.items():
                share = n // len(WORDS)
                cursor.execute(
                    f"""
                    INSERT INTO search_document (provider, object_id, title, body, language, kind,
                        kind_label, city, city_name, year, is_public, url, updated_at, ts_config,
                        search_vector)
                    SELECT 'bench', g + %s, t.title, t.body, %s, (%s::text[])[1 + g %% 5], '', (%s::text[])[1 + g %% 8],
                        '', 2010 + g %% 16, true, '/bench/' || g, now(), '{CONFIG[lang]}',
                        setweight(to_tsvector('{CONFIG[lang]}', t.title), 'A')
                        || setweight(to_tsvector('{CONFIG[lang]}', t.body), 'B')
                    FROM generate_series(1, %s) g,
                    LATERAL (SELECT
                        (SELECT string_agg((%s::text[])[1 + floor(random() * %s)::int], ' ')
                           FROM generate_series(1, 5 + g %% 3)) AS title,
                        (SELECT string_agg((%s::text[])[1 + floor(random() * %s)::int], ' ')
                           FROM generate_series(1, 3 + 0 * g)) || ' ' ||
                        (SELECT string_agg('w' || floor(random() * 50000)::int, ' ')
                           FROM generate_series(1, 40 + g %% 20)) AS body) t
                    """,
                    [list(WORDS).index(lang) * n, lang, KINDS, CITIES, share,
                     words, len(words), words, len(words)],
                )  # fmt: skip
            cursor.execute(
                "INSERT INTO search_documenttopic (document_id, slug, label) "
                "SELECT id, (%s::text[])[1 + id %% 6], (%s::text[])[1 + id %% 6] FROM search_document",
                [TOPICS, TOPICS],
            )
            cursor.execute(
                "CREATE INDEX search_document_vector ON search_document USING GIN (search_vector)"
            )
        else:
            rows = []
            for i in range(n):
                lang = list(WORDS)[i % 4]
                words = WORDS[lang]
                title = " ".join(rng.choice(words) for _ in range(6))
                body = " ".join(
                    [rng.choice(words) for _ in range(3)]
                    + [f"w{rng.randrange(50000)}" for _ in range(45)]
                )
                rows.append((i + 1, "bench", i + 1, title, body, lang, KINDS[i % 5], CITIES[i % 8],
                             2010 + i % 16, f"/bench/{i}"))  # fmt: skip
                if len(rows) == batch or i == n - 1:
                    cursor.executemany(
                        "INSERT INTO search_document (id, provider, object_id, title, body, "
                        "language, kind, kind_label, city, city_name, year, is_public, url, "
                        "updated_at) VALUES (%s, %s, %s, %s, %s, %s, %s, '', %s, '', %s, 1, %s, "
                        "datetime('now'))",
                        rows,
                    )
                    cursor.executemany(
                        "INSERT INTO search_fts (rowid, title, body) VALUES (%s, %s, %s)",
                        [(r[0], r[3], r[4]) for r in rows],
                    )
                    cursor.executemany(
                        "INSERT INTO search_documenttopic (document_id, slug, label) "
                        "VALUES (%s, %s, %s)",
                        [(r[0], TOPICS[r[0] % 6], TOPICS[r[0] % 6]) for r in rows],
                    )
                    rows = []
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE search_document")
            cursor.execute("VACUUM ANALYZE search_documenttopic")
    return time.perf_counter() - started
