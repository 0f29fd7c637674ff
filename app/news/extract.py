"""Facts a news text states about a General Assembly vote (pure).

- document symbols, in any common form: ``A/RES/75/287``, "resolution 75/287", "résolution
  ES-10/19", "Resolution 2758 (XXVI)" or "Resolution 2758" for the old numbering, the draft
  ``A/75/L.85/Rev.1``;
- numbers with the part of a tally they state: "119 in favour", "36 abstentions", "adopted
  128-9", "138 to 9", "thirty-five abstained";
- dates ("18 June 2021", "Nov. 29, 2012", "June 2021", "2021-06-18") and years;
- session ordinals ("the 73rd session");
- whether the text speaks of the General Assembly at all, in several languages;
- positions of named countries ("only Belarus voted against", "China and Russia abstained").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal

from app.domain.symbols import Symbol, parse_symbol
from app.news.countries import CountryMention
from app.news.text import fold

Role = Literal["yes", "no", "abstain", "non_voting"]
SymbolForm = Literal["full", "cited", "old_number", "draft", "bare"]


# --- symbols -------------------------------------------------------------------------------

_SESS = r"(?:(?:ES|S)\s?-\s?\d{1,2}|\d{1,3})"
_RES_NEW = re.compile(
    rf"\bA\s?/\s?RES\s?/\s?(?P<sess>{_SESS})\s?/\s?(?P<num>\d{{1,4}})"
    r"(?:\s?\(?(?P<part>[A-H])\)?(?![\w/]))?",
    re.I,
)
_RES_OLD = re.compile(
    r"\bA\s?/\s?RES\s?/\s?(?P<num>\d{1,4})\s?\(\s?(?P<sess>(?:ES-|S-)?[IVXLC]{1,7})\s?\)"
    r"(?:\s?(?P<part>[A-H])(?![\w/]))?",
    re.I,
)
_DRAFT = re.compile(
    rf"\bA\s?/\s?(?P<sess>{_SESS})\s?/\s?L\.\s?(?P<num>\d{{1,4}})"
    r"(?P<rest>(?:\s?/\s?(?:Rev|Add|Corr)\.\s?\d{1,2})*)",
    re.I,
)
# "resolution 75/287", "résolution ES-10/19", "Resolution 2758 (XXVI)", "resolutions 67/19 and
# 67/20", "resolution No. 2758". Cue words in the UN's working languages and a few more.
_CUE = (
    r"(?:resolutions?|res\.|r[ée]solutions?|resoluci[óo]n(?:es)?|resolu[çc][ãa]o|resolu[çc][õo]es"
    r"|risoluzion[ei]|resolutie|rezolucj[ai]|резолюци[яиюей]\w*|قرار\w*|决议|決議)"
)
_CITED_ITEM = (
    r"(?:(?P<s_sess>(?:ES|S)\s?-\s?\d{1,2}|\d{1,3})\s?/\s?(?P<s_num>\d{1,4})(?!\d|\s?/)"
    r"|(?P<o_num>\d{1,4})\s?\(\s?(?P<o_sess>(?:ES-|S-)?[IVXLC]{1,7})\s?\)"
    r"|(?P<n_num>\d{3,4})(?![\d/]|[.,]\d))"
)
_CITED_PLAIN = re.sub(r"\?P<\w+>", "", _CITED_ITEM)
_CITED = re.compile(
    rf"{_CUE}\s+(?:(?:n[°ºo]\.?|no\.|number|num\.|№)\s*)?(?P<items>{_CITED_PLAIN}"
    rf"(?:\s*(?:,|and|et|y|e|und|и)\s*{_CITED_PLAIN})*)",
    re.I,
)
_CITED_ONE = re.compile(_CITED_ITEM, re.I)
_BARE = re.compile(r"(?<![\w/.\-])(?P<sess>[3-9]\d)/(?P<num>\d{1,3})(?![\w/]|\.\d)")


@dataclass(frozen=True, slots=True)
class SymbolMention:
    form: SymbolForm
    start: int
    end: int
    text: str
    symbol: Symbol | None = None  # parsed (not for "old_number")
    number: int | None = None  # "resolution 2758": the number of an old-style resolution


def _mention(form: SymbolForm, m: re.Match[str], raw: str) -> SymbolMention | None:
    parsed = parse_symbol(raw)
    if parsed is None:
        return None
    return SymbolMention(form, m.start(), m.end(), m.group(), parsed)


def find_symbols(text: str) -> list[SymbolMention]:
    out: list[SymbolMention] = []
    taken: list[tuple[int, int]] = []

    def free(a: int, b: int) -> bool:
        return all(b <= s or a >= e for s, e in taken)

    for m in _RES_OLD.finditer(text):
        raw = f"A/RES/{m['num']}({m['sess'].upper()})" + (f" {m['part']}" if m["part"] else "")
        if mention := _mention("full", m, raw):
            out.append(mention)
            taken.append((m.start(), m.end()))
    for m in _RES_NEW.finditer(text):
        if not free(m.start(), m.end()):
            continue
        sess = re.sub(r"\s", "", m["sess"]).upper()
        raw = f"A/RES/{sess}/{m['num']}" + (f" {m['part'].upper()}" if m["part"] else "")
        if mention := _mention("full", m, raw):
            out.append(mention)
            taken.append((m.start(), m.end()))
    for m in _DRAFT.finditer(text):
        sess = re.sub(r"\s", "", m["sess"]).upper()
        rest = re.sub(r"\s", "", m["rest"] or "")
        if mention := _mention("draft", m, f"A/{sess}/L.{m['num']}{rest}"):
            out.append(mention)
            taken.append((m.start(), m.end()))
    for m in _CITED.finditer(text):
        base = m.start("items")
        for item in _CITED_ONE.finditer(m["items"]):
            a, b = base + item.start(), base + item.end()
            if not free(a, b):
                continue
            if item["s_num"]:
                sess = re.sub(r"\s", "", item["s_sess"]).upper()
                raw = f"{sess}/{item['s_num']}"
                parsed = parse_symbol(raw)
                if parsed is not None:
                    out.append(SymbolMention("cited", a, b, text[a:b], parsed))
            elif item["o_num"]:
                parsed = parse_symbol(f"{item['o_num']}({item['o_sess'].upper()})")
                if parsed is not None:
                    out.append(SymbolMention("cited", a, b, text[a:b], parsed))
            elif item["n_num"]:
                out.append(SymbolMention("old_number", a, b, text[a:b], number=int(item["n_num"])))
            taken.append((a, b))
    for m in _BARE.finditer(text):
        if free(m.start(), m.end()) and (parsed := parse_symbol(m.group())) is not None:
            out.append(SymbolMention("bare", m.start(), m.end(), m.group(), parsed))
    out.sort(key=lambda s: s.start)
    return out


# --- numbers and tallies -------------------------------------------------------------------

_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19,
}  # fmt: skip
_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}  # fmt: skip
_WORD_RE = re.compile(r"\d+|[^\W\d_]+(?:['’][^\W\d_]+)*|[.;:!?]")
_DIGITS = re.compile(r"\d{1,3}")
_DASH_TALLY = re.compile(
    r"(?<![\w/.,\-–—])(?P<y>\d{1,3})\s?[-–—]\s?(?P<n>\d{1,3})(?:\s?[-–—]\s?(?P<a>\d{1,3}))?"
    r"(?![\w/\-–—]|[.,]\d)"
)
_TO_TALLY = re.compile(
    r"(?<![\w/.,])(?P<y>\d{1,3})\s+(?:to|votes? to|contre|a|zu|против)\s+(?P<n>\d{1,3})"
    r"(?![\w/]|[.,]\d)",
    re.I,
)

# Cue words (folded) for the part of a tally a number states: whole words, and word starts.
_ROLE_WORDS: dict[Role, frozenset[str]] = {
    "yes": frozenset({"yes", "yea", "yeas", "pour", "за", "favorables", "dafur", "si", "ja"}),
    "no": frozenset(
        {"against", "nay", "nays", "noes", "contre", "contra", "dagegen", "nein", "против"}
    ),
    "abstain": frozenset(),
    "non_voting": frozenset({"absent", "absences"}),
}  # fmt: skip
_ROLE_PREFIXES: dict[Role, tuple[str, ...]] = {
    "yes": ("favour", "favor", "support", "backed", "backing", "approv", "endors"),
    "no": ("oppos", "reject", "gegenstimm", "contrar"),
    "abstain": ("abst", "enthalt", "воздерж", "asten"),
    "non_voting": (),
}  # fmt: skip
_CJK_CUES: tuple[tuple[str, Role], ...] = (
    ("赞成", "yes"), ("贊成", "yes"), ("賛成", "yes"), ("反对", "no"), ("反對", "no"),
    ("反対", "no"), ("弃权", "abstain"), ("棄權", "abstain"), ("棄権", "abstain"),
)  # fmt: skip
_VOTE_WORDS = frozenset({"vote", "votes", "voted", "voting", "cast", "casting"})
_WINDOW_AFTER = 8
_WINDOW_BEFORE = 4


@dataclass(frozen=True, slots=True)
class NumberMention:
    value: int
    start: int
    end: int
    role: Role | None  # None: a number with no tally cue near it


def _cue_role(words: Sequence[str], i: int) -> Role | None:
    w = words[i]
    prev = words[i - 1] if i > 0 else ""
    nxt = words[i + 1] if i + 1 < len(words) else ""
    if w in {"no", "not", "didnt"} and nxt in {"vote", "votes", "voting", "participate"}:
        if w == "no" and prev not in {"cast", "casting", "did", "took"}:
            return "no"  # "9 no votes"
        return "non_voting"  # "cast no vote", "did not vote"
    if w == "no":
        return "no" if prev in _VOTE_WORDS else None  # "voted no"
    if w == "for":
        return "yes" if prev in _VOTE_WORDS else None  # "184 votes for", "voted for"
    if w == "away" and prev == "stayed":
        return "non_voting"
    for cue, cue_role in _CJK_CUES:
        if cue in w:
            return cue_role
    for role, exact in _ROLE_WORDS.items():
        if w in exact:
            return role
    for role, prefixes in _ROLE_PREFIXES.items():
        if prefixes and w.startswith(prefixes):
            return role
    return None


def _word_value(words: Sequence[str], i: int) -> tuple[int, int] | None:
    """The value of a number written in English words at i, and how many words it takes."""
    w = words[i]
    if w in _TENS:
        if i + 1 < len(words) and words[i + 1] in _UNITS and 0 < _UNITS[words[i + 1]] < 10:
            return _TENS[w] + _UNITS[words[i + 1]], 2
        return _TENS[w], 1
    if w in _UNITS:
        return _UNITS[w], 1
    return None


def find_numbers(text: str) -> list[NumberMention]:
    """Every number up to 999 that could be part of a tally, with its role where a cue says."""
    spans = [(m.start(), m.end(), fold(m.group())) for m in _WORD_RE.finditer(text)]
    words = [s[2] for s in spans]
    numbers: list[tuple[int, int, int, int, int]] = []  # (value, start, end, word i, word j)
    i = 0
    while i < len(words):
        w = words[i]
        start, end = spans[i][0], spans[i][1]
        if w.isdigit() and _DIGITS.fullmatch(w):
            before = text[start - 1] if start else " "
            after = text[end] if end < len(text) else " "
            after2 = text[end : end + 2]
            if (
                before not in "/$€£#.,-–—"
                and after not in "/%"
                and not re.match(r"[.,]\d", after2)
                and not re.match(r"-[^\W\d_]", after2)  # "193-member", "five-point"
                and not re.match(r"\s?(?:st|nd|rd|th)\b", text[end : end + 4])
            ):
                numbers.append((int(w), start, end, i, i + 1))
            i += 1
            continue
        spelled = _word_value(words, i)
        if spelled is not None:
            j = i + spelled[1]
            if not re.match(r"-[^\W\d_]", text[spans[j - 1][1] : spans[j - 1][1] + 2]):
                numbers.append((spelled[0], start, spans[j - 1][1], i, j))
            i = j
            continue
        i += 1
    number_at = {n[3] for n in numbers}
    out: list[NumberMention] = []
    for value, start, end, wi, wj in numbers:
        role: Role | None = None
        # nearest cue after the number, not past a sentence end or the next number
        for k in range(wj, min(len(words), wj + _WINDOW_AFTER)):
            if words[k] in {".", ";", "!", "?"} or k in number_at:
                break
            if (found := _cue_role(words, k)) is not None:
                role = found
                break
        if role is None:
            for k in range(wi - 1, max(-1, wi - 1 - _WINDOW_BEFORE), -1):
                if words[k] in {".", ";", "!", "?"} or k in number_at:
                    break
                if (found := _cue_role(words, k)) is not None:
                    role = found
                    break
        out.append(NumberMention(value, start, end, role))
    for pattern in (_DASH_TALLY, _TO_TALLY):
        for m in pattern.finditer(text):
            parts: list[tuple[str, Role]] = [("y", "yes"), ("n", "no"), ("a", "abstain")]
            for group, part_role in parts:
                if m.groupdict().get(group):
                    out.append(
                        NumberMention(int(m[group]), m.start(group), m.end(group), part_role)
                    )
    return out


# --- dates ---------------------------------------------------------------------------------

_MONTHS: dict[str, int] = {}
for _n, _names in enumerate(
    [
        "january jan janvier enero januar janeiro gennaio январь января",
        "february feb fevrier febrero februar fevereiro febbraio февраль февраля",
        "march mar mars marzo marz marco март марта",
        "april apr avril abril aprile апрель апреля",
        "may mai mayo maio maggio май мая",
        "june jun juin junio juni junho giugno июнь июня",
        "july jul juillet julio juli julho luglio июль июля",
        "august aug aout agosto августа август",
        "september sep sept septembre septiembre setiembre setembro settembre сентябрь сентября",
        "october oct octobre octubre oktober outubro ottobre октябрь октября",
        "november nov novembre noviembre novembro ноябрь ноября",
        "december dec decembre diciembre dezember dezembro dicembre декабрь декабря",
    ],
    start=1,
):
    for _name in _names.split():
        _MONTHS[_name] = _n
_MONTH = r"(?P<{g}>[^\W\d_]{{3,10}})\.?"
_DAY = r"(?P<{g}>[0-3]?\d)(?:st|nd|rd|th|er|º|°)?"
_YEAR = r"(?P<{g}>1[89]\d\d|20\d\d)"
_DATE_PATTERNS = [
    re.compile(r"(?<!\d)(?P<y>1[89]\d\d|20\d\d)-(?P<m>[01]\d)-(?P<d>[0-3]\d)(?!\d)"),
    re.compile(
        _DAY.format(g="d") + r"\s+(?:de\s+|of\s+)?" + _MONTH.format(g="m")
        + r"(?:\s+(?:de\s+)?,?\s*" + _YEAR.format(g="y") + r")?",
        re.I,
    ),
    re.compile(
        _MONTH.format(g="m") + r"\s+" + _DAY.format(g="d")
        + r"(?!\d)(?:,?\s+" + _YEAR.format(g="y") + r")?",
        re.I,
    ),
    re.compile(_MONTH.format(g="m") + r"\s+(?:de\s+|of\s+)?" + _YEAR.format(g="y"), re.I),
]  # fmt: skip
_YEAR_ALONE = re.compile(r"(?<![\d/\-])(?P<y>19[4-9]\d|20[0-4]\d)(?![\d/\-])")


@dataclass(frozen=True, slots=True)
class DateMention:
    year: int | None  # None: the text gives day and month only
    month: int
    day: int | None
    start: int
    end: int

    def resolve(self, published: date | None) -> tuple[int, int, int | None] | None:
        """(year, month, day), taking a missing year from the publication date (the last
        such date on or before publication)."""
        if self.year is not None:
            return self.year, self.month, self.day
        if published is None:
            return None
        year = published.year
        if (self.month, self.day or 1) > (published.month, published.day):
            year -= 1
        return year, self.month, self.day


def find_dates(text: str) -> tuple[list[DateMention], list[int]]:
    """Dates (day precision or month precision) and the years named on their own."""
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []
    for pattern in _DATE_PATTERNS:
        for m in pattern.finditer(text):
            if any(not (m.end() <= s or m.start() >= e) for s, e in taken):
                continue
            groups = m.groupdict()
            month_raw = groups.get("m") or ""
            month = int(month_raw) if month_raw.isdigit() else _MONTHS.get(fold(month_raw))
            if not month or not 1 <= month <= 12:
                continue
            day = int(groups["d"]) if groups.get("d") else None
            if day is not None and not 1 <= day <= 31:
                continue
            year = int(groups["y"]) if groups.get("y") else None
            if day is None and year is None:
                continue
            if month_raw in {"may", "mar", "march"}:  # the verb "may", the word "march"
                continue
            found.append(DateMention(year, month, day, m.start(), m.end()))
            taken.append((m.start(), m.end()))
    years = [
        int(m["y"])
        for m in _YEAR_ALONE.finditer(text)
        if all(m.end() <= s or m.start() >= e for s, e in taken)
    ]
    return found, years


# --- sessions ------------------------------------------------------------------------------

_SESSION = re.compile(
    r"\b(?P<n>\d{1,2})\s?(?:st|nd|rd|th|e|ème|ª|º|-?я|-?й)?\s+(?:regular\s+|ordinary\s+)?"
    r"(?:session|sesi[óo]n|sess[ãa]o|sessione|Tagung|сесси\w*)",
    re.I,
)
_ES_SESSION = re.compile(r"\b(?:ES|S)-\d{1,2}\b")


def find_sessions(text: str) -> set[str]:
    """Session codes named in the text: "the 73rd session" -> "73"."""
    out = {str(int(m["n"])) for m in _SESSION.finditer(text) if int(m["n"]) > 0}
    out |= {m.group().upper() for m in _ES_SESSION.finditer(text)}
    return out


# --- the General Assembly ------------------------------------------------------------------

_ASSEMBLY = re.compile(
    r"general\s+assembly|\bunga\b|\bu\.n\.g\.a\.|assembl[ée]e\s+g[ée]n[ée]rale"
    r"|asamblea\s+general|assembleia\s+geral|assemblea\s+generale|generalversammlung"
    r"|vollversammlung|algemene\s+vergadering|zgromadzeni\w*\s+og[óo]ln\w*|genel\s+kurul"
    r"|генеральн\w*\s+ассамбле\w*|الجمعية\s+العامة|联合国大会|聯合國大會|联大|国連総会|유엔\s?총회",
    re.I,
)


def mentions_assembly(text: str) -> bool:
    return _ASSEMBLY.search(text) is not None


_COMMITTEE = re.compile(
    r"\b(?:first|second|third|fourth|fifth|sixth|1st|2nd|3rd|4th|5th|6th)\s+committee\b"
    r"|special political and decolonization|(?:premi[èe]re|deuxi[èe]me|troisi[èe]me|quatri[èe]me"
    r"|cinqui[èe]me|sixi[èe]me)\s+commission|(?:primera|segunda|tercera|cuarta|quinta|sexta)"
    r"\s+comisi[óo]n|(?:erste[nr]?|zweite[nr]?|dritte[nr]?|vierte[nr]?|fünfte[nr]?|sechste[nr]?)"
    r"\s+ausschuss|(?:перв|втор|трет|четверт|пят|шест)\w*\s+комитет",
    re.I,
)


def mentions_committee(text: str) -> bool:
    """Whether the text names one of the Assembly's Main Committees."""
    return _COMMITTEE.search(text) is not None


