"""Deterministic, compact GeoJSON output: fixed key order, 6-decimal coordinates, one feature per line."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from shapely.geometry import mapping
from shapely.geometry.base import BaseGeometry

DECIMALS = 6  # ~0.1 m: far below boundary accuracy, keeps files small


def round_geometry(geom: BaseGeometry) -> BaseGeometry:
    """Round every vertex; shared vertices round identically, so shared borders stay shared."""
    return shapely.transform(geom, lambda xy: np.round(xy, DECIMALS))


def _plain(value: Any) -> Any:
    # mapping() yields nested tuples of floats; json wants lists, and we want no "-0.0".
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, float):
        return round(value, DECIMALS) + 0.0
    return value


def feature(properties: dict[str, Any], geom: BaseGeometry | None) -> dict[str, Any]:
    geometry = None
    if geom is not None:
        as_dict = mapping(geom)
        geometry = {"type": as_dict["type"], "coordinates": _plain(as_dict["coordinates"])}
    return {"type": "Feature", "properties": properties, "geometry": geometry}


def write_feature_collection(path: Path, features: list[dict[str, Any]]) -> None:
    lines = [json.dumps(f, ensure_ascii=False, separators=(",", ":")) for f in features]
    text = '{"type":"FeatureCollection","features":[\n' + ",\n".join(lines) + "\n]}\n"
    path.write_text(text, encoding="utf-8")
