"""The registry of forms the hostile-input corpus is posted into, and the check itself.

Each app registers its forms in a ``security_forms.py`` test module (``tests/<app>/`` or
``src/cocity/<app>/tests/``) or in ``tests/security/registry.py``::

    register_form(
        FormCase(
            name="space edit",
            url_name="network:space_edit",
            url_kwargs=lambda s: {"slug": s.objects["space"].slug},
            setup=make_space_with_admin,  # returns Scenario(user=..., objects={...})
            data=lambda s: {"name": "Garden", "kind": "lab", ...},  # a valid submission
            fields=("name", "summary", "description"),
            stored=lambda s, field: getattr(Space.objects.get(pk=...), field),
        )
    )

``check_form_input`` then posts one payload into one field (the rest of the form valid) and
asserts: no server error; either a clear error or the value stored; and the pages showing it
(the form re-rendered, the page the form leads to, ``rendered_at``) carry no executable markup.
A clear error is a form error on the page, the plain-text 400 of unreadable input (a NUL byte),
or, for a form posted from another page that goes back there, an error message on that page.
"""

# ruff: noqa: S101  (a test helper: its assertions are the point)
from __future__ import annotations

import ast
import importlib
import importlib.util
import inspect
import textwrap
import types
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.apps import apps
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils.module_loading import import_string

from cocity.core.text import clean_plain_text

from .corpus import executable_markup
from .surfaces import named_views


@dataclass
class Scenario:
    """What a form case needs: the person posting (None: anonymous) and the objects involved."""

    user: Any = None
    objects: dict[str, Any] = field(default_factory=dict)


def _no_kwargs(scenario: Scenario) -> dict[str, Any]:
    return {}


@dataclass(frozen=True)
class FormCase:
    name: str
    url_name: str
    fields: tuple[str, ...]
    setup: Callable[[], Scenario]
    data: Callable[[Scenario], dict[str, Any]]
    url_kwargs: Callable[[Scenario], dict[str, Any]] = _no_kwargs
    # Where the stored value is shown; default: wherever the successful POST redirects.
    rendered_at: Callable[[Scenario], str] | None = None
    # Who looks at that page (default: the person who posted).
    viewer: Callable[[Scenario], Any] | None = None
    # Reads the stored value back (to prove a success really stored the input).
    stored: Callable[[Scenario, str], Any] | None = None

    def url(self, scenario: Scenario) -> str:
        return reverse(self.url_name, kwargs=self.url_kwargs(scenario))


_REGISTRY: dict[str, FormCase] = {}


def register_form(case: FormCase) -> FormCase:
    if case.name in _REGISTRY and _REGISTRY[case.name] is not case:
        raise ValueError(f"A form case named {case.name!r} is registered already.")
    _REGISTRY[case.name] = case
    return case


def registered_forms() -> list[FormCase]:
    return sorted(_REGISTRY.values(), key=lambda case: case.name)


def autodiscover() -> None:
    """Import every ``security_forms`` test module so that its forms register themselves."""
    for config in apps.get_app_configs():
        if not config.name.startswith("cocity."):
            continue
        for module in (
            f"{config.name}.tests.security_forms",
            f"tests.{config.label}.security_forms",
        ):
            try:
                found = importlib.util.find_spec(module) is not None
            except ModuleNotFoundError:
                found = False
            if found:
                importlib.import_module(module)


def _form_error_shown(response: Any) -> bool:
    body = response.content.decode(errors="replace")
    if response.status_code == 400 and response["Content-Type"].startswith("text/plain"):
        # cocity.core.middleware.BadInputMiddleware: a NUL byte or an invalid encoding is
        # refused, with its reason, before any form sees it.
        return body.startswith("Bad request:")
    return "errorlist" in body or 'role="alert"' in body


def _assert_inert(response: Any, where: str) -> None:
    problems = executable_markup(response.content.decode(errors="replace"), settings.STATIC_URL)
    assert not problems, f"{where}: executable markup in the page: {problems}"


def _same_text(stored: Any, payload: str) -> bool:
    """The stored value is the input, give or take normalisation (control characters removed,
    whitespace trimmed or collapsed, a scheme added to a URL, an address lower-cased)."""
    if stored is None:
        return False

    def squash(text: str) -> str:
        return " ".join(clean_plain_text(text).split()).casefold()

    return squash(payload) in squash(str(stored))


