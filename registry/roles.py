"""Account roles, weakest first. Standard library only: `kpr users --help` offers them without loading the models."""
from __future__ import annotations

ROLES = ("viewer", "editor", "admin")
