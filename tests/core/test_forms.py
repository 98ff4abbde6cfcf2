"""The shared form plumbing: a service's refusal on the form, and plain-text cleaning."""

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from cocity.core.forms import PlainTextMixin, add_service_errors


class ThingForm(forms.Form):
    title = forms.CharField()
    link_url = forms.CharField(required=False)


def _validated(data: dict[str, str] | None = None) -> ThingForm:
    form = ThingForm(data or {"title": "A title"})
    assert form.is_valid()
    return form


def test_an_error_about_a_field_lands_on_that_field_with_its_code():
    form = _validated()
    error = ValidationError(
        {"title": ValidationError("“%(title)s” is taken.", code="taken", params={"title": "A"})}
    )
    add_service_errors(form, error)
    assert form.errors["title"] == ["“A” is taken."]
    assert form.has_error("title", code="taken")
    assert "title" not in form.cleaned_data
    assert not form.non_field_errors()


def test_an_error_about_a_name_the_form_lacks_goes_above_the_form():
    form = _validated()
    add_service_errors(
        form,
        ValidationError(
            {"owner": ValidationError("No owner.", code="owner"), NON_FIELD_ERRORS: ["Closed."]}
        ),
    )
    assert form.non_field_errors() == ["No owner.", "Closed."]
    assert form.has_error(NON_FIELD_ERRORS, code="owner")
    assert "owner" not in form.errors and "title" not in form.errors


def test_an_error_that_names_no_field_goes_above_the_form_or_on_the_field_asked_for():
    form = _validated()
    add_service_errors(form, ValidationError("Not now.", code="phase"))
    assert form.non_field_errors() == ["Not now."]
    assert form.has_error(NON_FIELD_ERRORS, code="phase")

    form = _validated()
    add_service_errors(form, ValidationError(["One.", "Two."]), unnamed="title")
    assert form.errors["title"] == ["One.", "Two."] and not form.non_field_errors()

    form = _validated()  # a field the form does not have: above the form, not a crash
    add_service_errors(form, ValidationError("Bad file."), unnamed="upload")
    assert form.non_field_errors() == ["Bad file."]


def test_rename_maps_the_services_names_to_the_forms():
    form = _validated()
    add_service_errors(
        form, ValidationError({"url": "Not a web address."}), rename={"url": "link_url"}
    )
    assert form.errors["link_url"] == ["Not a web address."]
    assert not form.non_field_errors()


class ListedPlainForm(PlainTextMixin, forms.Form):
    plain_fields = ("title",)
    title = forms.CharField()
    note = forms.CharField(required=False, strip=False)


class AllPlainForm(PlainTextMixin, forms.Form):
    title = forms.CharField()
    note = forms.CharField(required=False, strip=False)


def test_plain_text_mixin_cleans_the_named_fields_only():
    form = ListedPlainForm({"title": " Park\x02 day\x07 ", "note": " a\x01b "})
    assert form.is_valid()
    assert form.cleaned_data == {"title": "Park day", "note": " a\x01b "}


def test_plain_text_mixin_cleans_every_text_field_by_default():
    form = AllPlainForm({"title": "Park\x02 day\x1b", "note": " a\x01b\n "})
    assert form.is_valid()
    assert form.cleaned_data == {"title": "Park day", "note": "ab"}


def test_a_required_field_emptied_by_the_cleaning_is_refused():
    form = ListedPlainForm({"title": "\x02\x01\x02"})
    assert not form.is_valid()
    assert form.errors["title"] == ["This field is required."]
    assert AllPlainForm({"title": "ok", "note": "\x02"}).is_valid()  # not required: stays empty
