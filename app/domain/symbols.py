"""United Nations document symbols: one canonical form for every common spelling.

Canonical forms:
- regular sessions from the 31st: ``A/RES/75/287``, a part ``A/RES/40/123 A``;
- special and emergency special sessions: ``A/RES/S-13/2``, ``A/RES/ES-11/1``;
- sessions 1-30: ``A/RES/2758(XXVI)``, a part ``A/RES/1514(XV) A``;
- drafts: ``A/75/L.85/Rev.1``, ``A/ES-11/L.1``.

Accepted spellings include raw or URL-decoded slashes, dashes for slashes (``A-RES-75-287``),
the bare ``75/287``, a space before the Roman session (``A/RES/2758 (XXVI)``) and any case.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}

_RES_NEW = re.compile(
    r"^(?:A/RES/)?(?P<sess>\d{1,3}|ES-\d{1,2}|S-\d{1,2})/(?P<num>\d{1,4})"
    r"(?:\s*\(?(?P<part>[A-Z])\)?)?$"
)
_RES_OLD = re.compile(
    r"^(?:A/RES/)?(?P<num>\d{1,4})\s*\((?P<sess>(?:ES-|S-)?[IVXLC]+)\)(?:\s*(?P<part>[A-Z]))?$"
)
_DRAFT = re.compile(
    r"^A/(?P<sess>\d{1,3}|ES-\d{1,2}|S-\d{1,2})/L\.(?P<num>\d{1,4})"
    r"(?P<rest>(?:/(?:REV|ADD|CORR)\.\d{1,2})*)$"
)
_PREFIX = re.compile(r"^(?:GA\s+)?(?:RESOLUTION|RES\.?)\s+")


def roman_to_int(roman: str) -> int:
    total = 0
    prev = 0
    for ch in reversed(roman):
        value = _ROMAN[ch]
        total = total - value if value < prev else total + value
        prev = max(prev, value)
    return total


def int_to_roman(number: int) -> str:
    pairs = [(100, "C"), (90, "XC"), (50, "L"), (40, "XL"), (10, "X"), (9, "IX")]
    pairs += [(5, "V"), (4, "IV"), (1, "I")]
    out = []
    for value, letters in pairs:
        while number >= value:
            out.append(letters)
            number -= value
    return "".join(out)


@dataclass(frozen=True)
class Symbol:
    kind: Literal["resolution", "draft"]
    canonical: str
    session: str  # "75", "ES-11", "S-13" (a regular session number for old symbols: "26")
    number: int
    part: str | None = None

    @property
    def base(self) -> str:
        """The symbol without its part letter."""
        return self.canonical.split(" ")[0]


def _prepare(text: str) -> str:
    s = re.sub(r"\s+", " ", text.strip().upper())
    s = _PREFIX.sub("", s)
    if "/" not in s and "-" in s:
        s = s.replace("-", "/")
        s = re.sub(r"(^|/)(ES|S)/(\d)", r"\1\2-\3", s)
    return s.replace(" /", "/").replace("/ ", "/")


def parse_symbol(text: str) -> Symbol | None:
    """Parse a resolution or draft symbol in any common spelling; ``None`` if it is neither."""
    s = _prepare(text)
    if m := _RES_NEW.match(s):
        sess = m["sess"]
        if sess.isdigit():
            sess = str(int(sess))
            if int(sess) < 31 or int(sess) == 0:
                return None
        part = m["part"]
        canonical = f"A/RES/{sess}/{int(m['num'])}" + (f" {part}" if part else "")
        return Symbol("resolution", canonical, sess, int(m["num"]), part)
    if m := _RES_OLD.match(s):
        sess_roman = m["sess"]
        prefix, _, roman = sess_roman.rpartition("-")
        if not roman or any(c not in _ROMAN for c in roman):
            return None
        n = roman_to_int(roman)
        if int_to_roman(n) != roman or n == 0:
            return None
        sess = f"{prefix}-{n}" if prefix else str(n)
        part = m["part"]
        canonical = f"A/RES/{int(m['num'])}({sess_roman})" + (f" {part}" if part else "")
        return Symbol("resolution", canonical, sess, int(m["num"]), part)
    if m := _DRAFT.match(s):
        sess = m["sess"] if not m["sess"].isdigit() else str(int(m["sess"]))
        rest = re.sub(
            r"/(REV|ADD|CORR)\.(\d+)",
            lambda r: f"/{r[1].capitalize()}.{int(r[2])}",
            m["rest"],
        )
        canonical = f"A/{sess}/L.{int(m['num'])}{rest}"
        return Symbol("draft", canonical, sess, int(m["num"]))
    return None


def canonical_symbol(text: str) -> str | None:
    parsed = parse_symbol(text)
    return parsed.canonical if parsed else None


def session_code(session_type: str, number: int) -> str:
    """``75``, ``S-13``, ``ES-11`` for the regular, special and emergency special sessions."""
    prefix = {"regular": "", "special": "S-", "emergency_special": "ES-"}[session_type]
    return f"{prefix}{number}"


def parse_session_code(code: str) -> tuple[str, int] | None:
    """The inverse of :func:`session_code`; ``None`` for anything else."""
    s = code.strip().upper()
    if m := re.fullmatch(r"(ES|S)-(\d{1,3})", s):
        kind = "emergency_special" if m[1] == "ES" else "special"
        return kind, int(m[2])
    if s.isdigit() and 0 < int(s) < 1000:
        return "regular", int(s)
    return None