# --- positions of named countries ----------------------------------------------------------

_POSITION_CUES: list[tuple[re.Pattern[str], Role]] = [
    (
        re.compile(r"\babstain\w*|\babstention\w*|\babsten\w*|\benthalt\w*|воздерж\w*", re.I),
        "abstain",
    ),
    (
        re.compile(
            r"\bvot\w+\s+(?:against|no\b|[“\"‘']no)|\bagainst\b|\boppos\w*|\bcontre\b"
            r"|\ben contra\b|против",
            re.I,
        ),
        "no",
    ),
    (
        re.compile(
            r"\bvot\w+\s+(?:for\b|yes\b|in favou?r|[“\"‘']yes)|\bin favou?r\b|\bbacked\b"
            r"|\bsupported\b|\bpour\b|\ba favor\b|\bdafür\b|\bза\b",
            re.I,
        ),
        "yes",
    ),
]
_CLAUSE_BREAK = re.compile(
    r"[.;!?]\s|\b(?:while|whereas|but|however|although|mientras|tandis)\b", re.I
)
_POSITION_REACH = 160  # characters


@dataclass(frozen=True, slots=True)
class PositionMention:
    code: str
    role: Role
    start: int
    end: int


def find_positions(text: str, countries: Sequence[CountryMention]) -> list[PositionMention]:
    """Named countries with the position the text gives them: the first position cue after
    the name in the same clause ("Belarus voted against", "China, Russia and 34 others
    abstained"), else the last one before it ("those voting in favour included Ukraine")."""
    out: list[PositionMention] = []
    for c in countries:
        if not c.direct:
            continue
        after = text[c.end : c.end + _POSITION_REACH]
        if brk := _CLAUSE_BREAK.search(after):
            after = after[: brk.start()]
        before = text[max(0, c.start - _POSITION_REACH) : c.start]
        if brk_before := list(_CLAUSE_BREAK.finditer(before)):
            before = before[brk_before[-1].end() :]
        best: tuple[int, Role] | None = None
        for pattern, role in _POSITION_CUES:
            if (m := pattern.search(after)) and (best is None or m.start() < best[0]):
                best = (m.start(), role)
        if best is None:
            last: tuple[int, Role] | None = None
            for pattern, role in _POSITION_CUES:
                for m in pattern.finditer(before):
                    if last is None or m.start() > last[0]:
                        last = (m.start(), role)
            best = last
        if best is not None:
            out.append(PositionMention(c.code, best[1], c.start, c.end))
    return out
