"""News: reading feeds (``feeds``) and matching articles to resolutions and countries.

Everything here except ``feeds`` (network) and ``terms`` (loads the country vocabulary) is pure:
text in, facts and scores out, no I/O.
"""
