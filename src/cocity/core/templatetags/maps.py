"""The interactive map component (``static/cocity/js/map.js``, on Leaflet): its files and the
base map's configuration, loaded only by the pages that draw a map::

    {% load maps %}
    {% block head %}{% map_assets %}{% endblock %}

The server-drawn SVG and the table stay in the page: the script replaces the SVG by the map
and leaves the table (docs/decisions/0009-maps-on-leaflet.md)."""

from __future__ import annotations

from typing import Any

from django import template
from django.conf import settings
from django.utils.translation import gettext as _

register = template.Library()


def map_config() -> dict[str, Any]:
    """What map.js reads from the page: the tiles (an empty address means none)."""
    return {
        "tiles": settings.COCITY_MAP_TILES_URL,
        "attribution": settings.COCITY_MAP_TILES_ATTRIBUTION,
        "maxZoom": settings.COCITY_MAP_MAX_ZOOM,
        "texts": {
            "map": _("Interactive map"),
            "noTiles": _(
                "No base map here: boundaries, points and names are drawn on a plain "
                "background. The table gives the same information."
            ),
            "cluster": _("%(count)s places here: zoom in"),
            "shown": _("%(count)s shown on the map."),
            "truncated": _(
                "Only the newest %(count)s in this area are shown: zoom in or filter to see "
                "the others."
            ),
            "loading": _("Loading the map…"),
            "failed": _("The map could not load its points; the table below lists them."),
            "open": _("Open"),
            "pin": _("Chosen place: use the arrow keys to move it"),
            "pinHere": _("Put the pin in the middle of the map"),
            "pinMoved": _("Pin at latitude %(lat)s, longitude %(lon)s."),
            "outside": _("This place is outside the space's territory; choose a place inside."),
            "outline": _("Outline of the allowed territory"),
        },
    }


@register.inclusion_tag("maps/assets.html")
def map_assets() -> dict[str, Any]:
    return {"map_config": map_config()}
