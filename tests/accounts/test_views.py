"""Pages: sign-up, log-in, password reset (allauth in our layout), profile, export, deletion."""

import json
import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from cocity.network.models import Role, Space, SpaceMembership
from tests.factories import city_with_neighbourhoods

pytestmark = pytest.mark.django_db
User = get_user_model()
PASSWORD = "correct horse battery"


def _link_in(message) -> str:  # type: ignore[no-untyped-def]
    match = re.search(r"https?://[^/\s]+(/\S+)", message.body)
    assert match, message.body
    return match.group(1)


# --- allauth pages in our layout ---------------------------------------------------------


@pytest.mark.parametrize(
    "url_name",
    ["account_login", "account_signup", "account_reset_password"],
)
def test_allauth_entrance_pages_use_our_layout_and_labelled_fields(client, url_name) -> None:
    response = client.get(reverse(url_name))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="skip-link"' in html  # base.html
    assert html.count("<h1") == 1
    assert "Menu:" not in html  # allauth's own bare layout is gone
    # (Hidden fields, such as sign-up's time zone filled by timezone.js, have no label.)
    for field_id in re.findall(r'<input(?![^>]*type="hidden")[^>]+id="(id_[^"]+)"', html):
        assert f'for="{field_id}"' in html, f"{url_name}: {field_id} has no label"


def test_allauth_manage_pages_use_our_layout(client, user) -> None:
    client.force_login(user)
    for url_name in ("account_email", "account_change_password", "account_logout"):
        response = client.get(reverse(url_name))
        html = response.content.decode()
        assert response.status_code == 200, url_name
        assert 'class="skip-link"' in html
        assert html.count("<h1") == 1
    email_page = client.get(reverse("account_email")).content.decode()
    assert user.email in email_page
    assert 'class="badge"' in email_page


# --- sign-up, verification, log-in, log-out ------------------------------------------------


def test_signup_sends_verification_and_the_link_confirms_and_logs_in(client) -> None:
    response = client.post(
        reverse("account_signup"),
        {
            "email": "New.Person@Example.org",
            "password1": "a long enough passphrase",
            "password2": "a long enough passphrase",
            "display_name": "New Person",
        },
    )
    assert response.status_code == 302
    person = User.objects.get()
    assert person.email == "new.person@example.org"
    assert person.display_name == "New Person"
    assert not EmailAddress.objects.get(user=person).verified
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["new.person@example.org"]
    confirm_url = _link_in(mail.outbox[0])
    assert "_auth_user_id" not in client.session  # not logged in before verifying

    page = client.get(confirm_url)
    assert page.status_code == 200
    assert b'method="post"' in page.content
    confirmed = client.post(confirm_url)
    assert confirmed.status_code == 302
    assert EmailAddress.objects.get(user=person).verified
    assert client.session["_auth_user_id"] == str(person.pk)


