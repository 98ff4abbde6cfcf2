"""The demo's URLs (``cocity.settings.demo``): the site's, plus the outbox at ``/demo/outbox/``
(cocity.core.outbox). No other settings load this module, so the page exists only in the demo."""

from django.urls import path

from cocity.core import outbox
from cocity.urls import handler404, handler500, urlpatterns

urlpatterns = [path("demo/outbox/", outbox.outbox, name="demo_outbox"), *urlpatterns]

__all__ = ["handler404", "handler500", "urlpatterns"]
