"""Form widgets shared by the apps."""

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString


class DatalistInput(forms.TextInput):
    """A text input with a short list of suggestions (``<datalist>``): it scales where a
    ``<select>`` of every row would not, and works without JavaScript (the value is typed or
    picked, then sent as is). ``suggestions`` is a list of ``(value, label)``."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs)
        self.suggestions: Sequence[tuple[str, str]] = ()

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        attrs = dict(attrs or {})
        list_id = f"{attrs.get('id') or 'id_' + name}-suggestions"
        attrs["list"] = list_id
        attrs.setdefault("autocomplete", "off")
        html = super().render(name, value, attrs, renderer)
        options = format_html_join(
            "", '<option value="{}">{}</option>', ((v, label) for v, label in self.suggestions)
        )
        return format_html('{}<datalist id="{}">{}</datalist>', html, list_id, options)