def test_unverified_person_cannot_log_in(client, user_factory) -> None:
    person = user_factory(verified=False)
    response = client.post(reverse("account_login"), {"login": person.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session
    assert len(mail.outbox) == 1  # a fresh verification link


def test_duplicate_email_in_other_case_creates_nothing_and_tells_the_owner(client, user) -> None:
    users_before = User.objects.count()
    response = client.post(
        reverse("account_signup"),
        {
            "email": user.email.upper(),
            "password1": "a long enough passphrase",
            "password2": "a long enough passphrase",
        },
    )
    # allauth prevents account enumeration: the page looks the same as for a new address, and
    # the owner of the address gets a clear "you already have an account" e-mail.
    assert response.status_code == 302
    assert User.objects.count() == users_before
    assert EmailAddress.objects.filter(email__iexact=user.email).count() == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [user.email]
    assert "already exists" in mail.outbox[0].body


def test_signup_with_bad_passwords_shows_errors_and_creates_nothing(client) -> None:
    response = client.post(
        reverse("account_signup"),
        {"email": "someone@example.org", "password1": "abc", "password2": "abd"},
    )
    assert response.status_code == 200
    assert b'class="errorlist' in response.content
    assert not User.objects.exists()
    assert mail.outbox == []


def test_login_and_logout(client, user) -> None:
    response = client.post(
        reverse("account_login"), {"login": user.email.upper(), "password": PASSWORD}
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)
    client.post(reverse("account_logout"))
    assert "_auth_user_id" not in client.session


def test_login_with_wrong_password_says_so(client, user) -> None:
    response = client.post(reverse("account_login"), {"login": user.email, "password": "nope"})
    assert response.status_code == 200
    assert b'class="form-errors"' in response.content
    assert "_auth_user_id" not in client.session


def test_password_reset_by_mail(client, user) -> None:
    response = client.post(reverse("account_reset_password"), {"email": user.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    key_url = _link_in(mail.outbox[0])
    form_page = client.get(key_url, follow=True)
    assert form_page.status_code == 200
    set_url = form_page.redirect_chain[-1][0] if form_page.redirect_chain else key_url
    new_password = "another long passphrase"
    done = client.post(set_url, {"password1": new_password, "password2": new_password})
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password(new_password)
    assert Client().login(email=user.email, password=new_password)


# --- own profile ---------------------------------------------------------------------------


def test_me_requires_login(client) -> None:
    response = client.get(reverse("accounts:me"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_me_shows_the_form_and_account_links(client, user) -> None:
    client.force_login(user)
    html = client.get(reverse("accounts:me")).content.decode()
    for url in (
        reverse("accounts:export"),
        reverse("accounts:delete"),
        reverse("account_email"),
        reverse("account_change_password"),
    ):
        assert f'href="{url}"' in html
    assert 'name="time_zone"' in html
    assert 'value="Europe/Paris" selected' in html


def test_me_updates_the_profile(client, user) -> None:
    _, city, _district, hoods = city_with_neighbourhoods()
    client.force_login(user)
    response = client.post(
        reverse("accounts:me"),
        {
            "display_name": "  Amina\x07 ",
            "bio": "I garden.",
            "languages": ["fr", "ar"],
            "time_zone": "Africa/Dakar",
            "home_city": city.pk,
            "home_neighbourhood": hoods[0].pk,
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.display_name == "Amina"
    assert user.languages == ["fr", "ar"]
    assert user.time_zone == "Africa/Dakar"
    assert user.home_neighbourhood == hoods[0]


def test_me_neighbourhood_outside_city_writes_nothing(client, user) -> None:
    _, marseille, _, _ = city_with_neighbourhoods()
    _, _, _, lyon_hoods = city_with_neighbourhoods(country_code="FX", city_code="FR-LYS")
    client.force_login(user)
    response = client.post(
        reverse("accounts:me"),
        {
            "display_name": "Changed",
            "time_zone": "Europe/Paris",
            "home_city": marseille.pk,
            "home_neighbourhood": lyon_hoods[0].pk,
        },
    )
    assert response.status_code == 200
    assert "This neighbourhood is not in Marseille." in response.content.decode()
    user.refresh_from_db()
    assert user.display_name != "Changed"
    assert user.home_city is None


def test_me_rejects_unknown_time_zone_and_language(client, user) -> None:
    client.force_login(user)
    response = client.post(
        reverse("accounts:me"),
        {"display_name": "Changed", "time_zone": "Mars/Olympus", "languages": ["xx"]},
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "time_zone" in form.errors and "languages" in form.errors
    user.refresh_from_db()
    assert user.display_name != "Changed"


# --- public profile ------------------------------------------------------------------------


def test_public_profile_hides_members_only_spaces_from_non_members(
    client, user_factory, space_factory, space_membership_factory
) -> None:
    person = user_factory(display_name="Person One", bio="**Gardener**")
    public = space_factory(name="Open Garden")
    hidden = space_factory(name="Secret Lab", visibility=Space.Visibility.MEMBERS)
    space_membership_factory(user=person, space=public)
    space_membership_factory(user=person, space=hidden)
    url = reverse("accounts:profile", args=[person.pk])

    html = client.get(url).content.decode()
    assert "Person One" in html and "Open Garden" in html
    assert "<strong>Gardener</strong>" in html
    assert "Secret Lab" not in html
    assert person.email not in html

    outsider = user_factory()
    client.force_login(outsider)
    assert "Secret Lab" not in client.get(url).content.decode()

    fellow = user_factory()
    space_membership_factory(user=fellow, space=hidden)
    client.force_login(fellow)
    assert "Secret Lab" in client.get(url).content.decode()


def test_public_profile_query_count_does_not_grow(
    client, user_factory, space_factory, space_membership_factory, assert_same_query_count
) -> None:
    person = user_factory()

    def make_rows(n: int) -> None:
        for _ in range(n):
            space_membership_factory(user=person, space=space_factory())

    assert_same_query_count(reverse("accounts:profile", args=[person.pk]), make_rows)


def test_deleted_person_profile_is_404(client, user) -> None:
    from cocity.accounts.services import account_delete

    account_delete(user=user, confirm_email=user.email)
    assert client.get(reverse("accounts:profile", args=[user.pk])).status_code == 404


def test_unknown_person_profile_is_404(client) -> None:
    assert client.get(reverse("accounts:profile", args=[999999])).status_code == 404


# --- export --------------------------------------------------------------------------------


def test_export_requires_login(client) -> None:
    response = client.get(reverse("accounts:export"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_export_page_and_download(client, user, space_membership_factory) -> None:
    space_membership_factory(user=user, role=Role.EDITOR)
    client.force_login(user)
    page = client.get(reverse("accounts:export"))
    assert page.status_code == 200
    assert b'method="post"' in page.content
    response = client.post(reverse("accounts:export"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert re.fullmatch(
        r'attachment; filename="cocity-data-\d{4}-\d{2}-\d{2}\.json"',
        response["Content-Disposition"],
    )
    data = json.loads(response.content)
    assert data["profile"]["email"] == user.email
    assert data["space_memberships"][0]["role"] == "editor"


# --- deletion ------------------------------------------------------------------------------


def test_delete_requires_login(client) -> None:
    response = client.get(reverse("accounts:delete"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_delete_account_logs_out_and_redirects_home(client, user) -> None:
    client.force_login(user)
    assert client.get(reverse("accounts:delete")).status_code == 200
    response = client.post(reverse("accounts:delete"), {"confirm_email": user.email})
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert "_auth_user_id" not in client.session
    user.refresh_from_db()
    assert user.deleted_at is not None
    home = client.get(reverse("home"))
    assert "Your account has been deleted" in home.content.decode()


def test_delete_account_with_wrong_email_writes_nothing(client, user) -> None:
    client.force_login(user)
    response = client.post(reverse("accounts:delete"), {"confirm_email": "other@example.org"})
    assert response.status_code == 200
    assert "This is not the e-mail address of your account." in response.content.decode()
    user.refresh_from_db()
    assert user.deleted_at is None


def test_delete_account_as_sole_admin_is_refused_with_names(
    client, user, space_membership_factory
) -> None:
    membership = space_membership_factory(user=user, role=Role.ADMIN, space__name="Garden Pact")
    client.force_login(user)
    response = client.post(reverse("accounts:delete"), {"confirm_email": user.email})
    assert response.status_code == 200
    html = response.content.decode()
    assert "only admin" in html and "Garden Pact" in html
    user.refresh_from_db()
    assert user.deleted_at is None and user.is_active
    assert SpaceMembership.objects.filter(pk=membership.pk).exists()
    assert client.session["_auth_user_id"] == str(user.pk)


def test_time_zone_choices_are_real_zone_names(client, user) -> None:
    from cocity.accounts.forms import ProfileForm

    zones = dict(ProfileForm().fields["time_zone"].choices)
    assert "Europe/Paris" in zones and "UTC" in zones
    assert "localtime" not in zones and "Factory" not in zones
    assert "EST5EDT" in dict(
        ProfileForm(initial={"time_zone": "EST5EDT"}).fields["time_zone"].choices
    )


def test_the_password_reset_mail_is_in_the_language_the_person_speaks(client, user) -> None:
    user.languages = ["de", "fr"]
    user.save()
    client.post(reverse("account_reset_password"), {"email": user.email})
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    with translation.override("de"):
        expected = gettext("Password Reset Email")
    assert expected != "Password Reset Email"
    assert expected in message.subject
