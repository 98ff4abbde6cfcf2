"""Demo insights: synthetic neighbourhood data for Marseille, Brussels and Berlin (two years,
spatially clustered groups from the core's generator), demo residents with home neighbourhoods
spread unevenly, and their supports on the demo plans' ideas (so the equity table has numbers
above the minimum cell); and Lyon's own 30 census areas brought as files (a GeoPackage in
Lambert-93 and a Windows-1252 CSV with semicolons) through the guided import, the 30-area city
of issue 18. Idempotent: data sets keyed by city, name and year; residents by e-mail; supports
by (idea, person)."""

from __future__ import annotations

import io
import tempfile
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
import shapely.geometry
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.files import File
from django.utils import timezone

from cocity.core.demo import DEMO_DOMAIN
from cocity.network.models import Territory

from . import services, synthetic
from .models import DataSet, Geography, ImportJob

CITIES = {"FR-MRS": 11, "BE-BRU": 22, "DE-BER": 33}  # city code: seed
YEARS = (2019, 2024)
GROUPS = [
    {"column": "native", "label": "Born in the country"},
    {"column": "eu", "label": "Born elsewhere in the EU"},
    {"column": "non_eu", "label": "Born outside the EU"},
]
NAME = "Residents by place of birth"
SOURCE = "Synthetic demo data (cocity)"


def _csv(codes: list[str], counts: np.ndarray) -> str:
    out = io.StringIO()
    out.write("code,native,eu,non_eu,total\n")
    for code, row in zip(codes, counts, strict=True):
        out.write(f"{code},{row[0]},{row[1]},{row[2]},{int(row.sum())}\n")
    return out.getvalue()


def _datasets(city: Territory, hoods: list[Territory], seed: int) -> int:
    xy = np.array([list(shapely.geometry.shape(h.boundary).centroid.coords[0]) for h in hoods])
    first = synthetic.clustered_counts(
        xy, 3, mean_population=9000, empty_share=0.0, bumps=3, strength=3.5, seed=seed
    )
    rng = np.random.default_rng(seed + 1)
    # Five years on: the non-EU-born grow where they already live, a little elsewhere.
    growth = np.array([0.97, 1.05, 1.12]) * (1 + 0.08 * (first / first.sum(axis=1, keepdims=True)))
    second = rng.poisson(first * growth)
    made = 0
    for year, counts in zip(YEARS, (first, second), strict=True):
        existing = DataSet.objects.filter(city=city, name=NAME, year=year).first()
        if existing and existing.status == DataSet.Status.READY and existing.results.get("units"):
            continue
        services.dataset_import(
            city=city,
            name=NAME,
            source=SOURCE,
            year=year,
            groups=GROUPS,
            total_column="total",
            id_column="code",
            csv_text=_csv([h.code for h in hoods], counts),
            dataset=existing,
        )
        made += 1
    return made


def _residents(city: Territory, hoods: list[Territory], seed: int) -> list:
    """Between a handful and forty demo residents per neighbourhood, unevenly."""
    User = get_user_model()
    rng = np.random.default_rng(seed)
    people = []
    for index, hood in enumerate(hoods):
        wanted = int(rng.choice([4, 14, 22, 40])) if index else 40
        for n in range(1, wanted + 1):
            email = f"resident-{hood.code.lower()}-{n}@{DEMO_DOMAIN}"
            person = User.objects.filter(email=email).first()
            if person is None:
                person = User.objects.create_user(email=email, password=None)
                person.display_name = f"{hood.name} resident {n}"
                person.home_city = city
                person.home_neighbourhood = hood
                person.save()
            people.append(person)
    return people


def _support_window(idea, now):
    """Supports are given between the idea's posting and the end of the phase that allowed them
    (the collect phase of its process), never after now: the demo's story holds."""
    collect = idea.process.phases.filter(kind="collect").order_by("starts_on").first()
    end = now
    if collect is not None:
        closes = timezone.make_aware(
            datetime.combine(collect.ends_on + timedelta(days=1), datetime.min.time())
        )
        end = min(end, closes - timedelta(minutes=1))
    return idea.created_at, max(end, idea.created_at)


def _supports(people: list, seed: int) -> int:
    try:
        from cocity.participation import services as participation
        from cocity.participation.models import Support
        from cocity.plans import demo as plans_demo
        from cocity.plans.models import Idea
    except ImportError:  # without plans or participation there is nothing to take part in
        return 0
    ideas = list(Idea.objects.filter(hidden_at__isnull=True).order_by("pk")[:12])
    if not ideas:
        plans_demo.build()
        ideas = list(Idea.objects.filter(hidden_at__isnull=True).order_by("pk")[:12])
    if not ideas:
        return 0
    idea_type = ContentType.objects.get_for_model(Idea)
    rng = np.random.default_rng(seed)
    now = timezone.now()
    windows: dict[int, tuple] = {}
    made = 0
    for person in people:
        count = min(len(ideas), int(rng.integers(1, 3)))  # a database with a single idea too
        for idea_index in rng.choice(len(ideas), size=count, replace=False):
            idea = ideas[int(idea_index)]
            fraction = float(rng.random())
            if Support.objects.filter(
                content_type=idea_type, object_id=idea.pk, user=person
            ).exists():
                continue  # a second run
            # Through the service, which moves the idea's support count with the row (the
            # "most supported" order reads it); then backdated, as the equity table wants.
            support = participation.support_add(target=idea, user=person, scope_id=idea.process_id)
            if idea.pk not in windows:
                windows[idea.pk] = _support_window(idea, now)
            start, end = windows[idea.pk]
            Support.objects.filter(pk=support.pk).update(
                created_at=start + (end - start) * fraction
            )
            made += 1
    return made


