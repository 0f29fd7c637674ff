"""Tokens with their offsets, normalised forms and a light English stemmer (pure)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

# A CJK ideograph or kana is a token of its own (those scripts use no spaces); any other run
# of letters and digits is a word, apostrophes inside it included ("People's", "Côte d'Ivoire").
_TOKEN = re.compile(
    r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3040-\u30ff]"
    r"|[^\W_\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3040-\u30ff]+"
    r"(?:['’](?=[^\W_])[^\W_\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3040-\u30ff]+)*"
)
_POSSESSIVE = re.compile(r"['’]s$")
_APOSTROPHES = re.compile(r"['’]")


@dataclass(frozen=True, slots=True)
class Token:
    text: str  # as written
    norm: str  # casefolded, accents and apostrophes dropped, possessive 's removed
    start: int
    end: int


def fold(text: str) -> str:
    """Casefold and drop accents: "Côte" -> "cote", "Türkiye" -> "turkiye"."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@lru_cache(maxsize=65536)
def norm_word(word: str) -> str:
    if "'" in word or "’" in word:
        word = _APOSTROPHES.sub("", _POSSESSIVE.sub("", word))
    return fold(word)


def tokenize(text: str) -> list[Token]:
    return [
        Token(m.group(), norm_word(m.group()), m.start(), m.end()) for m in _TOKEN.finditer(text)
    ]


def words(text: str) -> list[str]:
    """The normalised tokens of a text."""
    return [norm_word(m.group()) for m in _TOKEN.finditer(text)]


# Function words, and the vocabulary every General Assembly record shares (it says nothing
# about what a resolution is about).
def word_set(text: str) -> frozenset[str]:
    """The whitespace-separated words of a literal."""
    return frozenset(text.split())


STOPWORDS = word_set(
    """
    a an the and or but nor of to in on at by for from with without into onto upon over under
    as is are was were be been being has have had do does did will would shall should can could
    may might must it its this that these those there their them they he she his her him we our
    us you your i me my who whom whose which what when where why how all any both each few more
    most other some such no not only own same so than too very s t just also about against
    between through during before after above below up down out off again further then once
    here whether while per via within among amongst including
    un u n united nations general assembly resolution resolutions res resol draft drafts
    adopt adopted adopting adoption vote votes voted voting recorded roll call
    session sessions meeting meetings plenary agenda item items committee comm report reports
    rapporteur decision decisions document documents para paragraph paragraphs operative
    preambular preamb amendment amendments motion motions part parts text texts annex
    member members state states country countries nation national international
    situation question matter issue issues concerning regarding relating related
    mr mrs ms president secretary said says told
    """
)

_STEM_RULES: tuple[tuple[str, str], ...] = (
    ("isations", "iz"),
    ("izations", "iz"),
    ("isation", "iz"),
    ("ization", "iz"),
    ("ational", "ate"),
    ("ations", "ate"),
    ("ation", "ate"),
    ("ising", "iz"),
    ("izing", "iz"),
    ("ised", "iz"),
    ("ized", "iz"),
    ("ises", "iz"),
    ("izes", "iz"),
    ("ise", "iz"),
    ("ize", "iz"),
    ("ments", ""),
    ("ment", ""),
    ("ness", ""),
    ("ities", "ity"),
    ("ies", "y"),
    ("ing", ""),
    ("ed", ""),
    ("sses", "ss"),
    ("shes", "sh"),
    ("ches", "ch"),
    ("xes", "x"),
    ("s", ""),
)


def stem(word: str) -> str:
    """A light, deterministic English stemmer: enough to meet "militarisation" with
    "militarization" and "sanctions" with "sanction". Short words are left alone."""
    if len(word) <= 4 or not word.isalpha():
        return word
    if word.endswith("our") and len(word) > 5:  # favour -> favor, labour -> labor
        word = word[:-3] + "or"
    for suffix, replacement in _STEM_RULES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            if suffix == "s" and word.endswith(("ss", "us", "is")):
                return word
            return word[: len(word) - len(suffix)] + replacement
    return word


def content_terms(tokens: list[str]) -> list[str]:
    """Stemmed content words: stopwords, numbers and one-letter tokens dropped."""
    out = []
    for w in tokens:
        if len(w) < 2 or w in STOPWORDS or w.isdigit():
            continue
        out.append(stem(w))
    return out
