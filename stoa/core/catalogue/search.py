"""Full-text search over catalogue entries, done in Python on purpose.

The catalogue an organisation sees is small (the shipped measures plus its own: hundreds, not
millions), it is read in two languages, and it must give the same answers on SQLite and on
PostgreSQL. So instead of two database-specific full-text engines, the entries are searched here:

* text is folded (lower case, accents removed: "évacuation" matches "evacuation");
* the query is split into words; an entry matches when **every** word starts a word of the entry
  (so "bollard" finds "bollards"; a plural query word also tries its singular);
* the score adds, per query word, the weight of the best field it matched (name 3, tags 2,
  description and other text 1); ties keep the catalogue's own order.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

WORD = re.compile(r"\w+", re.UNICODE)
FIELD_WEIGHTS = {"name": 3.0, "tags": 2.0, "text": 1.0}


def fold(text: str) -> str:
    if text.isascii():  # nothing to decompose: the common case, and far cheaper
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def words(text: str) -> list[str]:
    return WORD.findall(fold(text))


def _forms(word: str) -> tuple[str, ...]:
    if len(word) > 4 and word.endswith("es"):
        return (word, word[:-2], word[:-1])
    if len(word) > 3 and word.endswith("s"):
        return (word, word[:-1])
    return (word,)


@dataclass(frozen=True)
class Indexed:
    key: str
    words: Mapping[str, tuple[str, ...]]  # field name → folded words


def index(key: str, fields: Mapping[str, Iterable[str]]) -> Indexed:
    """KEY's searchable text: FIELDS maps ``name``/``tags``/``text`` to the texts (any language)."""
    return Indexed(key, {name: tuple(w for text in texts for w in words(text)) for name, texts in fields.items()})


def score(entry: Indexed, query: str) -> float:
    """0 when ENTRY does not match QUERY, else its relevance (higher is better)."""
    total = 0.0
    for query_word in words(query):
        best = 0.0
        for field, entry_words in entry.words.items():
            weight = FIELD_WEIGHTS.get(field, 1.0)
            if weight > best and any(w.startswith(form) for form in _forms(query_word) for w in entry_words):
                best = weight
        if best == 0.0:
            return 0.0
        total += best
    return total


def search(entries: Sequence[Indexed], query: str) -> list[str]:
    """The keys of ENTRIES matching QUERY, best first; all of them, in order, for an empty query."""
    if not words(query):
        return [e.key for e in entries]
    scored = [(score(e, query), position, e.key) for position, e in enumerate(entries)]
    return [key for s, _position, key in sorted((s for s in scored if s[0] > 0), key=lambda s: (-s[0], s[1]))]
