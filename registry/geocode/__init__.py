"""Geocoding: text and coordinates → Placement (district, zone, corridors, precision, method, evidence)."""
from registry.geocode.result import Placement
from registry.geocode.service import Geocoder

__all__ = ["Geocoder", "Placement"]
