"""Shared caches, invalidated by namespace versions: whole pages for anonymous visitors, parts of
pages every viewer sees alike, and small computed values (filter choices, totals, feeds).

Every cached entry belongs to one or more *namespaces* ("network", "events", ...). Each namespace
has a version token stored in the cache; the keys of cached entries hold the tokens, so bumping a
namespace makes every entry built before unreachable at once (it expires on its own, or a page is
replaced when next rendered). Every entry also depends on the namespace ``EVERYWHERE`` ("*"),
for what every page may show (people's public names).

**What bumps a namespace: the table, by model signals** (decision 0007). Each app's
``AppConfig`` declares ``cached_models``: which of its models (or another app's) appear on the
pages cached under which namespaces, e.g. ``{"events.Event": ("events",)}``.
``CoreConfig.ready()`` connects ``post_save``, ``post_delete`` and ``m2m_changed`` for those
models once (``connect_cached_models``), so a write through a service, the admin, the shell, a
data migration, a management command or a factory invalidates the same pages. A save limited by
``update_fields`` to fields no page shows (``Shown(..., fields=...)``: a login's
``last_login``) bumps nothing. Writes that send no signal (``QuerySet.update()``,
``bulk_create``, raw SQL) on a model of the table call ``rows_changed(Model)`` next to the write.
This is the one place signals are used in the project.

A bump replaces the token immediately and again when the transaction commits (one bump per
namespace per commit, however many rows were written): a request that rendered between the two
from data not yet committed cannot keep its stale page, and a rolled-back write leaves nothing
stale either (the pages built meanwhile saw the old, still-current rows).

The cache is Django's default cache: Redis when ``REDIS_URL`` is set (shared by every app process,
which is what a deployment with several processes needs), local memory otherwise (one process:
the demo and the tests).

Pages (``public_page_cache``) are cached only for anonymous visitors, GET/HEAD, without pending
messages, and only 200 responses that set no cookie. The key holds the namespaces, the
host, the language, the viewer's time zone, ``HX-Request`` and the full path. The CSRF token is
never cached: the page is rendered with a placeholder (see ``context_processors.site``) that is
replaced by this visitor's own token on every response, which also sets the CSRF cookie. A hit
costs one cache round trip (the page and the namespace versions are read together). Visitors
without a session cookie (nearly all anonymous visits) are answered by
``PublicPageCacheMiddleware`` before authentication, the inner middleware and the view: a hit
costs about 1.5 times a minimal view. A page whose view wrote to the session is never stored.
``COCITY_PAGE_CACHE`` turns the page cache on: by default with Redis only (a per-process cache
would leave the other processes' pages stale after a write); on in the tests too, each test with
a key prefix of its own (``tests/conftest.py``), and ``tests/core/test_cache_walk.py`` writes to
every model shown on every cached page and checks the page changes.
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import secrets
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from django.apps import apps
from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.db import models, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.urls import Resolver404, resolve
from django.utils import timezone, translation

from cocity.core.timezones import valid_zone
from cocity.core.translations import viewing

T = TypeVar("T")

CSRF_PLACEHOLDER = "cocity-csrf-placeholder-5f0c1e9a7b"
_PLACEHOLDER_BYTES = CSRF_PLACEHOLDER.encode()
_RENDERING_FLAG = "_cocity_csrf_placeholder"
_VERSION_KEY = "cocity:version:{}"
DEFAULT_PAGE_TIMEOUT = 600
EVERYWHERE = "*"  # a namespace every cached entry depends on


def _new_token() -> str:
    return secrets.token_hex(6)


def _version_keys(namespaces: Iterable[str]) -> list[str]:
    names = dict.fromkeys(namespaces)
    names.setdefault(EVERYWHERE)
    return [_VERSION_KEY.format(name) for name in names]


def _versions_from(found: dict[str, Any], keys: list[str]) -> str:
    for key in keys:
        if key not in found:  # first use, or evicted: start a version (someone may race us)
            cache.add(key, _new_token(), timeout=None)
            found[key] = cache.get(key) or _new_token()
    return ".".join(str(found[key]) for key in keys)


def namespace_versions(namespaces: Iterable[str]) -> str:
    """The current version tokens of these namespaces (and ``EVERYWHERE``), as one string (one
    cache round trip)."""
    keys = _version_keys(namespaces)
    return _versions_from(cache.get_many(keys), keys)


# Bumping --------------------------------------------------------------------------------------

_STAMPS = itertools.count()  # orders the bumps registered and run in a thread
_committed = threading.local()  # .done: namespace -> stamp of its last bump on commit


def _set_new_tokens(namespaces: Iterable[str]) -> None:
    cache.set_many({_VERSION_KEY.format(name): _new_token() for name in namespaces}, timeout=None)


# Work that follows changes of some namespaces (the open-data packages' regeneration): each
# callback runs once per commit that changed one of its namespaces, after the commit (at once
# for a write outside a transaction). The table's signals stay the one place writes are seen.
_FOLLOWERS: list[tuple[frozenset[str], Callable[[], None]]] = []


def after_changes(namespaces: Iterable[str], callback: Callable[[], None]) -> None:
    """Run ``callback`` after every commit that changed one of ``namespaces``."""
    _FOLLOWERS.append((frozenset(namespaces), callback))


def _follow(names: Iterable[str]) -> None:
    changed = set(names)
    for watched, callback in _FOLLOWERS:
        if watched & changed:
            callback()


def bump_cache_versions(*namespaces: str) -> None:
    """Make every page and value cached under these namespaces stale: now, and after the
    commit. Called by the model signals (the table) and ``rows_changed``."""
    names = tuple(dict.fromkeys(namespaces))
    if not names:
        return
    _set_new_tokens(names)
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(functools.partial(_bump_on_commit, names, next(_STAMPS)))
    elif _FOLLOWERS:
        _follow(names)


def _bump_on_commit(names: tuple[str, ...], stamp: int) -> None:
    """Once per namespace per commit: the transaction's callbacks all run after its last
    write, so the first one bumps and the others (registered earlier) have nothing to add."""
    done: dict[str, int] = _committed.__dict__.setdefault("done", {})
    due = [name for name in names if done.get(name, -1) < stamp]
    if due:
        _set_new_tokens(due)
        now = next(_STAMPS)
        for name in due:
            done[name] = now
        if _FOLLOWERS:
            _follow(due)


# The table: which models appear on pages cached under which namespaces -------------------------


@dataclass(frozen=True)
class Shown:
    """Rows of a model appear on the pages of ``namespaces`` through ``fields`` only: a save
    limited (``update_fields``) to other fields bumps nothing. Without ``fields``, any write."""

    namespaces: tuple[str, ...]
    fields: frozenset[str] | None = None


CachedModels = Mapping[str, "tuple[str, ...] | Shown"]
_TABLE: dict[type[models.Model], list[Shown]] = {}
_M2M: dict[type[models.Model], set[str]] = {}  # an m2m table -> the namespaces of its two ends


def register_cached_models(table: CachedModels) -> None:
    """Add ``{"app_label.Model": namespaces or Shown(...)}`` to the table and connect the signals
    of those models (once each). Declared by each app as ``AppConfig.cached_models``."""
    for label, entry in table.items():
        shown = entry if isinstance(entry, Shown) else Shown(tuple(entry))
        model = apps.get_model(label)
        if shown not in _TABLE.setdefault(model, []):
            _TABLE[model].append(shown)
        uid = f"cocity-cache:{model._meta.label}"
        post_save.connect(_saved, sender=model, dispatch_uid=uid, weak=False)
        post_delete.connect(_deleted, sender=model, dispatch_uid=uid, weak=False)
    _connect_m2m()


def _connect_m2m() -> None:
    """Every many-to-many relation declared by a model of the table: adding or removing a link
    bumps that model's namespaces (with ``Shown.fields``, only if they name the relation). Pages
    of the other end that show the links list the link table itself
    (``"events.Event_organisations"``)."""
    _M2M.clear()
    for model in list(_TABLE):
        for field in model._meta.local_many_to_many:
            through = field.remote_field.through
            names = {
                name
                for shown in _TABLE[model]
                if shown.fields is None or field.name in shown.fields
                for name in shown.namespaces
            }
            if names and through is not None:
                _M2M.setdefault(through, set()).update(names)
        if model._meta.auto_created:  # a link table listed itself
            _M2M.setdefault(model, set()).update(cache_namespaces_of(model))
    for through in _M2M:
        m2m_changed.connect(
            _linked,
            sender=through,
            dispatch_uid=f"cocity-cache:m2m:{through._meta.label}",
            weak=False,
        )


def connect_cached_models() -> None:
    """The table from every installed app's ``cached_models`` (``CoreConfig.ready()``)."""
    for config in apps.get_app_configs():
        register_cached_models(getattr(config, "cached_models", {}))


