"""Geocoding: text and coordinates → Placement (district, zone, corridors, precision, method, evidence)."""
from registry.geocode.service import Geocoder
from registry.records import Placement

__all__ = ["Geocoder", "Placement"]
