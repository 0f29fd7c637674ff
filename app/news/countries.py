"""Find the countries a text names, with the matching spans (pure).

A :class:`CountryMatcher` is built from :class:`CountryTerm` entries (names, aliases, capitals,
demonyms, and "block" phrases such as "Latin America" or "South China Sea" that contain a
country's name without naming it). Matching is on normalised tokens, leftmost-longest, so
"Papua New Guinea" wins over "Guinea" and "People's Republic of China" over "Republic of China".

Case matters where it carries meaning: a term written with a capital letter only matches a
capitalised span ("Turkey", not "turkey"; "Chad", not "chad"), and a case-sensitive term
(abbreviations: "US", "UK") only matches its exact spelling, so the pronoun "us" is no country.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from app.news.text import Token, tokenize

# What a term says about a country. "name" and "alias" name it; "capital" and "demonym" refer to
# it indirectly ("Moscow" for the Russian government, "Belarusian", "Chinese").
DIRECT_KINDS = frozenset({"name", "alias"})
INDIRECT_KINDS = frozenset({"capital", "demonym"})
TERM_KINDS = DIRECT_KINDS | INDIRECT_KINDS | {"block"}
_KIND_RANK = {"name": 0, "alias": 1, "capital": 2, "demonym": 3}

# Spelling variants of single tokens, applied to terms and text alike.
_TOKEN_VARIANTS = {"st": "saint", "ste": "sainte"}


@dataclass(frozen=True, slots=True)
class CountryTerm:
    code: str  # ISO 3166-1 alpha-3 (or our own code); empty for a "block" phrase
    term: str
    kind: str
    case_sensitive: bool = False
    lang: str = ""  # "" for names looked for in every text (English, and capitals)
    current: bool = True  # False: a former name, or a name of a seat that no longer exists


@dataclass(frozen=True, slots=True)
class CountryMention:
    code: str
    start: int
    end: int
    text: str
    kind: str

    @property
    def direct(self) -> bool:
        return self.kind in DIRECT_KINDS


@dataclass(frozen=True, slots=True)
class _Entry:
    code: str
    kind: str
    surface: str
    case_sensitive: bool
    capitalised: bool
    lang: str
    current: bool


def _key_tokens(tokens: Iterable[Token]) -> tuple[str, ...]:
    return tuple(_TOKEN_VARIANTS.get(t.norm, t.norm) for t in tokens)


def _is_capitalised(text: str) -> bool:
    for ch in text:
        if ch.isalpha():
            return ch.isupper()
    return False


def _has_case(text: str) -> bool:
    return any(ch.isalpha() and ch.lower() != ch.upper() for ch in text)


class CountryMatcher:
    """Leftmost-longest matching of country terms in a text.

    Terms tagged with a language are only looked for in texts of that language (German
    "Island" is Iceland, English "Island" is not); untagged terms are looked for everywhere.
    """

    def __init__(self, terms: Iterable[CountryTerm]) -> None:
        self._entries: dict[tuple[str, ...], list[_Entry]] = {}
        for term in terms:
            if term.kind not in TERM_KINDS:
                raise ValueError(f"unknown country term kind {term.kind!r}")
            key = _key_tokens(tokenize(term.term))
            if not key:
                continue
            entry = _Entry(
                code=term.code,
                kind=term.kind,
                surface=" ".join(term.term.split()),
                case_sensitive=term.case_sensitive,
                capitalised=_is_capitalised(term.term) and _has_case(term.term),
                lang=term.lang,
                current=term.current,
            )
            self._entries.setdefault(key, []).append(entry)
        self._languages = {e.lang for es in self._entries.values() for e in es}
        self._tables: dict[str, _Table] = {}

    @property
    def languages(self) -> frozenset[str]:
        return frozenset(self._languages - {""})

    def _table(self, lang: str) -> _Table:
        lang = lang if lang in self._languages else ""
        table = self._tables.get(lang)
        if table is None:
            resolved: dict[tuple[str, ...], list[_Entry]] = {}
            for key, entries in self._entries.items():
                mine = [e for e in entries if e.lang in ("", lang)]
                best = self._resolve(mine) if mine else []
                if best:
                    resolved[key] = best
            table = _Table(
                resolved,
                max((len(k) for k in resolved), default=0),
                frozenset(k[0] for k in resolved),
            )
            self._tables[lang] = table
        return table

    @staticmethod
    def _resolve(entries: list[_Entry]) -> list[_Entry]:
        """Keep, for one key, the entries of its best-ranked kind; a key that names two
        countries at that rank is ambiguous and dropped ("Dominican", "Korea"). Blocks win."""
        blocks = [e for e in entries if e.kind == "block"]
        if blocks:
            return blocks[:1]
        best = min(_KIND_RANK[e.kind] for e in entries)
        top = [e for e in entries if _KIND_RANK[e.kind] == best]
        if len({e.code for e in top}) > 1 and any(e.current for e in top):
            # "China" was the Republic of China's seat until 1971: today it is the PRC.
            top = [e for e in top if e.current]
        if len({e.code for e in top}) > 1:
            # Case-sensitive spellings of different countries may still be told apart.
            if all(e.case_sensitive for e in top) and len({e.surface for e in top}) == len(top):
                return top
            return []
        return top

    @staticmethod
    def _accepts(entry: _Entry, span: str) -> bool:
        if entry.case_sensitive:
            return " ".join(span.split()) == entry.surface
        return not (entry.capitalised and _has_case(span) and not _is_capitalised(span))

    def find(self, text: str, lang: str | None = None) -> list[CountryMention]:
        table = self._table(lang or "")
        tokens = tokenize(text)
        keys = _key_tokens(tokens)
        out: list[CountryMention] = []
        i, n = 0, len(tokens)
        while i < n:
            if keys[i] not in table.first:
                i += 1
                continue
            matched = 0
            for length in range(min(table.max_len, n - i), 0, -1):
                entries = table.entries.get(keys[i : i + length])
                if not entries:
                    continue
                start, end = tokens[i].start, tokens[i + length - 1].end
                span = text[start:end]
                accepted = [e for e in entries if self._accepts(e, span)]
                if not accepted:
                    continue
                entry = accepted[0]
                if entry.kind != "block":
                    out.append(CountryMention(entry.code, start, end, span, entry.kind))
                matched = length
                break
            i += matched or 1
        return out


@dataclass(frozen=True, slots=True)
class _Table:
    entries: dict[tuple[str, ...], list[_Entry]]
    max_len: int
    first: frozenset[str]


@dataclass(frozen=True, slots=True)
class CountryFinding:
    """One country found in a text: every span, and whether it was named (not only referred to
    by a capital or a demonym)."""

    code: str
    mentions: tuple[CountryMention, ...]

    @property
    def direct(self) -> bool:
        return any(m.direct for m in self.mentions)

    @property
    def first(self) -> CountryMention:
        return self.mentions[0]


def group_mentions(mentions: Iterable[CountryMention]) -> list[CountryFinding]:
    """Mentions grouped by country, in order of first appearance."""
    by_code: dict[str, list[CountryMention]] = {}
    for m in mentions:
        by_code.setdefault(m.code, []).append(m)
    return [CountryFinding(code, tuple(ms)) for code, ms in by_code.items()]
