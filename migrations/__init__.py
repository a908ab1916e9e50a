"""Alembic migration environment for KPR (imports only `registry`)."""
