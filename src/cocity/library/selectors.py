"""Reads for the library: lists, one item, related items, and peers matching a need."""

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cocity.accounts.types import Viewer
from cocity.core.hubs import HubScope
from cocity.network.models import Organisation, Territory
from cocity.network.selectors import spaces_visible_to
from cocity.search.selectors import match, parse_query, visible_documents

from .models import ContactRequest, LibraryItem, PeerPost

STOP_WORDS = {
    "how", "do", "does", "other", "cities", "city", "what", "the", "and", "for", "with", "from",
    "into", "our", "their", "help", "les", "des", "comment", "autres", "villes", "une", "dans",
}  # fmt: skip


def published_items(user: Viewer) -> QuerySet[LibraryItem]:
    return (
        LibraryItem.objects.filter(
            status=LibraryItem.Status.PUBLISHED, space__in=spaces_visible_to(user).values("pk")
        )
        .select_related("space")
        .prefetch_related("topics", "territories")
    )


def items_in_hub(scope: HubScope) -> QuerySet[LibraryItem]:
    """The published items of a hub: its spaces' items and those also shown in them; on an
    organisation's or a place's page also those of the organisations and about the place. What
    the hub's library section counts and the list filtered to the hub shows."""
    condition = scope.match(space="space_id")
    condition |= Q(
        pk__in=LibraryItem.also_in_spaces.through.objects.filter(space_id__in=scope.spaces).values(
            "libraryitem_id"
        )
    )
    if scope.kind != "space":
        if scope.organisations is not None:
            condition |= Q(
                pk__in=LibraryItem.organisations.through.objects.filter(
                    organisation_id__in=scope.organisations
                ).values("libraryitem_id")
            )
        if scope.territory_path:
            condition |= Q(
                pk__in=LibraryItem.territories.through.objects.filter(
                    territory__path__startswith=scope.territory_path
                ).values("libraryitem_id")
            )
    return published_items(scope.viewer).filter(condition)


def item_list(
    *, user: Viewer, kind: str = "", topic: str = "", hub: HubScope | None = None
) -> QuerySet:
    """The library page; ``hub`` (``?space=``, ``?organisation=``, ``?place=``) keeps what that
    hub's library section counts (:func:`items_in_hub`)."""
    items = published_items(user)
    if kind:
        items = items.filter(kind=kind)
    if topic:
        items = items.filter(topics__slug=topic)
    if hub is not None:
        items = items.filter(pk__in=items_in_hub(hub).values("pk"))
    return items.order_by("-published_on", "-id")


def items_to_review(user: Viewer) -> QuerySet[LibraryItem]:
    """Drafts by this person and items in review in the spaces they edit."""
    if not user.is_authenticated:
        return LibraryItem.objects.none()
    edits = user.space_memberships.filter(role__in=["editor", "admin"]).values("space_id")
    return (
        LibraryItem.objects.filter(
            Q(author=user, status__in=["draft", "in_review"])
            | Q(space_id__in=edits, status="in_review")
        )
        .select_related("space")
        .order_by("-updated_at")
    )


def item_detail(pk: int) -> LibraryItem:
    return (
        LibraryItem.objects.select_related("space", "author")
        .prefetch_related(
            "topics",
            "territories",
            "organisations",
            "translations",
            "figures",
            "attachments",
            "links",
            Prefetch("review_comments__author"),
        )
        .get(pk=pk)
    )


@dataclass
class Related:
    item: LibraryItem
    reasons: list[str] = field(default_factory=list)


def _words(text: str, limit: int = 8) -> list[str]:
    terms = [t for t in parse_query(text).terms if len(t) > 3 and t.lower() not in STOP_WORDS]
    return list(dict.fromkeys(terms))[:limit]


def related_items(*, user: Viewer, item: LibraryItem, limit: int = 5) -> list[Related]:
    """Items sharing topics or places, then items of similar text (the search index)."""
    topic_ids = [t.pk for t in item.topics.all()]
    place_ids = [t.pk for t in item.territories.all()]
    candidates = (
        published_items(user)
        .exclude(pk=item.pk)
        .annotate(
            same_topics=Count("topics", filter=Q(topics__in=topic_ids), distinct=True),
            same_places=Count("territories", filter=Q(territories__in=place_ids), distinct=True),
        )
        .filter(Q(same_topics__gt=0) | Q(same_places__gt=0))
        .order_by("-same_topics", "-same_places", "-published_on")[:limit]
    )
    related = []
    for other in candidates:
        reasons = []
        if other.same_topics:
            reasons.append(_("same topics"))
        if other.same_places:
            reasons.append(_("same places"))
        related.append(Related(other, reasons))
    if len(related) < limit:
        seen = {r.item.pk for r in related} | {item.pk}
        for pk in _similar_item_ids(user, f"{item.title} {item.summary}", limit * 2):
            if pk not in seen and len(related) < limit:
                seen.add(pk)
                similar = published_items(user).filter(pk=pk).first()
                if similar is not None:
                    related.append(Related(similar, [_("similar text")]))
    return related