def check_form_input(case: FormCase, field_name: str, payload: str) -> str:
    """Post ``payload`` into ``field_name``; return "stored" or "rejected" (or fail)."""
    scenario = case.setup()
    client = Client(raise_request_exception=False)
    if scenario.user is not None:
        client.force_login(scenario.user)
    url = case.url(scenario)
    data = {**case.data(scenario), field_name: payload}
    response = client.post(url, data)
    assert response.status_code < 500, f"{case.name}/{field_name}: server error"
    assert response.status_code not in (403, 404, 405), (
        f"{case.name}: {url} answered {response.status_code}; check the case's setup"
    )
    if response.status_code in (200, 400, 422):
        assert _form_error_shown(response), (
            f"{case.name}/{field_name}: neither stored (no redirect) nor a form error shown"
        )
        _assert_inert(response, f"{case.name}/{field_name} (form re-rendered)")
        return "rejected"
    assert response.status_code in (301, 302, 303), response.status_code
    if case.stored is not None:
        value = case.stored(scenario, field_name)
        if not _same_text(value, payload):
            # A form posted from another page (a report, an answer) goes back there with its
            # error as a message.
            back = client.get(response["Location"])
            assert back.status_code == 200 and "message-error" in back.content.decode(), (
                f"{case.name}/{field_name}: redirected, but the stored value is "
                f"{str(value)[:80]!r} and no error is shown"
            )
            _assert_inert(back, f"{case.name}/{field_name} (refused, back at the page)")
            return "rejected"
    target = case.rendered_at(scenario) if case.rendered_at else response["Location"]
    viewer = case.viewer(scenario) if case.viewer else scenario.user
    reader = Client(raise_request_exception=False)
    if viewer is not None:
        reader.force_login(viewer)
    page = reader.get(target)
    assert page.status_code == 200, f"{case.name}: {target} answered {page.status_code}"
    _assert_inert(page, f"{case.name}/{field_name} shown at {target}")
    return "stored"


# --- Which forms the views use -----------------------------------------------------------------


def _is_form(value: Any) -> bool:
    return (
        isinstance(value, type)
        and issubclass(value, forms.BaseForm)
        and value.__module__.startswith("cocity.")
    )


def _forms_in(value: Any) -> set[type]:
    """The form classes a name stands for: a form class, or a constant (a tuple, list or dict)
    holding some."""
    if _is_form(value):
        return {value}
    if isinstance(value, dict):
        return _forms_in(list(value)) | _forms_in(list(value.values()))
    if isinstance(value, list | tuple):
        return set().union(*(_forms_in(item) for item in value)) if value else set()
    return set()


def forms_named_by(function: Any, depth: int = 3, seen: set[Any] | None = None) -> set[type]:
    """The form classes a view function names (``SpaceForm``, ``forms.SpaceForm``), also through
    the functions of its own module it calls and the constants it names, a few levels deep."""
    seen = set() if seen is None else seen
    if function in seen:
        return set()
    seen.add(function)
    try:
        tree = ast.parse(textwrap.dedent(inspect.getsource(function)))
    except (OSError, TypeError):
        return set()
    names = function.__globals__
    found: set[type] = set()
    for node in ast.walk(tree):
        value = None
        if isinstance(node, ast.Name):
            value = names.get(node.id)
        elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            owner = names.get(node.value.id)
            if isinstance(owner, types.ModuleType):
                value = getattr(owner, node.attr, None)
        found |= _forms_in(value)
        if depth and inspect.isfunction(value) and value.__module__ == function.__module__:
            found |= forms_named_by(value, depth - 1, seen)
    return found


def forms_used_by_views() -> dict[str, set[type]]:
    """Every named URL of cocity and the form classes of cocity its view uses (allauth's sign-up
    view uses the one ``ACCOUNT_SIGNUP_FORM_CLASS`` names)."""
    used = {
        name: forms_named_by(inspect.unwrap(view)) if inspect.isfunction(inspect.unwrap(view))
        else set()
        for name, view in named_views().items()
    }  # fmt: skip
    signup = getattr(settings, "ACCOUNT_SIGNUP_FORM_CLASS", None)
    if signup:
        used["account_signup"] = {import_string(signup)}
    return used


def text_fields(form_class: type) -> set[str]:
    """The fields of a form a person types text into (not a choice, a password or a hidden
    field)."""
    return {
        name
        for name, form_field in form_class.base_fields.items()  # type: ignore[attr-defined]
        if isinstance(form_field, forms.CharField)
        and not isinstance(
            form_field.widget, forms.PasswordInput | forms.HiddenInput | forms.Select
        )
    }


def forms_of_case(case: FormCase, used: dict[str, set[type]]) -> set[type]:
    """The form classes a case posts into: the one its view uses, or, when the view uses
    several, those that have one of the case's fields (``track-name``: a ``name`` field)."""
    candidates = used.get(case.url_name, set())
    if len(candidates) == 1:
        return set(candidates)
    return {
        form_class
        for form_class in candidates
        if any(bare_name(name) in form_class.base_fields for name in case.fields)  # type: ignore[attr-defined]
    }


def bare_name(field_name: str) -> str:
    """A field's name without its form's prefix (``track-name`` -> ``name``)."""
    return field_name.split("-", 1)[-1]
