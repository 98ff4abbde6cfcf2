from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.utils.translation import gettext_lazy as _

from .models import User


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
class UserAdmin(DjangoUserAdmin):
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
