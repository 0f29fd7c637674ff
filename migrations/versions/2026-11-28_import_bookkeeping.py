"""import bookkeeping: import_runs and imported_records

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28 13:05:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0002'
down_revision: str | Sequence[str] | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('import_runs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('source_id', sa.Integer(), nullable=False),
    sa.Column('file_name', sa.String(length=300), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('records_read', sa.Integer(), nullable=False),
    sa.Column('rows_read', sa.Integer(), nullable=False),
    sa.Column('events_added', sa.Integer(), nullable=False),
    sa.Column('events_updated', sa.Integer(), nullable=False),
    sa.Column('events_unchanged', sa.Integer(), nullable=False),
    sa.Column('events_merged', sa.Integer(), nullable=False),
    sa.Column('inferred_added', sa.Integer(), nullable=False),
    sa.Column('totals_disagreeing', sa.Integer(), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("kind IN ('unvotes', 'undl')", name=op.f('ck_import_runs_kind')),
    sa.ForeignKeyConstraint(['source_id'], ['sources.id'], name=op.f('fk_import_runs_source_id_sources')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_import_runs'))
    )
    with op.batch_alter_table('import_runs', schema=None) as batch_op:
        batch_op.create_index('ix_import_runs_file', ['kind', 'source_id', 'file_name'], unique=False)

    op.create_table('imported_records',
    sa.Column('vote_event_source_id', sa.Integer(), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('import_run_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['import_run_id'], ['import_runs.id'], name=op.f('fk_imported_records_import_run_id_import_runs'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['vote_event_source_id'], ['vote_event_sources.id'], name=op.f('fk_imported_records_vote_event_source_id_vote_event_sources'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('vote_event_source_id', name=op.f('pk_imported_records'))
    )
    with op.batch_alter_table('imported_records', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_imported_records_import_run_id'), ['import_run_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('imported_records', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_imported_records_import_run_id'))

    op.drop_table('imported_records')
    with op.batch_alter_table('import_runs', schema=None) as batch_op:
        batch_op.drop_index('ix_import_runs_file')

    op.drop_table('import_runs')
