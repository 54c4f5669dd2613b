"""Names as people say them: one folded form for the replica's search column and for what
staff type (no accents, no case, words in any order, each word a prefix)."""
from __future__ import annotations

import re
import unicodedata

# Letters that NFKD does not take apart into a base letter and a mark.
LETTERS = str.maketrans({"ø": "o", "ł": "l", "đ": "d", "ħ": "h", "ı": "i", "æ": "ae",
                         "œ": "oe", "þ": "th", "ð": "d"})
WORD_PARTS = re.compile(r"[^\W_]+")
FOLDING = 1             # raise when fold() or search_text() change: replicas refill the column
MAX_WORDS = 8            # what staff type; more words narrow nothing further


def fold(text: str) -> str:
    """Lower case without accents: "Zoë Ørsted" -> "zoe orsted"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return bare.translate(LETTERS)


def words(text: str) -> list[str]:
    """The folded words of `text`, split at spaces and punctuation ("Jean-Luc" -> jean, luc)."""
    return WORD_PARTS.findall(fold(text))


def search_text(*fields: str) -> str:
    """The attendee's search column: every word of every field, each preceded by a space, and
    joined forms of punctuated words ("O'Brien" is found as "obrien" and as "brien")."""
    found: list[str] = []
    for field in fields:
        for raw in field.split():
            parts = words(raw)
            found += parts + (["".join(parts)] if len(parts) > 1 else [])
    return "".join(f" {word}" for word in found) + " "


def query_words(text: str) -> list[str]:
    """What staff typed, as words each of which must start a word of the search column."""
    return words(text)[:MAX_WORDS]


def matches(column: str, query: str) -> bool:
    """Whether a search column holds every word of the query (as the SQL search decides)."""
    return all(f" {word}" in column for word in query_words(query))
