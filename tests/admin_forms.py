"""What a browser would post from an admin page: the fields of its change form, as shown.

Tests of the admin post the real form (every field, the inlines' management forms) with only
the values they mean to change replaced."""

from html.parser import HTMLParser
from typing import Any

SKIPPED_TYPES = {"submit", "button", "file", "reset", "image"}


class _FormFields(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.in_form = False
        self.data: dict[str, list[str]] = {}
        self._select: str | None = None
        self._select_values: list[str] = []
        self._first_option: str | None = None
        self._textarea: str | None = None
        self._text: list[str] = []

    def _add(self, name: str, value: str) -> None:
        self.data.setdefault(name, []).append(value)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = {key: value or "" for key, value in attrs}
        if tag == "form" and attr.get("id", "").endswith("_form"):
            self.in_form = True
        if not self.in_form or ("name" not in attr and tag != "option"):
            return
        if tag == "input":
            kind = attr.get("type", "text").lower()
            if kind in SKIPPED_TYPES or "disabled" in attr:
                return
            if kind in ("checkbox", "radio"):
                if "checked" in attr:
                    self._add(attr["name"], attr.get("value", "on"))
                return
            self._add(attr["name"], attr.get("value", ""))
        elif tag == "select":
            self._select, self._select_values, self._first_option = attr["name"], [], None
            self._multiple = "multiple" in attr
        elif tag == "option" and self._select is not None:
            value = attr.get("value", "")
            if self._first_option is None:
                self._first_option = value
            if "selected" in attr:
                self._select_values.append(value)
        elif tag == "textarea":
            self._textarea, self._text = attr["name"], []

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.in_form = False
        elif tag == "select" and self._select is not None:
            values = self._select_values
            if not values and not self._multiple and self._first_option is not None:
                values = [self._first_option]
            for value in values:
                self._add(self._select, value)
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            text = "".join(self._text)
            self._add(self._textarea, text[1:] if text.startswith("\n") else text)
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._text.append(data)


def admin_form_data(client: Any, url: str, **changes: Any) -> dict[str, Any]:
    """The admin form at ``url`` as a browser would post it, with ``changes`` applied."""
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    parser = _FormFields()
    parser.feed(response.content.decode())
    data: dict[str, Any] = {
        name: values if len(values) > 1 else values[0] for name, values in parser.data.items()
    }
    data.update(changes)
    return data