def cache_namespaces_of(model: type[models.Model]) -> tuple[str, ...]:
    """Every namespace whose pages show rows of ``model`` (for any field)."""
    concrete = model._meta.concrete_model or model
    entries = _TABLE.get(model, []) or _TABLE.get(concrete, [])
    return tuple(dict.fromkeys(name for shown in entries for name in shown.namespaces))


def cached_models() -> dict[type[models.Model], tuple[str, ...]]:
    """The whole table: model -> namespaces (for the tests that walk the cached pages)."""
    return {model: cache_namespaces_of(model) for model in _TABLE}


def rows_changed(*changed: type[models.Model]) -> None:
    """For writes that send no signal (``QuerySet.update()``, ``bulk_create``, raw SQL) on models
    of the table: bump what they appear on, as a save would."""
    bump_cache_versions(*(name for model in changed for name in cache_namespaces_of(model)))


def _saved(sender: type[models.Model], update_fields: Any = None, **kwargs: Any) -> None:
    fields = set(update_fields) if update_fields else None
    names = [
        name
        for shown in _TABLE.get(sender, ())
        if fields is None or shown.fields is None or fields & shown.fields
        for name in shown.namespaces
    ]
    bump_cache_versions(*names)


def _deleted(sender: type[models.Model], **kwargs: Any) -> None:
    bump_cache_versions(*cache_namespaces_of(sender))


