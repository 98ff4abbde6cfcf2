from django.http import HttpRequest, HttpResponse
from django.urls import path, re_path
from django.utils.translation import gettext as _

from . import views
from .api import api
from .errors import problem


def not_found(request: HttpRequest, rest: str = "") -> HttpResponse:
    return problem(404, _("Not found."), _("See /api/v1/docs/ for what the API offers."))


urlpatterns = [
    path("docs/", views.docs, name="api_docs"),
    path("", api.urls),
    re_path(r"^(?P<rest>.*)$", not_found),
]
