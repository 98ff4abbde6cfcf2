"""Accounts' own section of the personal data export: the person's e-mail addresses.

Every other app registers its sections from its own ``exports.py`` (see
:mod:`cocity.accounts.exports`).
"""

from typing import Any

from cocity.accounts.types import Actor

from . import exports


def email_addresses(user: Actor) -> list[dict[str, Any]]:
    from allauth.account.models import EmailAddress

    return [
        {"email": address.email, "verified": address.verified, "primary": address.primary}
        for address in EmailAddress.objects.filter(user_id=user.pk).order_by("email")
    ]


def register_all() -> None:
    exports.register("email_addresses", email_addresses)