def _linked(sender: type[models.Model], action: str, **kwargs: Any) -> None:
    if action in ("post_add", "post_remove", "post_clear"):
        bump_cache_versions(*sorted(_M2M.get(sender, ())))


def cached(
    namespaces: Iterable[str], name: str, compute: Callable[[], T], timeout: int = 3600
) -> T:
    """``compute()``, kept in the cache until one of the namespaces changes (or ``timeout``)."""
    namespaces = tuple(namespaces)
    key = f"cocity:data:{name}:{namespace_versions(namespaces)}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, timeout)
    return value


def shared_fragment(
    request: HttpRequest,
    namespaces: Iterable[str],
    name: str,
    render: Callable[[], str],
    timeout: int = DEFAULT_PAGE_TIMEOUT,
) -> str:
    """A part of a page that every viewer sees alike (a public list, a table of totals), for
    signed-in people, whom the page cache never serves: ``render()`` once per namespace
    versions and viewer key (``_viewer_key``), then kept in the cache. The page around it
    (header, personal links, forms with a CSRF token) stays theirs. Only for parts with nothing
    personal in them; follows ``COCITY_PAGE_CACHE``."""
    if not getattr(settings, "COCITY_PAGE_CACHE", True):
        return render()
    key = _viewer_key("fragment", name, request, timezone.get_current_timezone_name())
    return cached(namespaces, key, render, timeout)


# Pages ----------------------------------------------------------------------------------------


def rendering_with_csrf_placeholder(request: HttpRequest) -> bool:
    """True while a page meant for the cache renders: templates get the placeholder token."""
    return bool(getattr(request, _RENDERING_FLAG, False))


def _may_use_cache(request: HttpRequest) -> bool:
    if not getattr(settings, "COCITY_PAGE_CACHE", True):
        return False
    if request.method not in ("GET", "HEAD"):
        return False
    # Without a session cookie this is answered from an empty session, without a query.
    if request.user.is_authenticated:
        return False
    # len() reads the pending messages without marking them as shown.
    return len(get_messages(request)) == 0


