"""Atom feeds of published items: per space, per topic, per kind (public content only for the
anonymous readers feeds have)."""

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.translation import gettext as _

from cocity.network.models import Space, Topic

from . import selectors
from .models import LibraryItem


class _ItemFeed(Feed):
    feed_type = Atom1Feed

    def items(self, obj: Any) -> Any:
        return self.filter(selectors.published_items(AnonymousUser()), obj).order_by(
            "-published_at", "-id"
        )[:30]

    def filter(self, items: Any, obj: Any) -> Any:
        raise NotImplementedError

    def item_title(self, item: LibraryItem) -> str:
        return item.title

    def item_description(self, item: LibraryItem) -> str:
        # Atom's <summary type="html">: the plain-text summary escaped, so a reader shows it as
        # text and runs none of it.
        return escape(item.summary)

    def item_pubdate(self, item: LibraryItem) -> Any:
        return item.published_at

    def item_link(self, item: LibraryItem) -> str:
        return item.get_absolute_url()


class SpaceFeed(_ItemFeed):
    def get_object(self, request: HttpRequest, slug: str) -> Space:
        space = get_object_or_404(Space, slug=slug)
        if not space.is_public:
            raise Http404
        return space

    def title(self, obj: Space) -> str:
        return _("Library of %(space)s") % {"space": obj.name}

    def link(self, obj: Space) -> str:
        return reverse("library:item_list") + f"?space={obj.slug}"

    def filter(self, items: Any, obj: Space) -> Any:
        return items.filter(space=obj)


class TopicFeed(_ItemFeed):
    def get_object(self, request: HttpRequest, slug: str) -> Topic:
        return get_object_or_404(Topic, slug=slug)

    def title(self, obj: Topic) -> str:
        return _("Library: %(topic)s") % {"topic": obj.label}

    def link(self, obj: Topic) -> str:
        return reverse("library:item_list") + f"?topic={obj.slug}"

    def filter(self, items: Any, obj: Topic) -> Any:
        return items.filter(topics=obj)


class KindFeed(_ItemFeed):
    def get_object(self, request: HttpRequest, kind: str) -> str:
        if kind not in LibraryItem.Kind.values:
            raise Http404
        return kind

    def title(self, obj: str) -> str:
        return _("Library: %(kind)s") % {"kind": LibraryItem.Kind(obj).label}

    def link(self, obj: str) -> str:
        return reverse("library:item_list") + f"?kind={obj}"

    def filter(self, items: Any, obj: str) -> Any:
        return items.filter(kind=obj)
