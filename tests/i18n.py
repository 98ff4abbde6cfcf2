"""What the translated pages say, in French, for the tests of every app."""

# "Translated from English. Show original" (core/translations/notice.html).
NOTICE = ("Traduit", "Afficher l’original")  # noqa: RUF001
