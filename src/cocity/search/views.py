from django.http import HttpResponse
from django.shortcuts import render

from cocity.core.http import HtmxHttpRequest, vary_on_htmx

from .forms import SearchForm
from .selectors import FACETS, search


def search_page(request: HtmxHttpRequest) -> HttpResponse:
    # A query longer than the form's limit is cut, never refused: the selector says so.
    data = request.GET.copy()
    raw = str(data.get("q", ""))
    if len(raw) > 20_000:
        data["q"] = raw[:20_000]
    form = SearchForm(data)
    form.is_valid()
    cleaned = getattr(form, "cleaned_data", {})
    filters = {name: str(cleaned.get(name) or "") for name in FACETS}
    results = search(
        user=request.user,
        raw_query=cleaned.get("q", ""),
        filters=filters,
        page=request.GET.get("page"),
    )
    base_query = {k: v for k, v in {"q": results.query.text, **filters}.items() if v}
    context = {"form": form, "results": results, "base_query": base_query}
    template = "search/_results.html" if request.htmx else "search/search.html"
    return vary_on_htmx(render(request, template, context))
