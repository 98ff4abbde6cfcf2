"""The people admin, through the services (``cocity.core.admin``): the profile changes through
``profile_update`` and deleting an account is ``account_delete`` (it anonymises the row, as the
person's own "delete my account" does, and is refused for the only admin of a space or an
organisation). What is Django's own (e-mail login, active, staff, groups and permissions,
the password) stays with Django's user admin."""

from typing import Any

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cocity.core.admin import ThroughServices

from . import services
from .models import User

# Django's, not a service's: changed by the admin form itself.
ACCOUNT_FIELDS = ("email", "is_active", "is_staff", "is_superuser")


class UserCreationAdminForm(AdminUserCreationForm):
    class Meta(AdminUserCreationForm.Meta):  # type: ignore[name-defined]
        model = User
        fields = ("email",)
        field_classes: dict = {}


class UserChangeAdminForm(UserChangeForm):
    class Meta(UserChangeForm.Meta):  # type: ignore[name-defined]
        model = User
        fields = "__all__"
        field_classes: dict = {}


@admin.register(User)
class UserAdmin(ThroughServices, DjangoUserAdmin):
    """People: no username, the e-mail address is the login."""

    form = UserChangeAdminForm
    add_form = UserCreationAdminForm
    ordering = ("email",)
    list_display = (
        "email",
        "display_name",
        "home_city",
        "is_active",
        "is_staff",
        "deleted_at",
        "date_joined",
    )
    list_select_related = ("home_city",)
    list_filter = (
        "is_staff",
        "is_active",
        ("home_city", admin.RelatedOnlyFieldListFilter),
    )
    search_fields = ("email", "display_name")
    raw_id_fields = ("home_city", "home_neighbourhood")
    readonly_fields = ("last_login", "date_joined", "deleted_at")
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (
            _("Profile"),
            {
                "fields": (
                    "display_name",
                    "bio",
                    "languages",
                    "time_zone",
                    "home_city",
                    "home_neighbourhood",
                )
            },
        ),
        (
            _("Permissions"),
            {
                "fields": (
                    "is_active",
                    "is_staff",
                    "is_superuser",
                    "groups",
                    "user_permissions",
                ),
            },
        ),
        (_("Important dates"), {"fields": ("last_login", "date_joined", "deleted_at")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("email", "usable_password", "password1", "password2"),
            },
        ),
    )
    actions = ("delete_accounts",)

    def create(self, request: HttpRequest, obj: User, form: Any) -> User:
        data = form.cleaned_data
        usable = data.get("set_usable_password", True)
        return services.account_create(
            email=data["email"], password=data.get("password1") if usable else None
        )

    def update(self, request: HttpRequest, obj: User, form: Any) -> None:
        changed = [name for name in ACCOUNT_FIELDS if name in form.changed_data]
        if changed:
            obj.save(update_fields=changed)
        services.profile_update(
            user=obj, **{name: form.cleaned_data[name] for name in services.PROFILE_FIELDS}
        )

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        form.save_m2m()  # groups and permissions: Django's own
        super().save_related(request, form, formsets, change)

    @admin.action(
        description=_("Delete the selected accounts (anonymised, as people delete their own)"),
        permissions=["change"],
    )
    def delete_accounts(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        deleted = 0
        for person in queryset:
            try:
                services.account_delete(user=person, confirm_email=person.email)
            except ValidationError as error:
                self.message_user(
                    request,
                    gettext("%(person)s: %(problem)s")
                    % {"person": person.email, "problem": " ".join(error.messages)},
                    messages.ERROR,
                )
            else:
                deleted += 1
        if deleted:
            self.message_user(
                request,
                gettext("Accounts deleted: %(count)s.") % {"count": deleted},
                messages.SUCCESS,
            )