def _viewer_key(prefix: str, label: str, request: HttpRequest, zone: str) -> str:
    """A cache key for what this kind of viewer gets at this address: ``label``, host, scheme,
    language, time zone ``zone``, htmx fragment or full page, and the full path."""
    parts = [
        label,
        request.get_host(),
        "https" if request.is_secure() else "http",
        translation.get_language() or "",
        viewing().key(),
        zone,
        "htmx" if request.headers.get("HX-Request") == "true" else "page",
        request.get_full_path(),
    ]
    digest = hashlib.sha256("\n".join(parts).encode()).hexdigest()
    return f"{prefix}:{digest}"


def _page_key(request: HttpRequest, namespaces: tuple[str, ...]) -> str:
    """The key of this page for this kind of visitor. The namespace versions are not in it but
    in the entry, so a hit costs one round trip (entry and versions read together) and a page
    rendered again after a write replaces its old entry instead of leaving it to expire."""
    zone = timezone.get_current_timezone_name()
    return _viewer_key("cocity:page", ",".join(namespaces), request, zone)


def _with_visitor_token(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    if response.streaming or _PLACEHOLDER_BYTES not in response.content:
        return response
    token = get_token(request).encode()  # also makes the CSRF middleware set the cookie
    response.content = response.content.replace(_PLACEHOLDER_BYTES, token)
    return response


def _storable(response: HttpResponse, request: HttpRequest) -> bool:
    """A 200 that sets no cookie and is not private; a view that wrote to the visitor's session
    (a random order's seed) made a page of that visitor's own: the session cookie is only added
    by the session middleware, after the cache saw the response."""
    session = getattr(request, "session", None)
    if session is not None and session.modified:
        return False
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and "private" not in response.headers.get("Cache-Control", "")
    )


_FAST_VERSIONS = "_cocity_page_versions"  # set by the middleware: versions read before the view
_FAST_NAMESPACES = "_cocity_page_namespaces"  # set by the view: it rendered for the cache


