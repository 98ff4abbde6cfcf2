"""A city's templates: an empty counts file (CSV or Excel) or a boundaries file (GeoJSON,
GeoPackage, zipped Shapefile) holding the city's current unit codes, names and boundaries and
the group columns to fill in, so that what a city sends back is a file the import reads as it
comes. The files are written by ``sources.write_template``, the module that reads them back.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_http_methods

from cocity.network.models import Territory

from . import selectors, sources

# Each kind of template and what it is sent as.
TEMPLATE_TYPES = {
    "csv": "text/csv; charset=utf-8",  # with a byte order mark, for Excel
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "geojson": "application/geo+json",
    "gpkg": "application/geopackage+sqlite3",
    "shp.zip": "application/zip",
}
BOUNDARY_KINDS = ("geojson", "gpkg", "shp.zip")
TOTAL_COLUMN = "total"


@require_http_methods(["GET", "HEAD"])
def dataset_template(request: HttpRequest, code: str, kind: str) -> HttpResponse | FileResponse:
    """The city's template of one kind. A boundaries template needs boundaries: a city none of
    whose units has one gets a 404 page that says so and links its counts templates."""
    if kind not in TEMPLATE_TYPES:
        raise Http404
    city = get_object_or_404(Territory, code=code.upper(), kind="city")
    units = selectors.city_template_units(city)
    if kind in BOUNDARY_KINDS and not any(units.boundaries):
        return render(request, "insights/template_unavailable.html", {"city": city}, status=404)
    filename = f"cocity-{city.code}-template.{kind}"
    folder = tempfile.mkdtemp(prefix="cocity-template-")
    try:
        path = Path(folder) / filename
        sources.write_template(
            kind,
            path,
            codes=units.codes,
            names=units.names,
            geometries=units.boundaries,
            groups=units.groups,
            total=TOTAL_COLUMN,
        )
        # Open, then remove: the open file stays readable until the response closes it, and
        # nothing is left on disk whatever happens to the response.
        handle = path.open("rb")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return FileResponse(
        handle, as_attachment=True, filename=filename, content_type=TEMPLATE_TYPES[kind]
    )
