"""Suggest the resolutions a news article reports on, and the countries it names (pure).

Each candidate resolution collects *points* from independent kinds of evidence:

============  ==========================================================================  ======
evidence      what counts                                                                 points
============  ==========================================================================  ======
symbol        the symbol in the text: ``A/RES/75/287`` 5, "resolution 75/287" or the       1.5-5
              draft ``A/75/L.85`` 4.5, "resolution 2758" (old numbering) 3.5, a bare
              "75/287" 1.5
tally         numbers stated for yes / no / abstain that match one of the resolution's     0-3.7
              recorded votes (the computed or the official counts; off by one allowed
              from 10 up, as sources differ by one). Two parts must match, one of them
              with a cue ("119 in favour", "adopted 128-9"). Yes 1.5, no 1.0, abstain
              1.2, each scaled down for small numbers (a "1" or a "3" says little).
content       the share of the resolution's title (and description) words found in the     0-3
              article, weighted by rarity (IDF); country names count as words
date          publication 0-3 days after the vote 2, up to 10 days 1.5, 45 days 0.8,       0-2
              200 days 0.3; a date in the text equal to the vote's 1.8 (same month 0.8,
              same year 0.3). Month precision where the record's date is approximate.
positions     countries the text gives a position ("Belarus voted against") that the       -1.5-2
              roll confirms (+0.7 no/abstain, +0.3 yes) or contradicts (-0.5)
session       the session named ("the 73rd session")                                       0.5
============  ==========================================================================  ======

Two discounts: ×0.5 on everything but the symbol when the article never mentions the General
Assembly (a Security Council or Human Rights Council story), and ×0.35 on a tally when the vote
is more than two years older than the article and the text names neither its year nor its date
(the same tally years earlier, often on the same yearly resolution, is not the story). A vote
more than 75 days after publication is never the article's subject; one shortly after it may be
(a preview, or the plenary vote on a draft a Main Committee has just voted on).

A suggestion is listed when its points reach :data:`ACCEPT_POINTS` (4.0). The score shown is
``points / (points + 4)``, in [0, 1): the threshold is a score of 0.5. One strong kind of
evidence alone is not enough, except an explicit symbol: a matching tally needs a matching
topic or date, a matching topic needs a matching date or tally. An empty list is the answer
when the evidence is weak.
"""

from __future__ import annotations

import heapq
import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from app.domain.symbols import Symbol, parse_symbol
from app.news.countries import CountryFinding, CountryMatcher, CountryMention, group_mentions
from app.news.extract import (
    DateMention,
    NumberMention,
    PositionMention,
    Role,
    SymbolMention,
    find_dates,
    find_numbers,
    find_positions,
    find_sessions,
    find_symbols,
    mentions_assembly,
    mentions_committee,
)
from app.news.language import detect_language
from app.news.text import content_terms, words

ACCEPT_POINTS = 4.0
SCORE_SCALE = 4.0  # score = points / (points + SCORE_SCALE): the threshold is a score of 0.5
MAX_SUGGESTIONS = 5
SHORTLIST = 12  # candidates whose rolls are read for the position evidence
CONTENT_CANDIDATES = 60  # resolutions scored for their words alone
TALLY_CANDIDATES = 60  # votes scored for their tally (a long article states many numbers)

SYMBOL_POINTS = {"full": 5.0, "cited": 4.5, "draft": 4.5, "old_number": 3.5, "bare": 1.5}
PART_FACTOR = 0.8  # "A/RES/40/123" cited, the record holds "A/RES/40/123 A"
TALLY_WEIGHTS: dict[Role, float] = {"yes": 1.5, "no": 1.0, "abstain": 1.2}
CONTENT_WEIGHT = 3.0
DESCRIPTION_WEIGHT = 0.9  # a description or a vote's own text, against the title's 1.0
CONTENT_FULL_MASS = 0.6  # the rarity of the words matched (summed IDF, as a share of the
# largest IDF, ln(1 + resolutions)) for full content points: one rare name ("Myanmar") reaches
# it; a title of common words ("Human rights") does not
SESSION_POINTS = 0.5
NO_ASSEMBLY_FACTOR = 0.5
OLD_VOTE_FACTOR = 0.35
OLD_VOTE_DAYS = 730
TALLY_CONFLICT = 1.0  # share of a part's weight taken back when the text states it otherwise
POSITION_MINORITY, POSITION_YES, POSITION_WRONG = 0.7, 0.3, -0.5
POSITION_RANGE = (-1.5, 1.5)
STRONG_DATE = 1.5  # positions count for a vote the tally or a date this strong points at
PREVIEW_DAYS = 75  # a vote this long after publication may be previewed (a Main Committee
# votes on a draft some weeks before the plenary); a later one cannot be the article's subject
_COMMON_TERM_SHARE = 0.2  # terms in more than this share of resolutions only refine scores


