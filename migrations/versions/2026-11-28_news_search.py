"""full-text search over resolutions and news

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28 14:00:00

One search index over resolution titles/descriptions (and symbols) and news titles/summaries,
kept in step by triggers, so every writer (the API, the importers, the seed, psql) updates it:

- SQLite: an FTS5 table ``fts_search`` (porter stemming, accents folded); a row's rowid is
  ``2 * id`` for a resolution and ``2 * id + 1`` for a news item.
- PostgreSQL: ``search_documents (kind, ref_id, document tsvector)`` with a GIN index; ``kind``
  is ``r`` (resolution) or ``n`` (news item); English stemming, weights A (title) and B (body).

Both are invisible to autogenerate (``fts_``/``search_`` prefixes, see migrations/env.py).
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# SQLite ---------------------------------------------------------------------------------------

_SQLITE_RES_TITLE = "coalesce({t}.symbol, '') || ' ' || coalesce({t}.draft_symbol, '') || ' ' || {t}.title"
_SQLITE_RES_BODY = "coalesce({t}.description, '')"
_SQLITE_NEWS_TITLE = "{t}.title"
_SQLITE_NEWS_BODY = "coalesce({t}.summary, '') || ' ' || coalesce({t}.outlet, '')"

SQLITE_UP = [
    "CREATE VIRTUAL TABLE fts_search USING fts5("
    "title, body, tokenize = 'porter unicode61 remove_diacritics 2')",
    # resolutions: rowid 2*id
    "CREATE TRIGGER search_resolutions_ai AFTER INSERT ON resolutions BEGIN "
    "INSERT INTO fts_search(rowid, title, body) VALUES (new.id * 2, "
    + _SQLITE_RES_TITLE.format(t="new") + ", " + _SQLITE_RES_BODY.format(t="new") + "); END",
    "CREATE TRIGGER search_resolutions_au AFTER UPDATE OF symbol, draft_symbol, title, description "
    "ON resolutions BEGIN DELETE FROM fts_search WHERE rowid = old.id * 2; "
    "INSERT INTO fts_search(rowid, title, body) VALUES (new.id * 2, "
    + _SQLITE_RES_TITLE.format(t="new") + ", " + _SQLITE_RES_BODY.format(t="new") + "); END",
    "CREATE TRIGGER search_resolutions_ad AFTER DELETE ON resolutions BEGIN "
    "DELETE FROM fts_search WHERE rowid = old.id * 2; END",
    # news items: rowid 2*id + 1
    "CREATE TRIGGER search_news_ai AFTER INSERT ON news_items BEGIN "
    "INSERT INTO fts_search(rowid, title, body) VALUES (new.id * 2 + 1, "
    + _SQLITE_NEWS_TITLE.format(t="new") + ", " + _SQLITE_NEWS_BODY.format(t="new") + "); END",
    "CREATE TRIGGER search_news_au AFTER UPDATE OF title, summary, outlet ON news_items BEGIN "
    "DELETE FROM fts_search WHERE rowid = old.id * 2 + 1; "
    "INSERT INTO fts_search(rowid, title, body) VALUES (new.id * 2 + 1, "
    + _SQLITE_NEWS_TITLE.format(t="new") + ", " + _SQLITE_NEWS_BODY.format(t="new") + "); END",
    "CREATE TRIGGER search_news_ad AFTER DELETE ON news_items BEGIN "
    "DELETE FROM fts_search WHERE rowid = old.id * 2 + 1; END",
    # what is already there
    "INSERT INTO fts_search(rowid, title, body) SELECT r.id * 2, "
    + _SQLITE_RES_TITLE.format(t="r") + ", " + _SQLITE_RES_BODY.format(t="r") + " FROM resolutions r",
    "INSERT INTO fts_search(rowid, title, body) SELECT n.id * 2 + 1, "
    + _SQLITE_NEWS_TITLE.format(t="n") + ", " + _SQLITE_NEWS_BODY.format(t="n") + " FROM news_items n",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS search_news_ad",
    "DROP TRIGGER IF EXISTS search_news_au",
    "DROP TRIGGER IF EXISTS search_news_ai",
    "DROP TRIGGER IF EXISTS search_resolutions_ad",
    "DROP TRIGGER IF EXISTS search_resolutions_au",
    "DROP TRIGGER IF EXISTS search_resolutions_ai",
    "DROP TABLE IF EXISTS fts_search",
]

# PostgreSQL -----------------------------------------------------------------------------------

# Symbols are indexed with their separators as spaces ("A RES 75 287"), so "75/287" finds them.
_PG_RES_DOC = (
    "setweight(to_tsvector('simple', translate(coalesce({t}.symbol, '') || ' ' || "
    "coalesce({t}.draft_symbol, ''), '/().-', '     ')), 'A') || "
    "setweight(to_tsvector('english', coalesce({t}.title, '')), 'A') || "
    "setweight(to_tsvector('english', coalesce({t}.description, '')), 'B')"
)
_PG_NEWS_DOC = (
    "setweight(to_tsvector('english', coalesce({t}.title, '')), 'A') || "
    "setweight(to_tsvector('english', coalesce({t}.summary, '') || ' ' || "
    "coalesce({t}.outlet, '')), 'B')"
)

PG_UP = [
    "CREATE TABLE search_documents ("
    " kind char(1) NOT NULL CHECK (kind IN ('r', 'n')),"
    " ref_id integer NOT NULL,"
    " document tsvector NOT NULL,"
    " PRIMARY KEY (kind, ref_id))",
    "CREATE INDEX search_documents_document_idx ON search_documents USING GIN (document)",
    "CREATE FUNCTION search_resolutions_sync() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    "IF TG_OP = 'DELETE' THEN DELETE FROM search_documents WHERE kind = 'r' AND ref_id = OLD.id; "
    "RETURN OLD; END IF; "
    "INSERT INTO search_documents (kind, ref_id, document) VALUES ('r', NEW.id, "
    + _PG_RES_DOC.format(t="NEW")
    + ") ON CONFLICT (kind, ref_id) DO UPDATE SET document = EXCLUDED.document; "
    "RETURN NEW; END $$",
    "CREATE TRIGGER search_resolutions_sync AFTER INSERT OR DELETE OR UPDATE OF symbol, "
    "draft_symbol, title, description ON resolutions "
    "FOR EACH ROW EXECUTE FUNCTION search_resolutions_sync()",
    "CREATE FUNCTION search_news_sync() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    "IF TG_OP = 'DELETE' THEN DELETE FROM search_documents WHERE kind = 'n' AND ref_id = OLD.id; "
    "RETURN OLD; END IF; "
    "INSERT INTO search_documents (kind, ref_id, document) VALUES ('n', NEW.id, "
    + _PG_NEWS_DOC.format(t="NEW")
    + ") ON CONFLICT (kind, ref_id) DO UPDATE SET document = EXCLUDED.document; "
    "RETURN NEW; END $$",
    "CREATE TRIGGER search_news_sync AFTER INSERT OR DELETE OR UPDATE OF title, summary, outlet "
    "ON news_items FOR EACH ROW EXECUTE FUNCTION search_news_sync()",
    "INSERT INTO search_documents (kind, ref_id, document) SELECT 'r', r.id, "
    + _PG_RES_DOC.format(t="r") + " FROM resolutions r",
    "INSERT INTO search_documents (kind, ref_id, document) SELECT 'n', n.id, "
    + _PG_NEWS_DOC.format(t="n") + " FROM news_items n",
]
PG_DOWN = [
    "DROP TRIGGER IF EXISTS search_news_sync ON news_items",
    "DROP TRIGGER IF EXISTS search_resolutions_sync ON resolutions",
    "DROP FUNCTION IF EXISTS search_news_sync()",
    "DROP FUNCTION IF EXISTS search_resolutions_sync()",
    "DROP TABLE IF EXISTS search_documents",
]


def _run(statements: list[str]) -> None:
    for statement in statements:
        op.execute(statement)


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        _run(SQLITE_UP)
    elif dialect == "postgresql":
        _run(PG_UP)
    else:
        raise NotImplementedError(f"full-text search is not implemented for {dialect}")


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        _run(SQLITE_DOWN)
    elif dialect == "postgresql":
        _run(PG_DOWN)
