"""The country vocabulary for finding countries in news text.

Three sources, merged:
- the maintained library ``pycountry``: ISO 3166-1 names (short, official, common) and their
  translations into the languages in :data:`app.news.language.NAME_LANGUAGES`;
- our own ``country_names`` table (UN names and aliases such as "Russia", "Burma", "USSR");
- ``seed/country_terms.csv``: more aliases and abbreviations ("U.S.", "UK"), capitals standing for
  governments ("Moscow"), demonyms ("Belarusian", "Chinese"), and "block" phrases that contain a
  country's name without naming it ("Latin America", "South China Sea"). Facts only.

:func:`build_vocabulary` is pure; :func:`load_country_terms` reads the database and the CSV.
"""

from __future__ import annotations

import csv
import gettext
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

import pycountry
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Country, CountryName
from app.news.countries import TERM_KINDS, CountryMatcher, CountryTerm
from app.news.language import NAME_LANGUAGES

TERMS_FILE = "country_terms.csv"

# UN observer states: named in news as often as members, though they cast no votes.
OBSERVER_STATES = ("PSE", "VAT")

_GETTEXT_LOCALE = {"zh": "zh_CN"}
_PAREN = re.compile(r"^(?P<base>[^()]+?)\s*\((?P<inner>[^()]+)\)$")
# The inner part of "Bolivia (Plurinational State of)" reads before the base name.
_TRAILING_PREPOSITION = re.compile(
    r"(?:\b(?:of|of the|de|del|de la|du|des|da|do|di|della|von)|d')$", re.I
)


@dataclass(frozen=True, slots=True)
class CountryInfo:
    code: str
    name: str
    id: int | None  # None for an observer state that has no row in ``countries``
    historical: bool = False


@dataclass(frozen=True)
class CountryVocabulary:
    terms: tuple[CountryTerm, ...]
    countries: Mapping[str, CountryInfo]

    def matcher(self) -> CountryMatcher:
        return CountryMatcher(self.terms)


def name_variants(name: str) -> list[tuple[str, bool]]:
    """The name and the forms derived from it, each with ``derived``: "Korea, Republic of" ->
    "Republic of Korea", "Korea"; "Bolivia (Plurinational State of)" -> "Plurinational State of
    Bolivia", "Bolivia"; "The Gambia" -> "Gambia". A parenthesis that is not such an inversion
    ("Myanmar (Burma)") yields nothing: the aliases carry those names."""
    name = " ".join(name.split())
    out: list[tuple[str, bool]] = []
    m = _PAREN.match(name)
    if m:
        base, inner = m["base"].strip(), m["inner"].strip()
        if not _TRAILING_PREPOSITION.search(inner):
            return []
        out += [(f"{inner} {base}", True), (base, True)]
    elif ", " in name:
        base, rest = name.split(", ", 1)
        out += [(name, False), (f"{rest} {base}", True), (base, True)]
    else:
        out.append((name, False))
    more = []
    for variant, _ in out:
        if variant.lower().startswith("the "):
            more.append((variant[4:], True))
    return [(v, d) for v, d in out + more if v]


def _terms_for(
    code: str, names: Iterable[str], lang: str = "", *, current: bool = True
) -> list[CountryTerm]:
    terms = []
    for name in names:
        for variant, derived in name_variants(name):
            if "," in variant:  # an uninverted "Korea, Republic of" is not how text names it
                continue
            kind = "alias" if derived else "name"
            terms.append(CountryTerm(code, variant, kind, lang=lang, current=current))
    return terms


def _pycountry_names(code: str) -> list[str]:
    entry = pycountry.countries.get(alpha_3=code)
    if entry is None:
        return []
    names = [str(entry.name)]
    for attr in ("official_name", "common_name"):
        value = getattr(entry, attr, None)
        if value:
            names.append(str(value))
    return names


