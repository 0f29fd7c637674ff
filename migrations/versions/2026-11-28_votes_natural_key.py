"""votes keyed by (vote_event_id, country_id), no surrogate id

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-28 15:00:00

``votes`` loses its surrogate ``id``: the primary key becomes the natural key (vote event,
country), which replaces the unique constraint ``uq_votes_vote_event_id_country_id``. On SQLite
the table is recreated ``WITHOUT ROWID`` (batch mode), so the rows are stored in the primary
key's b-tree, clustered by vote event: one b-tree fewer to write on import (the table and
``ix_votes_country_event`` instead of the table, the unique index and that index), and a roll
is one contiguous range. Nothing references ``votes`` and no trigger touches it (the full-text
triggers of 0004 are on ``resolutions`` and ``news_items``), so recreating it is safe.

Downgrade gives the rows new ids (in key order on SQLite, in table order on PostgreSQL) and
restores the unique constraint.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KEY = ["vote_event_id", "country_id"]


def upgrade() -> None:
    if op.get_context().dialect.name == "sqlite":
        with op.batch_alter_table(
            "votes", recreate="always", table_kwargs={"sqlite_with_rowid": False}
        ) as batch_op:
            batch_op.drop_constraint("uq_votes_vote_event_id_country_id", type_="unique")
            batch_op.drop_constraint("pk_votes", type_="primary")
            batch_op.drop_column("id")
            batch_op.create_primary_key("pk_votes", KEY)
        return
    op.drop_constraint("pk_votes", "votes", type_="primary")
    op.drop_constraint("uq_votes_vote_event_id_country_id", "votes", type_="unique")
    op.drop_column("votes", "id")  # its sequence is owned by the column and goes with it
    op.create_primary_key("pk_votes", "votes", KEY)


def downgrade() -> None:
    if op.get_context().dialect.name == "sqlite":
        with op.batch_alter_table(
            "votes", recreate="always", table_kwargs={"sqlite_with_rowid": True}
        ) as batch_op:
            batch_op.drop_constraint("pk_votes", type_="primary")
            # INTEGER PRIMARY KEY of a rowid table: the copied rows are numbered as they come
            batch_op.add_column(
                sa.Column("id", sa.Integer(), nullable=False), insert_before="vote_event_id"
            )
            batch_op.create_primary_key("pk_votes", ["id"])
            batch_op.create_unique_constraint("uq_votes_vote_event_id_country_id", KEY)
        return
    op.drop_constraint("pk_votes", "votes", type_="primary")
    op.execute("ALTER TABLE votes ADD COLUMN id SERIAL NOT NULL")
    op.create_primary_key("pk_votes", "votes", ["id"])
    op.create_unique_constraint("uq_votes_vote_event_id_country_id", "votes", KEY)
