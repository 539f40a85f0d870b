"""Exact-match keys of place names: case, diacritics and punctuation do not count.

The key keeps every letter that distinguishes two names: it never equates ``j`` and
``i``, ``y`` and ``i`` or a doubled letter and a single one (Nanning is not Nanjing,
Jining is not Yining). Spellings that differ by such letters are related only through
curated alternate names and spelling variants (see :class:`corridor.model.Gazetteer`).
"""

from __future__ import annotations

import unicodedata

__all__ = ["name_key", "name_words", "one_edit"]

# letters that Unicode does not decompose into a base letter and a mark
_BASE = str.maketrans(
    {
        "ł": "l",
        "Ł": "l",
        "đ": "d",
        "Đ": "d",
        "ø": "o",
        "Ø": "o",
        "ı": "i",
        "æ": "ae",
        "Æ": "ae",
        "œ": "oe",
        "Œ": "oe",
        "þ": "th",
        "ħ": "h",
    }
)


def name_words(name: str) -> list[str]:
    """The words of a name, each folded to its key (case and diacritics removed).

    Examples
    --------
    >>> name_words("Sankt-Peterburg")
    ['sankt', 'peterburg']
    >>> name_words("Małaszewicze")
    ['malaszewicze']
    """
    text = unicodedata.normalize("NFKD", name.translate(_BASE)).casefold()
    words: list[str] = []
    current: list[str] = []
    for c in text:
        if unicodedata.combining(c):
            continue
        if c.isalnum():
            current.append(c)
        elif c in "'’ʼ`´":
            continue  # an apostrophe (soft sign, elision) does not split a word
        elif current:
            words.append("".join(current))
            current = []
    if current:
        words.append("".join(current))
    return words


def name_key(name: str) -> str:
    """Reduce a place name to the key that exact matching compares.

    Case, diacritics, spaces, hyphens and apostrophes are dropped; letters of other
    scripts are kept as they are. No letter is replaced by another, so distinct
    romanisations keep distinct keys and are related only by curated variants.

    Examples
    --------
    >>> name_key("Zabaykal'sk") == name_key("ZABAYKALSK")
    True
    >>> name_key("Nanning") == name_key("Nanjing")
    False
    >>> name_key("Ürümqi") == name_key("Urumqi")
    True
    """
    return "".join(name_words(name))


def one_edit(a: str, b: str) -> bool:
    """Whether `b` is `a` with one letter inserted, deleted, replaced or two swapped.

    Examples
    --------
    >>> one_edit("chongqingg", "chongqing"), one_edit("nanning", "nanning")
    (True, False)
    """
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        if len(diff) == 1:
            return True
        return (
            len(diff) == 2
            and diff[1] == diff[0] + 1
            and a[diff[0]] == b[diff[1]]
            and a[diff[1]] == b[diff[0]]
        )
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    i = 0
    while i < len(short) and short[i] == long_[i]:
        i += 1
    return short[i:] == long_[i + 1 :]
