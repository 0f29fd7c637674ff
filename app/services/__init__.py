"""Writes that span tables. Functions take a session and only flush; the caller commits."""