OWN_CITY = "FR-LYO"
# Camille, editor for the Métropole de Lyon: she brought the files, and may bring the next ones
# (her import page starts from the columns and the version she chose).
OWN_OFFICER = f"camille@{DEMO_DOMAIN}"
OWN_NAME = "Residents by place of birth, census areas"
OWN_AREAS_NAME = "Census areas (IRIS)"
OWN_AREAS = [
    "Terreaux", "Cordeliers", "Bellecour", "Ainay", "Perrache", "Confluence",
    "Croix-Rousse", "Saint-Jean", "Fourvière", "Point du Jour", "Ménival", "Vaise",
    "Brotteaux", "Part-Dieu", "Villette", "Guillotière", "Saxe-Gambetta", "Jean Macé",
    "Montchat", "Sans-Souci", "Monplaisir", "Grange Blanche", "Bachut", "Mermoz",
    "États-Unis", "Gerland", "Gorge de Loup", "Duchère", "Saint-Rambert", "Sœur Janin",
]  # fmt: skip


def _own_areas() -> int:
    """Lyon's data officer brings 30 census areas the platform has never seen: the files are
    written as a city keeps them and go through the guided import, as on the pages. Their
    outlines are a grid over the city, not the areas' real ones (marked approximate)."""
    import pyogrio.raw
    from pyproj import Transformer

    city = Territory.objects.filter(code=OWN_CITY, kind="city").first()
    if city is None or DataSet.objects.filter(city=city, name=OWN_NAME).exists():
        return 0
    corners = [(4.80 + 0.012 * (k % 6), 45.72 + 0.01 * (k // 6)) for k in range(len(OWN_AREAS))]
    shapes = [shapely.geometry.box(x, y, x + 0.012, y + 0.01) for x, y in corners]
    codes = [f"69381{k + 1:04d}" for k in range(len(OWN_AREAS))]
    xy = np.array([s.centroid.coords[0] for s in shapes])
    counts = synthetic.clustered_counts(
        xy, 3, mean_population=2400, empty_share=0.0, bumps=2, strength=3.0, seed=44
    )
    to_lambert = Transformer.from_crs("EPSG:4326", "EPSG:2154", always_xy=True)
    projected = shapely.transform(
        np.array(shapes, dtype=object),
        lambda c: np.column_stack(to_lambert.transform(c[:, 0], c[:, 1])),
    )
    with tempfile.TemporaryDirectory() as folder:
        gpkg, table = Path(folder) / "iris-lyon-2021.gpkg", Path(folder) / "pop-iris-2021.csv"
        pyogrio.raw.write(
            str(gpkg),
            geometry=shapely.to_wkb(projected),
            field_data=[np.array(codes, dtype=object), np.array(OWN_AREAS, dtype=object)],
            fields=["CODE_IRIS", "NOM_IRIS"],
            geometry_type="Polygon",
            crs="EPSG:2154",
            driver="GPKG",
        )
        lines = ["CODE_IRIS;NOM_IRIS;NES_FRANCE;NES_UE;NES_HORS_UE;POP"]
        lines += [
            f"{code};{name};{row[0]};{row[1]};{row[2]};{int(row.sum())}"
            for code, name, row in zip(codes, OWN_AREAS, counts, strict=True)
        ]
        table.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1252"))
        with gpkg.open("rb") as shapes_file, table.open("rb") as counts_file:
            job = services.import_upload(
                city=city,
                user=get_user_model().objects.filter(email=OWN_OFFICER).first(),
                counts=File(counts_file, name=table.name),
                boundaries=File(shapes_file, name=gpkg.name),
            )
    version = Geography.objects.filter(city=city, name=OWN_AREAS_NAME, version="2021").first()
    services.import_configure(
        job=job,
        choice={
            "name": OWN_NAME,
            "source": SOURCE,
            "year": 2021,
            "code_column": "CODE_IRIS",
            "name_column": "NOM_IRIS",
            "total_column": "POP",
            "groups": [
                {"column": "NES_FRANCE", "label": "Born in France"},
                {"column": "NES_UE", "label": "Born elsewhere in the EU"},
                {"column": "NES_HORS_UE", "label": "Born outside the EU"},
            ],
            # the version a first build made, when the data set itself was deleted since
            "units": str(version.pk) if version else services.UNITS_NEW,
            "geography_name": OWN_AREAS_NAME,
            "geography_version": "2021",
            "code_property": "CODE_IRIS",
            "name_property": "NOM_IRIS",
        },
    )
    if ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.QUEUED).exists():
        services.import_job_run(job_id=job.pk)  # a queue that waits for the transaction's end
    Territory.objects.filter(insight_areas__geography__datasets__name=OWN_NAME).update(
        boundary_approximate=True
    )
    return 1


def build() -> dict[str, int]:
    datasets = _own_areas()
    residents = supports = 0
    for code, seed in CITIES.items():
        city = Territory.objects.filter(code=code, kind="city").first()
        if city is None:
            continue
        hoods = list(
            Territory.objects.filter(
                path__startswith=city.path, kind="neighbourhood", boundary__isnull=False
            ).order_by("path")
        )
        if len(hoods) < 2:
            continue
        datasets += _datasets(city, hoods, seed)
        people = _residents(city, hoods, seed)
        residents += len(people)
        supports += _supports(people, seed)
    return {"insights data sets": datasets, "demo residents": residents, "supports": supports}
