"""What a 1946-2019 (Voeten / ``unvotes``) roll call's identifier tells us. Pure functions.

The rules (docs/importing.md explains them with real rows):

* An official symbol given by the source (``resolution_symbol``, or ``unres`` starting with
  ``A/RES/``) is used as it is, in canonical form.
* ``R/<session>/<n>`` for regular sessions 31 and later is resolution ``A/RES/<session>/<n>``
  when ``<session>`` is the roll call's own session. A letter suffix is a part
  (``R/40/123A`` and ``R/42/70/A`` -> ``A/RES/40/123 A``, ``A/RES/42/70 A``). A Roman numeral
  after a slash (``R/50/38B/IV``) is a section voted on separately: a vote event of the
  resolution (``A/RES/50/38 B``). Anything else (two letters, a session that is not the roll
  call's) gives no symbol.
* Sessions 1-30 get no symbol: there ``A/RES/<n>(<Roman session>)`` numbers resolutions, but
  the letters of Voeten's identifiers often tell several roll calls on one resolution apart,
  so a symbol cannot be justified. The identifier stays on the vote event's source (searchable).
* The session of a vote event: the symbol's; ``ESS/<n>/...`` -> emergency special session
  ``ES-<n>``; ``SS/<n>/...`` -> special session ``S-<n>``; otherwise the roll call's regular
  session (the source gives special sessions the regular number of their year).
* Kind: ``is_amendment`` 1 -> amendment; ``is_paragraph_vote`` 1 -> paragraph; both 0 ->
  whole; otherwise (not coded) unknown.
"""

from __future__ import annotations

import re

from app.domain.symbols import canonical_symbol, parse_symbol

FIRST_NEW_STYLE_SESSION = 31

_R = re.compile(r"^R/(?P<sess>\d{1,3})/(?P<num>\d{1,4})(?P<part>[A-Z])?(?:/(?P<tail>[A-Z]+))?$")
_ROMAN_SECTION = re.compile(r"^(?=[IVX])X{0,3}(?:IX|IV|V?I{0,3})$")  # I to XXXIX
_SPECIAL = re.compile(r"^(?P<kind>ESS|SS)/(?P<num>\d{1,2})(?:/|$)")


def derive_symbol(unres: str, resolution_symbol: str, session: int) -> str | None:
    """The resolution symbol a roll call's identifiers justify, or ``None``."""
    for given in (resolution_symbol.strip(), unres.strip()):
        if given.upper().startswith("A/RES/"):
            found = canonical_symbol(given)
            if found:
                return found
    m = _R.match(unres.strip().upper())
    if m is None:
        return None
    sess = int(m["sess"])
    if sess < FIRST_NEW_STYLE_SESSION or sess != session:
        return None
    part, tail = m["part"], m["tail"]
    if tail is not None and not _ROMAN_SECTION.match(tail):
        if part is not None or len(tail) != 1:
            return None
        part = tail  # "R/42/70/A": a part written after a slash
    return f"A/RES/{sess}/{int(m['num'])}" + (f" {part}" if part else "")


def session_of(symbol: str | None, unres: str, session: int) -> str:
    """The code of the General Assembly session a roll call belongs to (``26``, ``ES-5``)."""
    parsed = parse_symbol(symbol) if symbol else None
    if parsed is not None:
        return parsed.session
    m = _SPECIAL.match(unres.strip().upper())
    if m:
        prefix = "ES-" if m["kind"] == "ESS" else "S-"
        return f"{prefix}{int(m['num'])}"
    return str(session)


def kind_of(is_amendment: str, is_paragraph_vote: str) -> str:
    if is_amendment == "1":
        return "amendment"
    if is_paragraph_vote == "1":
        return "paragraph"
    if is_amendment == "0" and is_paragraph_vote == "0":
        return "whole"
    return "unknown"