# --- inputs --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class VoteFacts:
    event_id: int
    voted_on: date
    approximate: bool
    yes: int
    no: int
    abstain: int
    official_yes: int | None = None
    official_no: int | None = None
    official_abstain: int | None = None
    is_main: bool = True

    def counts(self, role: Role) -> tuple[int, ...]:
        computed = {"yes": self.yes, "no": self.no, "abstain": self.abstain}[role]
        official = {"yes": self.official_yes, "no": self.official_no}.get(role)
        if role == "abstain":
            official = self.official_abstain
        return (computed,) if official is None or official == computed else (computed, official)


@dataclass(frozen=True, slots=True)
class ResolutionFacts:
    id: int
    symbol: str | None
    draft_symbol: str | None
    title: str
    description: str | None = None
    ga_session: str | None = None
    adopted_on: date | None = None
    date_approximate: bool = False
    votes: tuple[VoteFacts, ...] = ()
    texts: tuple[str, ...] = ()  # the vote events' own titles and descriptions

    @property
    def label(self) -> str:
        return self.symbol or self.draft_symbol or f"#{self.id}"


@dataclass(frozen=True, slots=True)
class PublishedDate:
    """A publication date, to the day or to the month (``first`` .. ``last``)."""

    first: date
    last: date

    @classmethod
    def parse(cls, value: str | date | None) -> PublishedDate | None:
        if value is None:
            return None
        if isinstance(value, date):
            return cls(value, value)
        if m := re.fullmatch(r"(\d{4})-(\d{2})", value.strip()):
            y, mo = int(m[1]), int(m[2])
            first = date(y, mo, 1)
            nxt = date(y + (mo == 12), mo % 12 + 1, 1)
            return cls(first, date.fromordinal(nxt.toordinal() - 1))
        d = date.fromisoformat(value.strip()[:10])
        return cls(d, d)

    @property
    def precise(self) -> bool:
        return self.first == self.last


@dataclass(frozen=True, slots=True)
class Article:
    title: str
    text: str
    published: PublishedDate | None = None
    language: str | None = None


# --- outputs -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Evidence:
    kind: str  # symbol, tally, content, date, positions, session, discount
    points: float
    detail: str
    spans: tuple[tuple[int, int], ...] = ()  # offsets into title + "\n" + text


@dataclass(frozen=True, slots=True)
class ResolutionSuggestion:
    resolution_id: int
    symbol: str | None
    draft_symbol: str | None
    title: str
    points: float
    evidence: tuple[Evidence, ...]
    vote_event_id: int | None = None

    @property
    def score(self) -> float:
        return round(self.points / (self.points + SCORE_SCALE), 3) if self.points > 0 else 0.0


@dataclass
class ArticleAnalysis:
    text: str  # title + "\n" + text: every span is an offset into it
    language: str | None
    published: PublishedDate | None
    symbols: list[SymbolMention]
    numbers: list[NumberMention]
    numbers_by_role: dict[Role, list[NumberMention]]
    number_bag: dict[int, NumberMention]  # the first mention of each value
    dates: list[DateMention]
    years: list[int]
    sessions: set[str]
    assembly: bool
    committee: bool  # names a Main Committee: its drafts reach the plenary weeks later
    countries: list[CountryFinding]
    positions: list[PositionMention]
    terms: Counter[str]
    title_terms: frozenset[str]


