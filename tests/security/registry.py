"""Every form a person can type into, registered with the hostile-input corpus.

A new form registers here (or in a ``security_forms.py`` next to its app's tests): the URL, a
valid submission, the text fields to fuzz, where the stored value is shown, and how to read it
back. ``tests/security/test_corpus.py`` posts every payload into every field.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.contrib.auth import get_user_model

from cocity.core.testing.files import png_upload
from cocity.core.testing.forms import FormCase, Scenario, register_form
from cocity.network.models import (
    Invitation,
    JoinRequest,
    Organisation,
    OrganisationMembership,
    Role,
    Space,
)
from cocity.participation.models import Report
from tests.factories import (
    OrganisationFactory,
    OrganisationMembershipFactory,
    SpaceFactory,
    SpaceMembershipFactory,
    UserFactory,
)

User = get_user_model()
PASSWORD = "a long enough password 42"


def _person() -> Scenario:
    return Scenario(user=UserFactory())


def _latest(model: Any) -> Any:
    return model.objects.order_by("-pk").first()


# --- accounts ----------------------------------------------------------------------------------


def _signup_data(scenario: Scenario) -> dict[str, Any]:
    return {
        "email": f"new-{secrets.token_hex(4)}@example.org",
        "display_name": "Nadia",
        "password1": PASSWORD,
        "password2": PASSWORD,
    }


register_form(
    FormCase(
        name="sign-up",
        url_name="account_signup",
        setup=Scenario,
        data=_signup_data,
        fields=("display_name", "email"),
        rendered_at=lambda s: _latest(User).get_absolute_url(),
        stored=lambda s, field: getattr(_latest(User), field),
    )
)

register_form(
    FormCase(
        name="profile edit",
        url_name="accounts:me",
        setup=_person,
        data=lambda s: {"display_name": "Ada", "bio": "", "time_zone": ""},
        fields=("display_name", "bio"),
        rendered_at=lambda s: s.user.get_absolute_url(),
        viewer=lambda s: None,  # as the public sees it
        stored=lambda s, field: getattr(User.objects.get(pk=s.user.pk), field),
    )
)

# --- organisations -----------------------------------------------------------------------------


def _organisation_data(scenario: Scenario) -> dict[str, Any]:
    return {
        "name": f"Garden friends {secrets.token_hex(3)}",
        "kind": Organisation.Kind.CIVIL_SOCIETY,
        "home_territory": "",
        "website": "",
        "description": "",
        "logo_alt": "",
    }


def _organisation_admin() -> Scenario:
    user = UserFactory()
    organisation = OrganisationFactory()
    OrganisationMembershipFactory(organisation=organisation, user=user, role=Role.ADMIN)
    return Scenario(user=user, objects={"organisation": organisation})


ORGANISATION_TEXT = ("name", "description", "website", "logo_alt")

register_form(
    FormCase(
        name="organisation create",
        url_name="network:organisation_create",
        setup=_person,
        data=_organisation_data,
        fields=ORGANISATION_TEXT,
        stored=lambda s, field: getattr(_latest(Organisation), field),
    )
)

register_form(
    FormCase(
        name="organisation edit",
        url_name="network:organisation_edit",
        url_kwargs=lambda s: {"slug": s.objects["organisation"].slug},
        setup=_organisation_admin,
        data=_organisation_data,
        fields=ORGANISATION_TEXT,
        stored=lambda s, field: getattr(
            Organisation.objects.get(pk=s.objects["organisation"].pk), field
        ),
        viewer=lambda s: None,
    )
)

register_form(
    FormCase(
        name="organisation member add",
        url_name="network:organisation_members",
        url_kwargs=lambda s: {"slug": s.objects["organisation"].slug},
        setup=_organisation_admin,
        data=lambda s: {"action": "add", "add-email": UserFactory().email, "add-role": "member"},
        fields=("add-email",),
        stored=lambda s, field: _latest(OrganisationMembership).user.email,
    )
)

# --- spaces ------------------------------------------------------------------------------------


def _space_data(scenario: Scenario) -> dict[str, Any]:
    return {
        "name": f"Community kitchen {secrets.token_hex(3)}",
        "kind": Space.Kind.WORKING_GROUP,
        "summary": "",
        "description": "",
        "visibility": Space.Visibility.PUBLIC,
        "join_policy": Space.JoinPolicy.OPEN,
        "cover": png_upload("kitchen.png"),
        "cover_alt": "People cooking together",
    }


def _space_admin() -> Scenario:
    user = UserFactory()
    space = SpaceFactory()
    SpaceMembershipFactory(space=space, user=user, role=Role.ADMIN)
    return Scenario(user=user, objects={"space": space, "admin": user})


def _space_on_request() -> Scenario:
    scenario = _space_admin()
    return Scenario(user=UserFactory(), objects=scenario.objects)


SPACE_TEXT = ("name", "summary", "description", "cover_alt")

register_form(
    FormCase(
        name="space create",
        url_name="network:space_create",
        setup=_person,
        data=_space_data,
        fields=SPACE_TEXT,
        stored=lambda s, field: getattr(_latest(Space), field),
        viewer=lambda s: None,
    )
)

register_form(
    FormCase(
        name="space edit",
        url_name="network:space_edit",
        url_kwargs=lambda s: {"slug": s.objects["space"].slug},
        setup=_space_admin,
        data=_space_data,
        fields=SPACE_TEXT,
        stored=lambda s, field: getattr(Space.objects.get(pk=s.objects["space"].pk), field),
    )
)


def _space_translated(scenario: Scenario, field: str) -> Any:
    space = Space.objects.get(pk=scenario.objects["space"].pk)
    return (space.translations.get("fr") or {}).get(field, "")


register_form(
    FormCase(
        name="content translation",
        url_name="translations:edit",
        url_kwargs=lambda s: {
            "app_label": "network",
            "model_name": "space",
            "pk": s.objects["space"].pk,
        },
        setup=_space_admin,
        data=lambda s: {"language": "fr", "name": "Cuisine partagée", "summary": ""},
        fields=("name", "summary", "description"),
        # The form shows the kept translation back, prefilled, in the language it is in.
        rendered_at=lambda s: f"/translations/network/space/{s.objects['space'].pk}/?language=fr",
        stored=_space_translated,
    )
)

register_form(
    FormCase(
        name="join request message",
        url_name="network:space_join",
        url_kwargs=lambda s: {"slug": s.objects["space"].slug},
        setup=_space_on_request,
        data=lambda s: {"action": "join", "message": "I live nearby."},
        fields=("message",),
        stored=lambda s, field: getattr(_latest(JoinRequest), field),
        # The admins read the message on the members page.
        rendered_at=lambda s: f"/spaces/{s.objects['space'].slug}/members/",
        viewer=lambda s: s.objects["admin"],
    )
)

register_form(
    FormCase(
        name="invitation",
        url_name="network:invitation_create",
        url_kwargs=lambda s: {"slug": s.objects["space"].slug},
        setup=_space_admin,
        data=lambda s: {"email": f"guest-{secrets.token_hex(3)}@example.org", "role": "member"},
        fields=("email",),
        stored=lambda s, field: _latest(Invitation).email,
    )
)


# --- participation: a moderator's decision -------------------------------------------------------


def _moderating() -> Scenario:
    from cocity.participation import services as participation
    from tests.factories import IdeaFactory

    scenario = _space_admin()
    idea = IdeaFactory(process__space=scenario.objects["space"])
    report = participation.report_create(
        target=idea, reporter=UserFactory(), reason="Off topic.", space=scenario.objects["space"]
    )
    return Scenario(
        user=scenario.user, objects={**scenario.objects, "idea": idea, "report": report}
    )


register_form(
    FormCase(
        name="moderation decision",
        url_name="participation:report_decide",
        url_kwargs=lambda s: {"slug": s.objects["space"].slug, "pk": s.objects["report"].pk},
        setup=_moderating,
        data=lambda s: {"decision": "hide", "reason": "Personal data."},
        fields=("reason",),
        stored=lambda s, field: Report.objects.get(pk=s.objects["report"].pk).decision_reason,
        # Hidden: the reason stands in for the idea's text, for everyone.
        rendered_at=lambda s: s.objects["idea"].get_absolute_url(),
        viewer=lambda s: None,
    )
)

# --- accounts: deleting one's account ------------------------------------------------------------

register_form(
    FormCase(
        name="account delete confirmation",
        url_name="accounts:delete",
        setup=_person,
        # Any payload is another address than the person's: refused, the account stays.
        data=lambda s: {"confirm_email": s.user.email},
        fields=("confirm_email",),
        # Nothing once deleted: a redirect (the account gone) then fails the case.
        stored=lambda s, field: "" if User.objects.filter(pk=s.user.pk).exists() else None,
    )
)

# --- the API: a personal access token's name ---------------------------------------------------


def _latest_token_name(scenario: Scenario, field: str) -> Any:
    from cocity.api.models import ApiToken

    token = ApiToken.objects.filter(user=scenario.user).order_by("-pk").first()
    return token.name if token is not None else ""


register_form(
    FormCase(
        name="personal access token",
        url_name="api_tokens",
        setup=_person,
        data=lambda s: {"name": "City website", "scopes": ["read"]},
        fields=("name",),
        # The form answers on the page itself (the secret shown once): the list shows the name.
        rendered_at=lambda s: "/me/tokens/",
        stored=_latest_token_name,
    )
)