@lru_cache(maxsize=4)
def pycountry_terms(codes: frozenset[str]) -> tuple[CountryTerm, ...]:
    """English names of ``codes`` from pycountry, and their translations."""
    terms: list[CountryTerm] = []
    for code in sorted(codes):
        terms += _terms_for(code, _pycountry_names(code))
    for lang in NAME_LANGUAGES:
        try:
            translation = gettext.translation(
                "iso3166-1", pycountry.LOCALES_DIR, languages=[_GETTEXT_LOCALE.get(lang, lang)]
            )
        except OSError:
            continue
        for code in sorted(codes):
            english = _pycountry_names(code)
            translated = [translation.gettext(n) for n in english]
            local = [t for t, e in zip(translated, english, strict=True) if t != e]
            terms += _terms_for(code, local, lang)
    return tuple(terms)


def read_terms_file(path: Path) -> list[CountryTerm]:
    """Rows of ``country_terms.csv``: code, term, kind, case_sensitive, lang (ISO 639-1 for a
    term only looked for in texts of that language, empty for every text)."""
    terms = []
    with path.open(newline="", encoding="utf-8") as f:
        for n, row in enumerate(csv.DictReader(f), start=2):
            kind = (row.get("kind") or "").strip()
            term = (row.get("term") or "").strip()
            code = (row.get("code") or "").strip().upper()
            if kind not in TERM_KINDS or not term or (kind != "block" and len(code) != 3):
                raise ValueError(f"{path}:{n}: bad country term row {row!r}")
            case = (row.get("case_sensitive") or "").strip().lower() in {"true", "1", "yes"}
            lang = (row.get("lang") or "").strip().lower()
            terms.append(CountryTerm(code, term, kind, case, lang))
    return terms


def build_vocabulary(
    countries: Iterable[CountryInfo],
    db_names: Iterable[tuple[str, str, str] | tuple[str, str, str, bool]],
    extra_terms: Iterable[CountryTerm],
) -> CountryVocabulary:
    """Merge the sources. ``db_names`` are (code, name, kind[, current]) rows of
    ``country_names``; a name is not current when its validity has ended or its country is a
    seat that no longer exists (the ambiguous "China" then means the PRC)."""
    known = {c.code: c for c in countries}
    for code in OBSERVER_STATES:
        if code not in known:
            entry = pycountry.countries.get(alpha_3=code)
            if entry is not None:
                name = getattr(entry, "common_name", None) or str(entry.name)
                known[code] = CountryInfo(code, name, None)
    in_pycountry = frozenset(code for code in known if pycountry.countries.get(alpha_3=code))
    terms: list[CountryTerm] = list(pycountry_terms(in_pycountry))
    for row in db_names:
        code, name, kind = row[0], row[1], row[2]
        current = (row[3] if len(row) > 3 else True) and not known.get(
            code, CountryInfo(code, code, None)
        ).historical
        if code in known:
            derived = _terms_for(code, [name], current=current)
            if kind == "alias":
                derived = [CountryTerm(t.code, t.term, "alias", current=t.current) for t in derived]
            terms += derived
    terms += [t for t in extra_terms if t.kind == "block" or t.code in known]
    return CountryVocabulary(tuple(terms), known)


_NAME_KINDS = ("un_name", "official", "common", "alias")


def load_country_terms(session: Session, seed_dir: Path | None) -> CountryVocabulary:
    """The vocabulary from the database and ``seed_dir/country_terms.csv`` (when present)."""
    countries = [
        CountryInfo(code, name, cid, bool(historical))
        for cid, code, name, historical in session.execute(
            select(Country.id, Country.code, Country.name, Country.is_historical)
        )
    ]
    rows = session.execute(
        select(Country.code, CountryName.name, CountryName.kind, CountryName.valid_to)
        .join(CountryName, CountryName.country_id == Country.id)
        .where(CountryName.kind.in_(_NAME_KINDS))
        .order_by(CountryName.id)
    )
    today = date.today()
    db_names = [
        (code, name, kind, valid_to is None or valid_to > today)
        for code, name, kind, valid_to in rows
    ]
    extra: list[CountryTerm] = []
    if seed_dir is not None and (seed_dir / TERMS_FILE).is_file():
        extra = read_terms_file(seed_dir / TERMS_FILE)
    return build_vocabulary(countries, db_names, extra)