@dataclass
class Candidate:
    """A resolution under consideration, and its best vote for this article."""

    index: int
    points: float = 0.0
    evidence: list[Evidence] = field(default_factory=list)
    vote: VoteFacts | None = None
    vote_supported: bool = False  # the tally or the date points at this vote
    factor: float = 1.0


# --- analysis ------------------------------------------------------------------------------


def doc_terms(
    text: str,
    matcher: CountryMatcher,
    lang: str | None = None,
    mentions: Sequence[CountryMention] | None = None,
) -> list[str]:
    """Content terms of a text, each country mention folded into one ``@CODE`` term."""
    if mentions is None:
        mentions = matcher.find(text, lang)
    out = [f"@{m.code}" for m in mentions]
    if mentions:
        pieces, pos = [], 0
        for m in mentions:
            pieces.append(text[pos : m.start])
            pos = m.end
        pieces.append(text[pos:])
        text = " ".join(pieces)
    return out + content_terms(words(text))


def analyze(article: Article, matcher: CountryMatcher) -> ArticleAnalysis:
    text = f"{article.title.strip()}\n{article.text}"
    lang = article.language or detect_language(text)
    mentions = matcher.find(text, lang)
    dates, years = find_dates(text)
    cut = len(article.title.strip())
    title_terms = frozenset(
        doc_terms(text[:cut], matcher, lang, [m for m in mentions if m.end <= cut])
    )
    numbers = find_numbers(text)
    by_role: dict[Role, list[NumberMention]] = {"yes": [], "no": [], "abstain": []}
    bag: dict[int, NumberMention] = {}
    for n in numbers:
        if n.role in by_role:
            by_role[n.role].append(n)
        bag.setdefault(n.value, n)
    return ArticleAnalysis(
        text=text,
        language=lang,
        published=article.published,
        symbols=find_symbols(text),
        numbers=numbers,
        numbers_by_role=by_role,
        number_bag=bag,
        dates=dates,
        years=years,
        sessions=find_sessions(text),
        assembly=mentions_assembly(text),
        committee=mentions_committee(text),
        countries=group_mentions(mentions),
        positions=find_positions(text, mentions),
        terms=Counter(doc_terms(text, matcher, lang, mentions)),
        title_terms=title_terms,
    )


# --- the index -----------------------------------------------------------------------------


@lru_cache(maxsize=2048)
def _spec(value: int) -> float:
    """How much a count says: 0 for 0, about 0.2 for 1, 1 from 30 up."""
    return min(1.0, math.log1p(value) / math.log1p(30))


