from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from cocity.core import views as core_views
from cocity.network.views import home as network_home

urlpatterns = [
    path("", network_home.home, name="home"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("timezone/", core_views.set_timezone, name="set_timezone"),
    path("start/", core_views.start, name="start"),
    path("healthz", core_views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("", include("cocity.accounts.urls")),
    path("", include("cocity.api.urls_pages")),  # /me/tokens/: personal access tokens
    path("", include("cocity.network.urls")),
    path("events/", include("cocity.events.urls")),
    path("pledges/", include("cocity.pledges.urls")),
    path("processes/", include("cocity.plans.urls")),
    path("participation/", include("cocity.participation.urls")),
    path("commons/", include("cocity.commons.urls")),
    path("library/", include("cocity.library.urls")),
    path("insights/", include("cocity.insights.urls")),
    path("search/", include("cocity.search.urls")),
    path("api/v1/", include("cocity.api.urls")),
    path("open-data/", include("cocity.api.urls_opendata")),
    path("translations/", include("cocity.core.urls_translations")),
    # Every uploaded file, through the view that checks who may read it (cocity.core.media).
    path(settings.MEDIA_URL.lstrip("/") + "<path:path>", core_views.media, name="media"),
]
if settings.COCITY_BENCHMARK_VIEWS:  # the load benchmark's ceiling: Django with nothing to do

    def bench_ceiling(request):
        from django.http import HttpResponse

        return HttpResponse("ok", content_type="text/plain")

    urlpatterns.append(path("bench/ceiling/", bench_ceiling))

handler404 = "cocity.core.views.not_found"
handler500 = "cocity.core.views.server_error"
