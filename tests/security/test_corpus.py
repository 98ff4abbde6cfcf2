"""Every hostile input into every user text field of every registered form: no server error,
stored or refused with a clear error, and inert wherever it is shown."""

from collections.abc import Callable
from typing import Any

import pytest
from django import forms
from django.test import Client
from django.urls import resolve, reverse
from django.utils.module_loading import import_string

from cocity.core.testing.corpus import HOSTILE_INPUTS, executable_markup
from cocity.core.testing.forms import (
    autodiscover,
    bare_name,
    check_form_input,
    forms_of_case,
    forms_used_by_views,
    registered_forms,
    text_fields,
)
from tests.factories import CampaignFactory
from tests.security import registry  # noqa: F401  (registers the forms)

autodiscover()

SLUG = "a slug: letters, digits, - and _ only, anything else is a form error"

CASES = [
    pytest.param(case, field, name, id=f"{case.name}-{field}-{name}")
    for case in registered_forms()
    for field in case.fields
    for name in HOSTILE_INPUTS
]


@pytest.mark.django_db
@pytest.mark.parametrize(("case", "field", "payload"), CASES)
def test_hostile_input_is_stored_or_refused_and_always_inert(case, field, payload) -> None:
    scenario_url = case.url_name
    try:
        view = resolve(case.url(case.setup())).func
    except Exception:
        view = None
    if view is not None and getattr(view, "__name__", "") == "_todo":
        pytest.skip(f"{scenario_url} is not built yet")
    check_form_input(case, field, HOSTILE_INPUTS[payload])


# Filters read from the query string (GET): no row is written, their text comes back on the list
# page; ``test_hostile_search_terms_are_inert`` feeds every text field of each to its page.
GET_FORMS: dict[str, tuple[str, Callable[[], dict[str, Any]]]] = {
    "cocity.network.forms.organisations.OrganisationFilterForm": (
        "network:organisation_list", dict
    ),
    "cocity.network.forms.spaces.SpaceFilterForm": ("network:space_list", dict),
    "cocity.events.forms.EventFilterForm": ("events:event_list", dict),
    "cocity.search.forms.SearchForm": ("search:search", dict),
    "cocity.pledges.forms.TotalsForm": (
        "pledges:campaign_detail", lambda: {"slug": CampaignFactory().slug}
    ),
}  # fmt: skip

# Text fields of registered forms that are not fed the corpus, each with the reason.
UNFED_FIELDS: dict[str, dict[str, str]] = {
    "cocity.commons.forms.CallForm": {"slug": SLUG},
    "cocity.commons.forms.CommonsForm": {
        "slug": SLUG,
        "shape": "GeoJSON: fed the boundary corpus (test_boundaries_everywhere.py)",
    },
    "cocity.commons.forms.ReportForm": {
        "photo_alt": "read only with a photo; the photo forms' alt_text is fed",
    },
    "cocity.events.forms.EventForm": {
        "slug": SLUG,
        "reminder_offsets": "minutes as numbers: anything else is a form error",
    },
    "cocity.plans.forms.ProcessForm": {"slug": SLUG},
    "cocity.pledges.forms.FrameworkForm": {"slug": SLUG},
    "cocity.pledges.forms.MeasureForm": {
        "link_title": "the link of pledge measure link add (title, url), which is fed",
        "link_url": "the link of pledge measure link add (title, url), which is fed",
    },
}


def _dotted(form_class: type) -> str:
    return f"{form_class.__module__}.{form_class.__qualname__}"


def test_every_form_a_view_uses_is_registered() -> None:
    """Every form class of cocity that a view uses and a person types into is posted the corpus
    (a registered case), or is a GET filter fed by ``test_hostile_search_terms_are_inert``; and
    every text field of a registered form is in one of its cases, or in ``UNFED_FIELDS``."""
    used = forms_used_by_views()
    assert "cocity.network.forms.spaces.SpaceForm" in {  # the walk finds the views' forms
        _dotted(form_class) for form_class in used["network:space_create"]
    }
    fed: dict[type, set[str]] = {}
    for case in registered_forms():
        found = forms_of_case(case, used)
        assert found, f"{case.name}: {case.url_name} uses no form with the fields {case.fields}"
        for form_class in found:
            fed.setdefault(form_class, set()).update(bare_name(name) for name in case.fields)
    typed_into = {f for forms_ in used.values() for f in forms_ if text_fields(f)}
    unregistered = {_dotted(f) for f in typed_into - set(fed)} - set(GET_FORMS)
    assert not unregistered, f"forms not registered with the corpus: {sorted(unregistered)}"
    unfed = {
        f"{_dotted(f)}.{name}"
        for f, names in fed.items()
        for name in text_fields(f) - names - set(UNFED_FIELDS.get(_dotted(f), {}))
    }
    assert not unfed, f"text fields not fed the corpus: {sorted(unfed)}"
    gone = {
        f"{form}.{name}"
        for form, names in UNFED_FIELDS.items()
        for name in names
        if not any(_dotted(f) == form and name in text_fields(f) for f in fed)
    }
    assert not gone, f"UNFED_FIELDS names what no registered form has: {sorted(gone)}"


def test_every_expected_form_is_registered() -> None:
    names = {case.name for case in registered_forms()}
    assert {
        "sign-up",
        "profile edit",
        "organisation create",
        "organisation edit",
        "space create",
        "space edit",
        "join request message",
        "invitation",
    } <= names


def _get_form_fields() -> list[Any]:
    params = [pytest.param("network:territory_list", dict, "q", id="network:territory_list-q")]
    for dotted, (url_name, kwargs) in GET_FORMS.items():
        form_class = import_string(dotted)
        params += [
            pytest.param(url_name, kwargs, name, id=f"{url_name}-{name}")
            for name, form_field in form_class.base_fields.items()
            if isinstance(form_field, forms.CharField)  # hidden ones too: facets in links
        ]
    return params


@pytest.mark.django_db
@pytest.mark.parametrize(("url_name", "kwargs", "field"), _get_form_fields())
@pytest.mark.parametrize("name", list(HOSTILE_INPUTS))
def test_hostile_search_terms_are_inert(url_name, kwargs, field, name) -> None:
    url = reverse(url_name, kwargs=kwargs())
    response = Client().get(url, {field: HOSTILE_INPUTS[name][:500]})
    assert response.status_code in (200, 400)
    assert not executable_markup(response.content.decode())


@pytest.mark.parametrize(
    ("html", "found"),
    [
        ('<script src="/static/cocity/js/site.js" defer></script>', False),
        ('<script type="application/json" id="x">{"a": 1}</script>', False),
        ("<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>", False),
        ('<a href="https://example.org">x</a>', False),
        ("<script>alert(1)</script>", True),
        ('<script src="https://evil.example/x.js"></script>', True),
        ("<img src=x onerror=alert(1)>", True),
        ("<svg onload=alert(1)></svg>", True),
        ('<a href=" jav&#x09;ascript:alert(1)">x</a>', True),
        ('<iframe srcdoc="&lt;script&gt;"></iframe>', True),
        ("<object data=x></object>", True),
    ],
)
def test_the_markup_check_itself(html, found) -> None:
    assert bool(executable_markup(html)) is found
