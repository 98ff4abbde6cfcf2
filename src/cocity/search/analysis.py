"""How words become index terms, the same for every backend that does its own analysis.

- ``fold``: case and accents folded (``Élèves`` -> ``eleves``), compatibility forms unified
  (``ﬁ`` -> ``fi``), combining marks dropped (Greek tonos, Arabic short vowels, Latin accents).
- ``stems``: a folded word's stems with the Snowball stemmer of every interface language (the
  same algorithms as PostgreSQL's ``snowball`` dictionaries and Tantivy's stemmers), the folded
  word itself included. A document is indexed with these terms and a query word is looked for
  as any of its own: ``logements`` and ``logement`` meet at ``logement``, ``housing`` and
  ``houses`` at ``hous``, whatever language a document was written or translated in.
- ``highlight``: the words of an extract that match a query, marked; every backend's extracts
  are made here from the stored text, so they look the same whichever backend found them.

The SQLite full-text table indexes these terms (``search_fts.terms``); PostgreSQL uses its own
dictionaries on folded text (``index._write_fulltext``); Tantivy its own stemmers.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

import snowballstemmer

# Interface languages (settings.LANGUAGES) and the Snowball algorithm of each.
STEMMERS = {
    "ar": "arabic",
    "de": "german",
    "el": "greek",
    "en": "english",
    "es": "spanish",
    "fr": "french",
    "nl": "dutch",
}
MAX_WORD = 64  # longer "words" (hashes, pasted URLs) are indexed cut, never stemmed
_WORD = re.compile(r"\w+")


@lru_cache(maxsize=1)
def _stemmers() -> tuple[object, ...]:
    return tuple(snowballstemmer.stemmer(name) for name in STEMMERS.values())


def fold(text: str) -> str:
    """Case, accents and compatibility forms folded; the length may change."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def words(text: str) -> list[str]:
    """The folded words of a text, in order."""
    return [w[:MAX_WORD] for w in _WORD.findall(fold(text))]


@lru_cache(maxsize=200_000)
def stems(word: str) -> tuple[str, ...]:
    """A folded word and its stems in every interface language, each once."""
    if len(word) >= MAX_WORD or word.isdigit():
        return (word,)
    found = dict.fromkeys([word])
    for stemmer in _stemmers():
        stem = stemmer.stemWord(word)  # type: ignore[attr-defined]
        if stem:
            # Stemmers expect accented input; the folded stem keeps both sides the same.
            found[fold(stem)] = None
    return tuple(found)


def index_terms(text: str) -> str:
    """The terms a text is indexed under, separated by spaces (for the SQLite table)."""
    out: list[str] = []
    for word in words(text):
        out.extend(stems(word))
    return " ".join(out)


def query_variants(word: str) -> tuple[str, ...]:
    """What one typed word may match: its folded form and its stems (one folded word)."""
    folded = words(word)
    if not folded:
        return ()
    return stems(folded[0])


def highlight_pattern(terms: Iterable[str]) -> set[str]:
    """The folded prefixes a matching word starts with (each term's variants)."""
    prefixes: set[str] = set()
    for term in terms:
        prefixes.update(v for v in query_variants(term) if v)
    return prefixes


def highlight(text: str, prefixes: set[str], *, on: str, off: str, size: int = 240) -> str:
    """An extract of ``text`` around its first matching words, each wrapped in ``on``/``off``.

    A word matches when its folded form starts with one of ``prefixes`` (a stem is the start
    of the words it stands for, give or take a letter). Without a match, the text's start."""
    if not text:
        return ""
    matches = []
    if prefixes:
        shortest = min(len(p) for p in prefixes)
        initials = {p[0] for p in prefixes}
        for found in _WORD.finditer(text):
            raw = found.group()
            # Most words are ruled out by their first letter, without folding them.
            initial = raw[0].lower()
            if len(raw) < shortest or (initial.isascii() and initial not in initials):
                continue
            word = fold(raw)
            if len(word) >= shortest and any(word.startswith(p) for p in prefixes):
                matches.append((found.start(), found.end()))
                if len(matches) >= 12:
                    break
    if not matches:
        cut = text[:size]
        return cut + (" …" if len(text) > size else "")
    start = max(0, matches[0][0] - size // 3)
    if start:
        space = text.rfind(" ", 0, start)
        start = space + 1 if space >= 0 and start - space < 20 else start
    end = min(len(text), start + size)
    parts = ["… " if start else ""]
    position = start
    for first, last in matches:
        if first < position or last > end:
            continue
        parts += [text[position:first], on, text[first:last], off]
        position = last
    parts.append(text[position:end])
    if end < len(text):
        parts.append(" …")
    return "".join(parts)
