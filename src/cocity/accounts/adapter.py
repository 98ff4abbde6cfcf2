"""django-allauth's mails (address confirmation, password reset) in the recipient's language."""

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.utils import translation

from cocity.core.mail import recipient_language

from .models import User


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        """A person with an account reads it in the first language they speak that the site
        offers; someone signing up, in the language of the page they signed up on."""
        person = context.get("user")
        if not isinstance(person, User):
            person = User.objects.filter(email__iexact=email).first()
        with translation.override(recipient_language(person)):
            super().send_mail(template_prefix, email, context)
