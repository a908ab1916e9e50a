"""/review: the 待核实位置 queue with the reason for each project and a one-click suggestion."""
from __future__ import annotations

from flask import Blueprint, render_template

from registry.review import review_items
from web.edit import geocoder
from web.session import get_session

bp = Blueprint("review", __name__)


@bp.get("/review")
def review_page() -> str:
    items = review_items(get_session(), geocoder())
    return render_template("review.html", items=items)
