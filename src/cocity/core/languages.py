"""Languages people speak and write in (not only the interface languages)."""

from django.core.exceptions import ValidationError
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# The languages of the cities cocity serves first; more can be added without a migration.
SPOKEN_LANGUAGES: list[tuple[str, str | Promise]] = [
    ("ar", _("Arabic")),
    ("de", _("German")),
    ("el", _("Greek")),
    ("en", _("English")),
    ("es", _("Spanish")),
    ("fr", _("French")),
    ("it", _("Italian")),
    ("ko", _("Korean")),
    ("nl", _("Dutch")),
    ("pl", _("Polish")),
    ("pt", _("Portuguese")),
    ("ro", _("Romanian")),
    ("rom", _("Romani")),
    ("tr", _("Turkish")),
    ("uk", _("Ukrainian")),
    ("wo", _("Wolof")),
]
LANGUAGE_NAMES = dict(SPOKEN_LANGUAGES)


def validate_language_codes(value: object) -> None:
    if not isinstance(value, list) or not all(isinstance(code, str) for code in value):
        raise ValidationError(_("Give a list of language codes."), code="invalid_languages")
    unknown = [code for code in value if code not in LANGUAGE_NAMES]
    if unknown:
        raise ValidationError(
            _("Unknown language code: %(codes)s."),
            code="unknown_language",
            params={"codes": ", ".join(unknown)},
        )
    if len(set(value)) != len(value):
        raise ValidationError(_("Each language only once, please."), code="duplicate_language")
