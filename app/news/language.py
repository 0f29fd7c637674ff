"""A small language guess for news text (pure): by script, then by common function words.

Only used to pick which translations of country names to look for; English names are always
looked for, since news in every language cites them.
"""

from __future__ import annotations

import re

from app.news.text import word_set

# The languages whose country names we load from pycountry's translations.
NAME_LANGUAGES = ("fr", "es", "de", "pt", "it", "ru", "ar", "zh")

_FUNCTION_WORDS: dict[str, frozenset[str]] = {
    "en": word_set("the and of to in that is was for with on by from has have it"),
    "fr": word_set("le la les des et du une est dans pour qui que sur au aux par pas"),
    "es": word_set("el los las del y que en una por con para se al su fue"),
    "de": word_set("der die das und ist nicht mit den von zu ein eine auf dem des"),
    "pt": word_set("os as do da dos das em que uma para com não foi pelo pela"),
    "it": word_set("il gli della delle che per una non con del alla sono nel"),
}
_WORD = re.compile(r"[^\W\d_]+")


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of the text's likely language, or None when it cannot tell."""
    sample = text[:4000]
    letters = [c for c in sample if c.isalpha()]
    if not letters:
        return None
    counts = {"ru": 0, "ar": 0, "zh": 0, "ja": 0}
    for c in letters:
        o = ord(c)
        if 0x0400 <= o <= 0x04FF:
            counts["ru"] += 1
        elif 0x0600 <= o <= 0x06FF:
            counts["ar"] += 1
        elif 0x3040 <= o <= 0x30FF:
            counts["ja"] += 1
        elif 0x4E00 <= o <= 0x9FFF:
            counts["zh"] += 1
    script, n = max(counts.items(), key=lambda kv: kv[1])
    if n > len(letters) * 0.3:
        if script == "zh" and counts["ja"] > 0:
            return "ja"
        return script
    tokens = [w.casefold() for w in _WORD.findall(sample)]
    if not tokens:
        return None
    scores = {lang: sum(t in words for t in tokens) for lang, words in _FUNCTION_WORDS.items()}
    lang, best = max(scores.items(), key=lambda kv: kv[1])
    return lang if best >= 2 else None
