"""parts, stated ranges and partner regions on projects

- parent_code: the package a project is a listed part of (001 专栏5 (3) 太原城市轨道交通项目 → its lines;
  a park → its companies; a 片区 of 004 专栏7-1 → its sites). By code, so seeds load in any order.
- investment_low / investment_high: an amount the text states as a range ("投资5—10亿元", 003/000), never
  turned into a made-up point value; total_investment stays empty then.
- partner_regions: home regions of the builder and partners as the text states them (上海, 北京 …).
- plan_period: the plan period the listing belongs to ("2006—2010" for the 高新区十一五 plan).
Downgrade drops the columns: every value comes from seeds/projects.yaml and returns with `kpr seed`.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 20:30:00
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0009'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('projects', schema=None) as batch_op:
        batch_op.add_column(sa.Column('parent_code', sa.String(length=48), nullable=True))
        batch_op.add_column(sa.Column('investment_low', sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column('investment_high', sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column('partner_regions', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('plan_period', sa.String(length=16), nullable=True))
        batch_op.create_index(batch_op.f('ix_projects_parent_code'), ['parent_code'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('projects', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_projects_parent_code'))
        batch_op.drop_column('plan_period')
        batch_op.drop_column('partner_regions')
        batch_op.drop_column('investment_high')
        batch_op.drop_column('investment_low')
        batch_op.drop_column('parent_code')