def public_page_cache(
    namespaces: Iterable[str] = ("network",),
    timeout: int = DEFAULT_PAGE_TIMEOUT,
    *,
    everyone: bool = False,
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Serve this view's page from the shared cache to anonymous visitors (see the module).

    Visitors without a session cookie (nearly all anonymous visits) are answered by
    ``PublicPageCacheMiddleware`` before the inner middleware, the URL resolver and the view
    run; this decorator then only marks the page as storable. Anonymous visitors with a
    session are served here.

    ``everyone=True`` is for responses that show nothing of the person asking (open data such
    as a map's GeoJSON: no header, no form, no CSRF token): signed-in people get the same
    cached copy."""
    names = tuple(namespaces)

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @functools.wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not (_may_serve_everyone(request) if everyone else _may_use_cache(request)):
                return view(request, *args, **kwargs)
            if getattr(request, _FAST_VERSIONS, None) is not None:
                # The middleware has looked the page up, missed, and stores what we render.
                setattr(request, _FAST_NAMESPACES, names)
                return _render_with_placeholder(request, view, args, kwargs)
            key = _page_key(request, names)
            versions, hit = _lookup(request, key, names)
            if hit is not None:
                return hit
            response = _render_with_placeholder(request, view, args, kwargs)
            return _store(request, key, versions, response, timeout)

        wrapped._cocity_page_cache = (names, timeout, everyone)  # type: ignore[attr-defined]
        return wrapped

    return decorator


def _lookup(
    request: HttpRequest, key: str, names: tuple[str, ...]
) -> tuple[str, HttpResponse | None]:
    """The namespace versions (read before any rendering) and, if the stored page was built at
    those versions, the response for this visitor: one cache round trip."""
    version_keys = _version_keys(names)
    found = cache.get_many([key, *version_keys])
    versions = _versions_from(found, version_keys)
    entry = found.get(key)
    if entry is None or entry[0] != versions:
        return versions, None
    _versions, status, headers, content = entry
    return versions, _with_visitor_token(request, _response(status, headers, content))


def _store(
    request: HttpRequest, key: str, versions: str, response: HttpResponse, timeout: int
) -> HttpResponse:
    """Keep the page rendered with the placeholder (if it may be kept); answer with the token."""
    if _storable(response, request):
        cache.set(key, (versions, *_entry_parts(response)), timeout)
    return _with_visitor_token(request, response)


def _render_with_placeholder(
    request: HttpRequest, view: Callable[..., HttpResponse], args: Any, kwargs: Any
) -> HttpResponse:
    setattr(request, _RENDERING_FLAG, True)
    try:
        response = view(request, *args, **kwargs)
        if hasattr(response, "render") and callable(response.render):
            response = response.render()  # a TemplateResponse renders now, flagged
    finally:
        setattr(request, _RENDERING_FLAG, False)
    return response


def _entry_parts(response: HttpResponse) -> tuple[int, list[tuple[str, str]], bytes]:
    headers = [(h, v) for h, v in response.headers.items() if h.lower() != "set-cookie"]
    return response.status_code, headers, response.content


def _response(status: int, headers: list[tuple[str, str]], content: bytes) -> HttpResponse:
    response = HttpResponse(content, status=status)
    for header, value in headers:
        response.headers[header] = value
    return response


class PublicPageCacheMiddleware:
    """The fast path of ``public_page_cache``: a visitor without a session cookie is anonymous
    and has no pending messages, so their page can be looked up before authentication, the
    inner middleware, the URL resolver and the view. Placed after ``LocaleMiddleware`` (the
    language is known) and ``CsrfViewMiddleware`` (which sets the visitor's CSRF cookie on the
    way out). Only paths that resolve to a view decorated with ``public_page_cache`` are looked
    up (its namespaces and timeout are on the view). The entry keeps the headers the inner
    middleware added (CSP, X-Frame-Options, Vary), so a hit answers like a rendered page. A miss
    costs nothing more: the versions read with the entry are handed to the view, which renders
    once with the CSRF placeholder."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        cacheable = self._cacheable(request)
        if cacheable is None:
            return self.get_response(request)
        names, timeout, _everyone = cacheable
        key = _fast_key(request, names)
        versions, hit = _lookup(request, key, names)
        if hit is not None:
            return hit
        setattr(request, _FAST_VERSIONS, versions)
        response = self.get_response(request)
        if getattr(request, _FAST_NAMESPACES, None) is None:
            return response  # the view did not use the cache (a signed-in path, an error)
        return _store(request, key, versions, response, timeout)

    @staticmethod
    def _cacheable(request: HttpRequest) -> tuple[tuple[str, ...], int, bool] | None:
        """The namespaces, timeout and audience of the cached view this request goes to, if it
        may be served from the cache here."""
        if not _may_serve_everyone(request):
            return None
        urlconf = getattr(request, "urlconf", None) or settings.ROOT_URLCONF
        policy = _cache_policy(request.path_info, urlconf)
        if policy is None:
            return None
        if not policy[2] and (
            settings.SESSION_COOKIE_NAME in request.COOKIES or "messages" in request.COOKIES
        ):
            return None  # maybe signed in, maybe messages: the view decides
        return policy


def _may_serve_everyone(request: HttpRequest) -> bool:
    return bool(getattr(settings, "COCITY_PAGE_CACHE", True)) and request.method in ("GET", "HEAD")


@functools.lru_cache(maxsize=4096)
def _cache_policy(path: str, urlconf: Any) -> tuple[tuple[str, ...], int, bool] | None:
    """What ``public_page_cache`` said of the view at ``path`` (memoised: routing is static)."""
    try:
        match = resolve(path, urlconf)
    except Resolver404:
        return None
    return getattr(match.func, "_cocity_page_cache", None)


def _fast_key(request: HttpRequest, namespaces: tuple[str, ...]) -> str:
    """Like ``_page_key``, before ``TimezoneMiddleware`` has run: the zone from the cookie."""
    from cocity.core.middleware import TIMEZONE_COOKIE  # core.middleware imports nothing of ours

    zone = _zone_or_default(request.COOKIES.get(TIMEZONE_COOKIE, ""))
    return _viewer_key("cocity:fastpage", ",".join(namespaces), request, zone)


def _zone_or_default(name: str) -> str:
    """The zone TimezoneMiddleware will activate for this cookie ("" for the default)."""
    return valid_zone(name) or ""  # the middleware's own check
