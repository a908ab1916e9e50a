"""The 统计 dashboard (placeholder until registry/stats.py lands)."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("stats", __name__)