def _similar_item_ids(user: Viewer, text: str, limit: int) -> list[int]:
    words = _words(text)
    if not words:
        return []
    parsed = parse_query(" ".join(words))
    documents = match(
        visible_documents(user).filter(provider="library.item"), parsed.terms, any_term=True
    )
    return list(documents.order_by("-rank").values_list("object_id", flat=True)[:limit])


# Peer matching -------------------------------------------------------------------------------


@dataclass
class PracticeMatch:
    item: LibraryItem
    reasons: list[str]
    score: float


@dataclass
class PeerMatch:
    organisation: Organisation
    reasons: list[str]
    score: float
    items: list[LibraryItem] = field(default_factory=list)
    form: Any = None


def posts_list(*, kind: str = "") -> QuerySet[PeerPost]:
    posts = PeerPost.objects.filter(is_open=True).select_related("organisation")
    if kind:
        posts = posts.filter(kind=kind)
    return posts.prefetch_related("topics", "territories")


def _place_codes(territories: list[Territory]) -> set[str]:
    """A place and everything above it but the country (a neighbourhood matches its city)."""
    return {code for t in territories for code in t.path.strip("/").split("/")[1:]}


def matches_for(
    *, user: Viewer, post: PeerPost, limit: int = 10
) -> tuple[list[PracticeMatch], list[PeerMatch]]:
    """Practices and organisations that match a need, each with why it matched."""
    topic_ids = {t.pk for t in post.topics.all()}
    places = _place_codes(list(post.territories.all()))
    words = _words(post.text)
    text_rank: dict[int, float] = {}
    if words:
        documents = match(
            visible_documents(user).filter(provider="library.item"),
            parse_query(" ".join(words)).terms,
            any_term=True,
        )
        for object_id, rank in documents.order_by("-rank").values_list("object_id", "rank")[:50]:
            text_rank[object_id] = float(rank or 0)
    best_rank = max([abs(r) for r in text_rank.values()] + [1e-9])
    candidates = (
        published_items(user)
        .prefetch_related("organisations")
        .filter(Q(pk__in=list(text_rank)) | Q(topics__in=topic_ids))
        .distinct()[:200]
    )
    practices: list[PracticeMatch] = []
    for item in candidates:
        reasons = []
        score = 0.0
        shared = [t.label for t in item.topics.all() if t.pk in topic_ids]
        if shared:
            reasons.append(_("shares the topics %(topics)s") % {"topics": ", ".join(shared)})
            score += 2 * len(shared)
        near = [t.name for t in item.territories.all() if _place_codes([t]) & places]
        if near:
            reasons.append(_("same places: %(places)s") % {"places": ", ".join(near)})
            score += 1
        if item.pk in text_rank:
            reasons.append(_("its text uses the words of the need"))
            score += 1 + 3 * text_rank[item.pk] / best_rank
        if reasons:
            practices.append(PracticeMatch(item, reasons, score))
    practices.sort(key=lambda m: -m.score)
    practices = practices[:limit]
    peers: dict[int, PeerMatch] = {}
    for practice in practices:
        for organisation in practice.item.organisations.all():
            if organisation.pk == post.organisation_id:
                continue
            peer = peers.setdefault(organisation.pk, PeerMatch(organisation, [], 0.0))
            peer.items.append(practice.item)
            peer.score += practice.score
    for offer in posts_list(kind=PeerPost.Kind.OFFER).exclude(organisation=post.organisation):
        shared = [t.label for t in offer.topics.all() if t.pk in topic_ids]
        if shared:
            peer = peers.setdefault(offer.organisation_id, PeerMatch(offer.organisation, [], 0.0))
            peer.reasons.append(
                _("offers help on %(topics)s: “%(text)s”")
                % {"topics": ", ".join(shared), "text": offer.text}
            )
            peer.score += 2
    for peer in peers.values():
        if peer.items:
            titles = [_("“%(title)s”") % {"title": i.title} for i in peer.items[:3]]
            peer.reasons.insert(
                0,
                ngettext("ran the practice %(titles)s", "ran the practices %(titles)s", len(titles))
                % {"titles": ", ".join(titles)},
            )
    return practices, sorted(peers.values(), key=lambda p: -p.score)[:limit]


def contacts_for(user: Viewer) -> tuple[QuerySet[ContactRequest], QuerySet[ContactRequest]]:
    """Requests received by the organisations this person edits, and those they sent."""
    if not user.is_authenticated:
        none = ContactRequest.objects.none()
        return none, none
    editing = user.organisation_memberships.filter(role__in=["editor", "admin"]).values(
        "organisation_id"
    )
    base = ContactRequest.objects.select_related(
        "post", "from_organisation", "to_organisation", "sender", "decided_by", "item"
    )
    return base.filter(to_organisation__in=editing), base.filter(sender=user)
