"""accounts, change history, archive, stated status word

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 17:30:00
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'users',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('username', sa.String(length=64), nullable=False),
        sa.Column('password_hash', sa.String(length=256), nullable=False),
        sa.Column('role', sa.String(length=16), nullable=False),
        sa.Column('active', sa.Boolean(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('session_token', sa.String(length=64), nullable=False),
        sa.CheckConstraint("role IN ('viewer', 'editor', 'admin')", name=op.f('ck_users_role')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
        sa.UniqueConstraint('username', name=op.f('uq_users_username')),
    )
    op.create_table(
        'change_sets',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=16), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=True),
        sa.Column('username', sa.String(length=64), nullable=True),
        sa.Column('at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('comment', sa.Text(), nullable=True),
        sa.Column('file_name', sa.String(length=256), nullable=True),
        sa.Column('reverts_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['reverts_id'], ['change_sets.id'],
                                name=op.f('fk_change_sets_reverts_id_change_sets')),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_change_sets_user_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_change_sets')),
    )
    op.create_index(op.f('ix_change_sets_at'), 'change_sets', ['at'], unique=False)
    op.create_table(
        'changes',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('change_set_id', sa.Integer(), nullable=False),
        sa.Column('project_id', sa.Integer(), nullable=False),
        sa.Column('field', sa.String(length=32), nullable=False),
        sa.Column('old', sa.JSON(), nullable=True),
        sa.Column('new', sa.JSON(), nullable=True),
        sa.Column('reverted_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['change_set_id'], ['change_sets.id'],
                                name=op.f('fk_changes_change_set_id_change_sets')),
        sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_changes_project_id_projects'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['reverted_by_id'], ['change_sets.id'],
                                name=op.f('fk_changes_reverted_by_id_change_sets')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_changes')),
    )
    op.create_index(op.f('ix_changes_change_set_id'), 'changes', ['change_set_id'], unique=False)
    op.create_index('ix_changes_project', 'changes', ['project_id', 'id'], unique=False)
    # Plain ADD COLUMN on both databases (no batch table rebuild, so no cascading deletes on SQLite).
    op.add_column('projects', sa.Column('status_text', sa.String(length=64), nullable=True))
    op.add_column('projects', sa.Column('archived_at', sa.DateTime(timezone=True), nullable=True))
    op.create_index(op.f('ix_projects_archived_at'), 'projects', ['archived_at'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_projects_archived_at'), table_name='projects')
    # Dropping a column with SQLite ≥ 3.35 needs no table rebuild, so child rows are untouched.
    op.drop_column('projects', 'archived_at')
    op.drop_column('projects', 'status_text')
    op.drop_index('ix_changes_project', table_name='changes')
    op.drop_index(op.f('ix_changes_change_set_id'), table_name='changes')
    op.drop_table('changes')
    op.drop_index(op.f('ix_change_sets_at'), table_name='change_sets')
    op.drop_table('change_sets')
    op.drop_table('users')
