"""one chain tree: cluster groups that are a chain's industry fold into that chain

A database seeded before this holds both 信创产业 (nextgen_it.xinchuang) and 信创产业链 (xinchuang_chain),
each project tagged in both. The group's project links move to the chain, the chain hangs under the
cluster, and the group node goes (planparse/chains.py builds the same tree for new databases).
Downgrade keeps the merged tree: the duplicate is not worth restoring and no row of a project is lost.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 18:20:00
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0008'
# At merge with main (which has 0007_progress), this becomes '0007'.
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# group code → (chain code, cluster code), as planparse/chains.GROUP_CHAIN had them on 2026-12-01.
MERGED = {
    "nextgen_it.xinchuang": ("xinchuang_chain", "nextgen_it"),
    "nextgen_it.electronics": ("electronics_mfg", "nextgen_it"),
    "hi_equipment.rail": ("rail_transit", "hi_equipment"),
    "hi_equipment.nev": ("nev_chain", "hi_equipment"),
    "hi_equipment.green_equipment": ("green_equipment_chain", "hi_equipment"),
    "hi_equipment.aviation": ("general_aviation", "hi_equipment"),
    "new_materials.metals": ("special_metals", "new_materials"),
    "new_materials.chemicals": ("chem_materials", "new_materials"),
    "new_materials.biobased": ("biobased_materials", "new_materials"),
}


def upgrade() -> None:
    conn = op.get_bind()
    codes = set(conn.execute(sa.text("SELECT code FROM industry_chains")).scalars())
    for group, (chain, cluster) in MERGED.items():
        if group not in codes or chain not in codes:
            continue
        params = {"group": group, "chain": chain, "cluster": cluster}
        conn.execute(sa.text(
            "INSERT INTO project_chains (project_id, chain_code, segment) "
            "SELECT project_id, CAST(:target AS VARCHAR(48)), segment FROM project_chains WHERE chain_code = :group "
            "AND project_id NOT IN (SELECT project_id FROM project_chains WHERE chain_code = :chain)"),
            {**params, "target": chain})  # PostgreSQL types a selected parameter only through a CAST
        conn.execute(sa.text("DELETE FROM project_chains WHERE chain_code = :group"), params)
        conn.execute(sa.text("UPDATE industry_chains SET parent_code = :group_parent WHERE parent_code = :group"),
                     {"group_parent": chain, "group": group})
        if cluster in codes:
            conn.execute(sa.text("UPDATE industry_chains SET parent_code = :cluster "
                                 "WHERE code = :chain AND parent_code IS NULL"), params)
        conn.execute(sa.text("DELETE FROM industry_chains WHERE code = :group"), params)


def downgrade() -> None:
    pass  # the merged tree is valid under 0006's schema; see the docstring
