import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cocity.settings.production")
application = get_wsgi_application()

# Before the first request: load every view (the URL configuration) and the insights kernels, so
# that no visitor's request pays for imports or compiled code (cocity.insights.warm).
# COCITY_WARM_UP=0 skips it (a faster start for a one-off process).
if os.environ.get("COCITY_WARM_UP", "1") != "0":
    from django.urls import get_resolver

    from cocity.insights.warm import warm

    get_resolver().url_patterns  # noqa: B018 (imports every view)
    warm()
