"""data stamp epoch: seed the stamp row with a random epoch

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 17:10:00

Every upgrade through this revision draws a new epoch, so a downgrade that drops or resets the counter can
never bring back an (epoch, counter) pair a running process has cached. The row is seeded here so writers
only ever UPDATE it (two first writers never race to INSERT it).
"""
from __future__ import annotations

import secrets
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

STAMP_ID = 1


def upgrade() -> None:
    with op.batch_alter_table('data_stamp', schema=None) as batch_op:
        batch_op.add_column(sa.Column('epoch', sa.String(length=32), nullable=True))
    stamp = sa.table('data_stamp', sa.column('id', sa.Integer), sa.column('value', sa.BigInteger),
                     sa.column('epoch', sa.String))
    epoch = secrets.token_hex(16)
    bind = op.get_bind()
    # Keep an existing counter (it only ever grows within an epoch); seed the row where there is none.
    if bind.execute(sa.select(stamp.c.id).where(stamp.c.id == STAMP_ID)).first() is None:
        op.execute(stamp.insert().values(id=STAMP_ID, value=0, epoch=epoch))
    op.execute(stamp.update().values(epoch=epoch))
    with op.batch_alter_table('data_stamp', schema=None) as batch_op:
        batch_op.alter_column('epoch', existing_type=sa.String(length=32), nullable=False)


def downgrade() -> None:
    with op.batch_alter_table('data_stamp', schema=None) as batch_op:
        batch_op.drop_column('epoch')
