"""data stamp log: the projects each stamp bump touched, for incremental index refresh (issue 16)

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01 20:30:00

A new table only: no existing row changes. An empty log is always safe (readers then rebuild in full).
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0010'
down_revision: str | None = '0009'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'data_stamp_log',
        sa.Column('counter', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=False,
                  nullable=False),
        sa.Column('projects', sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint('counter', name=op.f('pk_data_stamp_log')),
    )


def downgrade() -> None:
    op.drop_table('data_stamp_log')
