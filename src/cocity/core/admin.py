"""The Django admin through the services: one mechanism for every app's ``admin.py``.

The admin is a second way to write, so it keeps the same rules as the pages: a model that a
service owns is added, changed and deleted by that service (never by ``obj.save()`` or
``obj.delete()``), and a model that no service owns is only shown.

- :class:`ThroughServices` (or :class:`ServiceAdmin`, the same on ``admin.ModelAdmin``): a
  subclass implements ``create``, ``update`` and/or ``delete`` by calling the app's services.
  What it does not implement is refused (no add, change or delete permission), so an admin
  cannot fall back to a raw save. A ``ValidationError`` (or ``PermissionDenied``) from a service
  is shown on the form, on its field when the form has one, and nothing is written: the whole
  request is rolled back and the form is shown again with the error. Bulk deletion is off (it
  would skip the service); each row is deleted on its own page. Many-to-many fields are the
  service's too: ``form.save_m2m()`` is not called.
- :class:`ReadOnlyAdmin` and :class:`ReadOnlyInline`: view only (models with no service,
  ledgers and derived rows).

Fields a service derives (counters, totals, paths, slugs it makes) go in ``readonly_fields``.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _

from cocity.core.forms import add_service_errors, error_text
from cocity.core.models import SentReminder

_REFUSED = "_cocity_admin_refused"


class _Refused(Exception):
    """A service said no: raised out of the admin's transaction so it rolls back."""

    def __init__(self, error: ValidationError) -> None:
        super().__init__(error)
        self.error = error


def _as_validation_error(error: ValidationError | PermissionDenied) -> ValidationError:
    if isinstance(error, ValidationError):
        return error
    return ValidationError(str(error) or _("You are not allowed to do this."))


class ThroughServices:
    """Mix into a ``ModelAdmin`` (before it): writes go through ``create`` / ``update`` /
    ``delete``, which subclasses implement by calling services."""

    def create(self, request: HttpRequest, obj: Any, form: forms.ModelForm) -> models.Model:
        """Add the row through its service, from ``form.cleaned_data`` (or ``obj``, which holds
        the form's values, unsaved). Returns the row the service created."""
        raise NotImplementedError

    def update(self, request: HttpRequest, obj: Any, form: forms.ModelForm) -> None:
        """Change ``obj`` (the stored row, with the form's values set on it, unsaved) through
        its service."""
        raise NotImplementedError

    def delete(self, request: HttpRequest, obj: Any) -> None:
        """Delete ``obj`` through its service."""
        raise NotImplementedError

    def _implements(self, hook: str) -> bool:
        return getattr(type(self), hook) is not getattr(ThroughServices, hook)

    # Permissions: what no service does, the admin does not do either.

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return self._implements("create") and super().has_add_permission(request, *args)  # type: ignore[misc]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._implements("update") and super().has_change_permission(request, obj)  # type: ignore[misc]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._implements("delete") and super().has_delete_permission(request, obj)  # type: ignore[misc]

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        actions = super().get_actions(request)  # type: ignore[misc]
        actions.pop("delete_selected", None)  # would delete without the service
        return actions

    # Writes.

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        try:
            if change:
                self.update(request, obj, form)
                obj.refresh_from_db()
            else:
                created = self.create(request, obj, form)
                # The admin goes on with ``obj`` (its address, its history entry).
                obj.pk = created.pk
                obj._state.adding = False
                obj._state.db = created._state.db
                obj.refresh_from_db()
        except (ValidationError, PermissionDenied) as error:
            raise _Refused(_as_validation_error(error)) from error

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        # No form.save_m2m(): the service has set the many-to-many fields.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)  # type: ignore[attr-defined]

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        try:
            self.delete(request, obj)
        except (ValidationError, PermissionDenied) as error:
            raise _Refused(_as_validation_error(error)) from error

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        raise PermissionDenied  # bulk deletion is off (see get_actions)

    def get_deleted_objects(self, objs: Any, request: HttpRequest) -> Any:
        # The service decides what its deletion takes along (and refuses what it must not),
        # even rows whose own admin is read-only (a track's cancelled registrations).
        deleted, counts, _perms_needed, protected = super().get_deleted_objects(objs, request)  # type: ignore[misc]
        return deleted, counts, set(), protected

    # A refusal becomes form errors.

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        form_class = super().get_form(request, obj, change=change, **kwargs)  # type: ignore[misc]
        error: ValidationError | None = getattr(request, _REFUSED, None)
        if error is None:
            return form_class
        refusal: ValidationError = error

        class RefusedForm(form_class):  # type: ignore[misc, valid-type]
            def _post_clean(self) -> None:
                super()._post_clean()
                add_service_errors(self, refusal)

        RefusedForm.__name__ = form_class.__name__
        return RefusedForm

    def changeform_view(
        self,
        request: HttpRequest,
        object_id: str | None = None,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)  # type: ignore[misc]
        except _Refused as refused:
            # Everything was rolled back: show the same form again, with the service's error.
            setattr(request, _REFUSED, refused.error)
            return super().changeform_view(request, object_id, form_url, extra_context)  # type: ignore[misc]

    def delete_view(
        self, request: HttpRequest, object_id: str, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        try:
            return super().delete_view(request, object_id, extra_context)  # type: ignore[misc]
        except _Refused as refused:
            self.message_user(request, error_text(refused.error), messages.ERROR)  # type: ignore[attr-defined]
            opts = self.model._meta  # type: ignore[attr-defined]
            return HttpResponseRedirect(
                reverse(
                    f"admin:{opts.app_label}_{opts.model_name}_change",
                    args=[object_id],
                    current_app=self.admin_site.name,  # type: ignore[attr-defined]
                )
            )


class ServiceAdmin(ThroughServices, admin.ModelAdmin):
    """A ``ModelAdmin`` that writes only through the app's services (see the module)."""


class ReadOnlyAdmin(admin.ModelAdmin):
    """Shown, never written: a model no service owns, a ledger, a derived row."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReadOnlyInline(admin.TabularInline):
    """Related rows shown on their parent's page, changed elsewhere (through their services)."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(SentReminder)
class SentReminderAdmin(ReadOnlyAdmin):
    """The reminders ledger (``cocity.core.reminders``): what was sent, about what, when."""

    list_display = ("content_type", "object_id", "key", "sent_at", "recipients")
    list_filter = ("content_type",)
    search_fields = ("key",)
