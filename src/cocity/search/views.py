"""The search page: the question, the filters and the scope all live in the page's address, so
a search can be shared, reloaded and gone back to. Every active filter shows as a chip that
removes it, even a value the index does not know (an old link, a hand-edited address)."""

from typing import Any

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.utils.http import urlencode
from django.utils.translation import get_language_info
from django.utils.translation import gettext as _

from cocity.core.http import HtmxHttpRequest, vary_on_htmx
from cocity.core.translations import translated
from cocity.network.models import Territory, Topic
from cocity.network.selectors import spaces_visible_to

from .forms import SearchForm
from .models import Document
from .selectors import FACETS, SearchResults, search

RESULTS_TARGET = "search-results"  # the id of the region an htmx search swaps
CHIP_VALUE_CHARS = 60  # a chip shows at most this much of a value nobody indexed


def _address(params: dict[str, str]) -> str:
    """``?a=1&b=2`` of the non-empty parameters, in a stable order (``?`` alone for none)."""
    pairs = [(key, value) for key, value in params.items() if value]
    return "?" + urlencode(pairs) if pairs else "?"


def _facet_names() -> dict[str, str]:
    return {
        "kind": _("Kind"),
        "topic": _("Topic"),
        "city": _("City"),
        "language": _("Language"),
        "year": _("Year"),
        "space": _("Space"),
    }


def _value_label(request: HtmxHttpRequest, results: SearchResults, name: str, value: str) -> str:
    """What a chip calls a filter's value: the facet's own label when the results count it,
    else the thing it names (looked up once, by an indexed column), else the value itself."""
    for facet in results.facets.get(name, []):
        if facet.value == value:
            return _(facet.label) if name == "kind" and facet.label else facet.label
    label = ""
    if name == "kind":
        label = (
            Document.objects.filter(kind=value).values_list("kind_label", flat=True).first() or ""
        )
        label = _(label) if label else ""
    elif name == "topic":
        topic = Topic.objects.filter(slug=value).first()
        label = topic.label if topic else ""
    elif name == "city":
        city = Territory.objects.filter(code=value).first()
        label = translated(city, "name") if city else ""
    elif name == "language":
        try:
            label = str(get_language_info(value)["name_translated"])
        except (KeyError, ValueError):
            label = ""
    elif name == "space" and value.isdigit() and len(value) < 12:
        # Only a space this person may see is named (a members-only space's id tells nothing).
        space = spaces_visible_to(request.user).filter(pk=int(value)).first()
        label = translated(space, "name") if space else ""
    if not label:
        label = value if len(value) <= CHIP_VALUE_CHARS else value[:CHIP_VALUE_CHARS] + "…"
    return label


def _chips(
    request: HtmxHttpRequest, results: SearchResults, state: dict[str, str]
) -> list[dict[str, str]]:
    """One chip per active filter and for the scope: its label and the same address without
    it (and back on the first page)."""
    names = _facet_names()
    chips = []
    within = getattr(results, "within", "")
    if within:
        label = str(getattr(results, "within_label", "") or within)
        chips.append(
            {
                "name": "within",
                "label": label[:1].upper() + label[1:],
                "remove_url": _address({k: v for k, v in state.items() if k != "within"}),
            }
        )
    for name in FACETS:
        value = state.get(name, "")
        if not value:
            continue
        chips.append(
            {
                "name": name,
                "label": _("%(facet)s: %(value)s")
                % {"facet": names[name], "value": _value_label(request, results, name, value)},
                "remove_url": _address({k: v for k, v in state.items() if k != name}),
            }
        )
    return chips


def search_page(request: HtmxHttpRequest) -> HttpResponse:
    # Every value is cut to its field's length, never refused: a long query is cut (the
    # selector says so), a filter too long for any indexed value simply finds nothing.
    data = request.GET.copy()
    for name, field in SearchForm.base_fields.items():
        limit = getattr(field, "max_length", None)
        raw = str(data.get(name, ""))
        if limit and len(raw) > limit:
            data[name] = raw[:limit]
    form = SearchForm(data)
    form.is_valid()
    cleaned: dict[str, Any] = getattr(form, "cleaned_data", {})
    filters = {name: str(cleaned.get(name) or "").strip() for name in FACETS}
    results = search(
        user=request.user,
        raw_query=cleaned.get("q", ""),
        filters=filters,
        page=request.GET.get("page"),
        within=str(cleaned.get("within") or ""),
    )
    # The page's state as its address writes it; an unknown scope is dropped (the selector
    # ignored it), an unknown filter value kept (its chip removes it).
    state = {"q": results.query.text, **filters, "within": getattr(results, "within", "")}
    chips = _chips(request, results, state)
    suggestion = getattr(results, "suggestion", "")
    context = {
        "form": form,
        "results": results,
        "state": state,
        "base_query": {k: v for k, v in state.items() if v},
        "chips": chips,
        "has_facets": any(results.facets.values()),
        "clear_url": _address({"q": state["q"]}) if len(chips) > 1 else "",
        "suggestion_url": _address({**state, "q": suggestion}) if suggestion else "",
        "results_target": RESULTS_TARGET,
    }
    # The results alone for the search form's own htmx request; the whole page for a direct
    # load, a reload and htmx's history restore (the back button on a page htmx pushed).
    fragment = (
        request.htmx
        and not request.htmx.history_restore_request
        and request.htmx.target == RESULTS_TARGET
    )
    context["fragment"] = fragment  # the fragment carries the page's title (htmx sets it)
    template = "search/_results.html" if fragment else "search/search.html"
    response = vary_on_htmx(render(request, template, context))
    patch_vary_headers(response, ("HX-Target", "HX-History-Restore-Request"))
    return response
