"""progress over time: monthly 调度 figures, closed months, 开工/竣工 milestones (issue 17)

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 18:20:00
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'project_progress',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('project_id', sa.Integer(), nullable=False),
        sa.Column('year', sa.Integer(), nullable=False),
        sa.Column('month', sa.Integer(), nullable=False),
        sa.Column('plan_investment', sa.BigInteger(), nullable=True),  # integer 万元
        sa.Column('completed_investment', sa.BigInteger(), nullable=True),  # integer 万元
        sa.Column('image_progress', sa.Text(), nullable=True),
        sa.Column('issues', sa.Text(), nullable=True),
        sa.Column('source_file', sa.String(length=256), nullable=True),
        sa.CheckConstraint('month BETWEEN 1 AND 12', name=op.f('ck_project_progress_month')),
        sa.CheckConstraint('plan_investment IS NULL OR plan_investment >= 0',
                           name=op.f('ck_project_progress_plan_nonneg')),
        sa.CheckConstraint('completed_investment IS NULL OR completed_investment >= 0',
                           name=op.f('ck_project_progress_completed_nonneg')),
        sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_project_progress_project_id_projects'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_project_progress')),
        sa.UniqueConstraint('project_id', 'year', 'month', name=op.f('uq_project_progress_project_id')),
    )
    op.create_table(
        'progress_closed_months',
        sa.Column('year', sa.Integer(), nullable=False),
        sa.Column('month', sa.Integer(), nullable=False),
        sa.Column('closed_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('closed_by', sa.String(length=64), nullable=True),
        sa.PrimaryKeyConstraint('year', 'month', name=op.f('pk_progress_closed_months')),
    )
    op.create_table(
        'project_milestones',
        sa.Column('project_id', sa.Integer(), nullable=False),
        sa.Column('planned_start', sa.Date(), nullable=True),
        sa.Column('actual_start', sa.Date(), nullable=True),
        sa.Column('planned_end', sa.Date(), nullable=True),
        sa.Column('actual_end', sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(['project_id'], ['projects.id'],
                                name=op.f('fk_project_milestones_project_id_projects'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('project_id', name=op.f('pk_project_milestones')),
    )


def downgrade() -> None:
    op.drop_table('project_milestones')
    op.drop_table('progress_closed_months')
    op.drop_table('project_progress')
