"""Normalising names and codes for lookup."""

from __future__ import annotations

import re
import unicodedata

_NON_ALNUM = re.compile(r"[^0-9a-z]+")


def name_key(text: str) -> str:
    """Casefold, strip accents and punctuation, collapse spaces: "Türkiye" -> "turkiye",
    "Côte d'Ivoire" -> "cote d ivoire", "the Russian Federation" -> "the russian federation"."""
    decomposed = unicodedata.normalize("NFKD", text)
    ascii_only = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _NON_ALNUM.sub(" ", ascii_only.casefold()).strip()