class ResolutionIndex:
    """The record, prepared once for fast matching: symbols, terms with their rarity, and
    tallies by count. Rebuilt when the data changes."""

    def __init__(self, resolutions: Iterable[ResolutionFacts], matcher: CountryMatcher) -> None:
        self.matcher = matcher
        self.resolutions: list[ResolutionFacts] = list(resolutions)
        self._by_symbol: dict[str, list[int]] = {}
        self._by_base: dict[str, list[int]] = {}
        self._by_draft: dict[str, list[int]] = {}
        self._by_old_number: dict[int, list[int]] = {}
        self._by_count: dict[Role, dict[int, list[tuple[int, int]]]] = {
            "yes": {},
            "no": {},
            "abstain": {},
        }
        # Each resolution's texts, matched one by one (a title, a description, the vote
        # events' own titles): (terms, weight of the field).
        self._fields: list[list[tuple[frozenset[str], float]]] = []
        df: Counter[str] = Counter()
        for i, r in enumerate(self.resolutions):
            self._index_symbols(i, r)
            for j, v in enumerate(r.votes):
                for role in ("yes", "no", "abstain"):
                    for value in v.counts(role):
                        self._by_count[role].setdefault(value, []).append((i, j))
            fields: list[tuple[frozenset[str], float]] = []
            seen: set[frozenset[str]] = set()
            for text, weight in [(r.title, 1.0), (r.description, DESCRIPTION_WEIGHT)] + [
                (t, DESCRIPTION_WEIGHT) for t in r.texts
            ]:
                terms = frozenset(doc_terms(text or "", matcher))
                if terms and terms not in seen:
                    seen.add(terms)
                    fields.append((terms, weight))
            self._fields.append(fields)
            df.update(frozenset().union(*(f for f, _ in fields)))
        n = max(1, len(self.resolutions))
        self._idf = {t: math.log1p(n / c) for t, c in df.items()}
        self._full_mass = CONTENT_FULL_MASS * math.log1p(n)
        common = {t for t, c in df.items() if c > n * _COMMON_TERM_SHARE}
        # postings: term -> (resolution, field); norms: the idf mass of each field
        self._postings: dict[str, list[tuple[int, int]]] = {}
        self._norm: dict[tuple[int, int], float] = {}
        for i, fields in enumerate(self._fields):
            for f, (terms, _) in enumerate(fields):
                self._norm[i, f] = sum(self._idf[t] for t in terms) or 1.0
                for t in terms:
                    if t not in common:
                        self._postings.setdefault(t, []).append((i, f))

    def _index_symbols(self, i: int, r: ResolutionFacts) -> None:
        if r.symbol:
            self._by_symbol.setdefault(r.symbol, []).append(i)
            parsed = parse_symbol(r.symbol)
            if parsed is not None:
                self._by_base.setdefault(parsed.base, []).append(i)
                if parsed.canonical.startswith("A/RES/") and "(" in parsed.canonical:
                    self._by_old_number.setdefault(parsed.number, []).append(i)
        if r.draft_symbol:
            self._by_draft.setdefault(r.draft_symbol, []).append(i)
            base = re.sub(r"/(?:Rev|Add|Corr)\..*$", "", r.draft_symbol)
            if base != r.draft_symbol:
                self._by_draft.setdefault(base, []).append(i)

    def __len__(self) -> int:
        return len(self.resolutions)

    # -- evidence of each kind --

    def _symbol_hits(self, mention: SymbolMention) -> list[tuple[int, float]]:
        points = SYMBOL_POINTS[mention.form]
        if mention.form == "old_number" and mention.number is not None:
            return [(i, points) for i in self._by_old_number.get(mention.number, [])]
        sym: Symbol | None = mention.symbol
        if sym is None:
            return []
        if sym.kind == "draft":
            return [(i, points) for i in self._by_draft.get(sym.canonical, [])]
        exact = self._by_symbol.get(sym.canonical, [])
        if exact:
            return [(i, points) for i in exact]
        return [(i, points * PART_FACTOR) for i in self._by_base.get(sym.base, [])]

    def _content(self, i: int, a: ArticleAnalysis) -> tuple[float, list[str]]:
        """The best share, over the resolution's texts, of a text's words (weighted by their
        rarity) that the article uses; a word used once, outside the headline, counts 0.6."""
        best, best_terms = 0.0, []
        for terms, weight in self._fields[i]:
            total = hit = 0.0
            matched = []
            for t in terms:
                idf = self._idf.get(t, 0.0)
                total += idf
                tf = a.terms.get(t, 0)
                if tf:
                    salience = 1.0 if tf >= 2 or t in a.title_terms else 0.6
                    hit += idf * salience
                    matched.append(t)
            mass = sum(self._idf.get(t, 0.0) for t in matched)
            share = weight * (hit / total) * min(1.0, mass / self._full_mass) if total else 0.0
            if share > best:
                best, best_terms = share, sorted(matched, key=lambda t: -self._idf.get(t, 0.0))
        return best, best_terms

    @staticmethod
    def _tally(v: VoteFacts, a: ArticleAnalysis) -> tuple[float, list[NumberMention], list[str]]:
        """Points for the parts of the vote's tally the text states, the numbers used, and the
        parts the text states differently (which take back some of a partial match)."""
        by_role, bag = a.numbers_by_role, a.number_bag
        points, penalty, parts, cued = 0.0, 0.0, 0, False
        used: list[NumberMention] = []
        conflicts: list[str] = []
        for role, weight in TALLY_WEIGHTS.items():
            best, best_n, value = 0.0, None, 0
            for actual in v.counts(role):
                for n in by_role[role]:
                    d = abs(n.value - actual)
                    m = 1.0 if d == 0 else 0.7 if d == 1 and actual >= 10 else 0.0
                    if m > best:
                        best, best_n, value = m, n, actual
                if not by_role[role] and actual in bag and best < 0.35:
                    best, best_n, value = 0.35, bag[actual], actual
            if best > 0 and best_n is not None:
                parts += 1
                cued = cued or best >= 0.7
                points += weight * best * _spec(value)
                used.append(best_n)
            elif by_role[role]:
                actual = v.counts(role)[0]
                stated = min(n.value for n in by_role[role])
                penalty += TALLY_CONFLICT * weight * _spec(max(actual, stated))
                conflicts.append(f"{role} {actual}")
        if parts < 2 or not cued:
            return 0.0, [], []
        return max(0.0, points - penalty), used, conflicts

    @staticmethod
    def _date(v: VoteFacts, a: ArticleAnalysis) -> tuple[float, str, bool]:
        """Points, a description, and whether the text names the vote's year."""
        best, why = 0.0, ""
        vy, vm = v.voted_on.year, v.voted_on.month
        pub = a.published
        if pub is not None:
            if v.approximate or not pub.precise:
                months = (pub.last.year * 12 + pub.last.month) - (vy * 12 + vm)
                pts = {0: 1.2, 1: 1.2, 2: 0.5}.get(months, 0.0)
                if v.approximate and not pub.precise and months == 0:
                    pts = 1.2
                if pts and months >= 0:
                    best, why = pts, f"published {months} month(s) after the vote"
            else:
                days = (pub.last - v.voted_on).days
                pts = 0.0
                if -1 <= days <= 3:
                    pts = 2.0
                elif 0 < days <= 10:
                    pts = 1.5
                elif 0 < days <= 45:
                    pts = 0.8
                elif 0 < days <= 200:
                    pts = 0.3
                elif -PREVIEW_DAYS <= days < -1:
                    # a preview: the vote came days after the article, or weeks after a
                    # Main Committee vote on its draft
                    soon = -days <= 7 or a.committee
                    pts = 1.2 if soon else 0.4
                if pts:
                    best = pts
                    why = (
                        f"published {days} day(s) after the vote"
                        if days >= 0
                        else f"published {-days} day(s) before the vote"
                    )
        year_named = vy in a.years
        for dm in a.dates:
            resolved = dm.resolve(pub.last if pub else None)
            if resolved is None:
                continue
            y, m, d = resolved
            year_named = year_named or y == vy
            pts = 0.0
            if (y, m) == (vy, vm):
                if v.approximate:
                    pts = 1.2
                elif d == v.voted_on.day:
                    pts = 1.8
                else:
                    pts = 0.8
            elif y == vy:
                pts = 0.3
            if pts > best:
                best, why = pts, f"the text names {a.text[dm.start : dm.end]!r}"
        if best < 0.3 and vy in a.years:
            best, why = 0.3, f"the text names the year {vy}"
        return best, why, year_named

    @staticmethod
    def _positions(
        v: VoteFacts, a: ArticleAnalysis, rolls: Mapping[int, Mapping[str, str]]
    ) -> tuple[float, list[str]]:
        roll = rolls.get(v.event_id)
        if not roll:
            return 0.0, []
        points, notes, seen = 0.0, [], set()
        for p in a.positions:
            if (p.code, p.role) in seen or p.code not in roll:
                continue
            seen.add((p.code, p.role))
            actual = roll[p.code]
            if actual == p.role:
                points += POSITION_MINORITY if p.role in ("no", "abstain") else POSITION_YES
                notes.append(f"{p.code} {p.role} (confirmed)")
            else:
                points += POSITION_WRONG
                notes.append(f"{p.code} {p.role} (the roll says {actual})")
        lo, hi = POSITION_RANGE
        return max(lo, min(hi, points)), notes

    # -- scoring --

    def _candidate_indexes(self, a: ArticleAnalysis) -> dict[int, float]:
        """Resolutions worth scoring: cited, with a matching count, or sharing rare words."""
        found: dict[int, float] = {}
        for s in a.symbols:
            for i, _ in self._symbol_hits(s):
                found[i] = found.get(i, 0.0)
        # votes with two or more parts of their tally in the text, the likeliest first
        parts: dict[tuple[int, int], set[Role]] = {}
        weight: dict[tuple[int, int], float] = {}
        for role in ("yes", "no", "abstain"):
            values = {n.value for n in a.numbers if n.role == role}
            if role == "yes":
                values |= {n.value for n in a.numbers if n.role is None and n.value >= 20}
            for x in values:
                for y in {x - 1, x, x + 1} if x >= 10 else {x}:
                    for key in self._by_count[role].get(y, ()):
                        parts.setdefault(key, set()).add(role)
                        weight[key] = weight.get(key, 0.0) + TALLY_WEIGHTS[role] * _spec(y)
        likely = heapq.nsmallest(
            TALLY_CANDIDATES,
            (k for k, p in parts.items() if len(p) >= 2),
            key=lambda k: (-weight[k], k),
        )
        for i, _ in likely:
            found.setdefault(i, 0.0)
        acc: dict[tuple[int, int], float] = {}
        for t in a.terms:
            idf = self._idf.get(t, 0.0)
            for key in self._postings.get(t, ()):
                acc[key] = acc.get(key, 0.0) + idf
        norm = self._norm
        ranked = heapq.nsmallest(CONTENT_CANDIDATES * 2, acc, key=lambda k: (-acc[k] / norm[k], k))
        for i, _ in ranked:
            found.setdefault(i, 0.0)
            if len(found) >= CONTENT_CANDIDATES + TALLY_CANDIDATES + len(a.symbols):
                break
        return found

    def score(self, a: ArticleAnalysis) -> list[Candidate]:
        """Phase one: every kind of evidence but the rolls; best first."""
        out: list[Candidate] = []
        symbol_points: dict[int, tuple[float, SymbolMention]] = {}
        for s in a.symbols:
            for i, pts in self._symbol_hits(s):
                if pts > symbol_points.get(i, (0.0, s))[0]:
                    symbol_points[i] = (pts, s)
        factor = 1.0 if a.assembly else NO_ASSEMBLY_FACTOR
        for i in self._candidate_indexes(a):
            r = self.resolutions[i]
            cand = Candidate(i, factor=factor)
            if i in symbol_points:
                pts, s = symbol_points[i]
                cand.points += pts
                cand.evidence.append(
                    Evidence("symbol", pts, f"the text cites {s.text!r}", ((s.start, s.end),))
                )
            content, matched = self._content(i, a)
            content_pts = CONTENT_WEIGHT * content
            votes = r.votes or (
                (VoteFacts(0, r.adopted_on, r.date_approximate, 0, 0, 0),) if r.adopted_on else ()
            )
            best: tuple[float, VoteFacts | None, list[Evidence]] = (0.0, None, [])
            for v in votes:
                if a.published is not None and _after(v, a.published):
                    continue  # a vote after publication cannot be what the article reports
                tally, used, conflicts = self._tally(v, a)
                date_pts, date_why, year_named = self._date(v, a)
                evidence: list[Evidence] = []
                # An old vote whose tally matches, in an article that names neither the vote's
                # year nor its date, is most likely a coincidence or an earlier yearly vote.
                old = (
                    a.published is not None
                    and (a.published.first - v.voted_on).days > OLD_VOTE_DAYS
                    and not year_named
                )
                discount = OLD_VOTE_FACTOR if old and tally else 1.0
                if tally:
                    shown = "-".join(str(x) for x in (v.yes, v.no, v.abstain))
                    evidence.append(
                        Evidence(
                            "tally",
                            round(tally * discount * factor, 2),
                            f"the text states {', '.join(n_text(a, n) for n in used)}; "
                            f"the vote was {shown}"
                            + (f" (stated otherwise: {', '.join(conflicts)})" if conflicts else ""),
                            tuple((n.start, n.end) for n in used),
                        )
                    )
                    if old:
                        evidence.append(
                            Evidence(
                                "discount",
                                0.0,
                                f"the vote ({v.voted_on.year}) is much older than the article, "
                                "whose text names neither its year nor its date",
                            )
                        )
                if date_pts:
                    evidence.append(Evidence("date", round(date_pts * factor, 2), date_why))
                total = (tally * discount + date_pts) * factor
                key = total + (0.01 if v.is_main else 0.0)
                if best[1] is None or key > best[0]:
                    best = (key, v, evidence)
            cand.vote = best[1]
            cand.evidence += best[2]
            cand.vote_supported = any(
                e.kind == "tally" or (e.kind == "date" and e.points >= STRONG_DATE * factor)
                for e in best[2]
            )
            cand.points += sum(e.points for e in best[2])
            if content_pts:
                pts = content_pts * factor
                cand.points += pts
                shown = ", ".join(t.lstrip("@") for t in matched[:8])
                cand.evidence.append(
                    Evidence("content", round(pts, 2), f"words of its title found: {shown}")
                )
            if r.ga_session and r.ga_session in a.sessions:
                cand.points += SESSION_POINTS * factor
                cand.evidence.append(
                    Evidence(
                        "session", SESSION_POINTS * factor, f"the text names session {r.ga_session}"
                    )
                )
            if not a.assembly and cand.points:
                cand.evidence.append(
                    Evidence("discount", 0.0, "the text never mentions the General Assembly")
                )
            if cand.points > 0:
                out.append(cand)
        out.sort(key=lambda c: (-c.points, c.index))
        return out

    def events_to_check(self, candidates: Sequence[Candidate]) -> list[int]:
        """Vote events whose rolls phase two needs (the shortlist's best votes)."""
        return [
            c.vote.event_id
            for c in candidates[:SHORTLIST]
            if c.vote is not None and c.vote.event_id
        ]

    def finalize(
        self,
        a: ArticleAnalysis,
        candidates: Sequence[Candidate],
        rolls: Mapping[int, Mapping[str, str]] | None = None,
        limit: int = MAX_SUGGESTIONS,
    ) -> list[ResolutionSuggestion]:
        """Phase two: add what the rolls say, keep those above the threshold, best first."""
        rolls = rolls or {}
        out: list[ResolutionSuggestion] = []
        for c in candidates[:SHORTLIST]:
            points, evidence = c.points, list(c.evidence)
            if c.vote is not None and c.vote_supported and a.positions:
                pos, notes = self._positions(c.vote, a, rolls)
                if pos:
                    points += pos * c.factor
                    evidence.append(
                        Evidence("positions", round(pos * c.factor, 2), "; ".join(notes))
                    )
            if points >= ACCEPT_POINTS:
                r = self.resolutions[c.index]
                out.append(
                    ResolutionSuggestion(
                        resolution_id=r.id,
                        symbol=r.symbol,
                        draft_symbol=r.draft_symbol,
                        title=r.title,
                        points=round(points, 2),
                        evidence=tuple(evidence),
                        vote_event_id=c.vote.event_id if c.vote and c.vote.event_id else None,
                    )
                )
        out.sort(key=lambda s: (-s.points, s.resolution_id))
        return out[:limit]


def _after(v: VoteFacts, published: PublishedDate) -> bool:
    if v.approximate:
        return (v.voted_on.year, v.voted_on.month) > (published.last.year, published.last.month)
    return (v.voted_on - published.last).days > PREVIEW_DAYS


def n_text(a: ArticleAnalysis, n: NumberMention) -> str:
    return a.text[n.start : n.end]


@dataclass(frozen=True)
class Suggestions:
    resolutions: list[ResolutionSuggestion]
    countries: list[CountryFinding]
    language: str | None


def suggest(
    index: ResolutionIndex,
    article: Article,
    rolls: Mapping[int, Mapping[str, str]] | None = None,
) -> Suggestions:
    """Both phases at once, for callers that already hold the rolls they need (tests)."""
    a = analyze(article, index.matcher)
    candidates = index.score(a)
    return Suggestions(index.finalize(a, candidates, rolls), a.countries, a.language)
