"""Flag coordinates whose stated coordinate system looks wrong for the district they claim to be in."""
from __future__ import annotations

from registry.crs import normalize_crs, to_wgs84
from registry.fields import COORDINATE_SYSTEMS
from registry.locate import DistrictIndex


def districts_by_crs(index: DistrictIndex, lon: float, lat: float) -> dict[str, str]:
    """The district adcode the point falls in under each candidate coordinate system ("" = none)."""
    out = {}
    for system in COORDINATE_SYSTEMS:
        w_lon, w_lat = to_wgs84(lon, lat, system)
        out[system] = str(index.district_of(w_lon, w_lat)[0])
    return out


def crs_problems(index: DistrictIndex, lon: float, lat: float, stated_crs: str, stated_adcode: str) -> list[str]:
    """Problems when the point is NOT in ``stated_adcode`` under ``stated_crs`` but IS under another system
    (a likely mislabelled system), or is in that district under no system at all (a wrong district or point)."""
    stated = normalize_crs(stated_crs)
    found = districts_by_crs(index, lon, lat)
    if found[stated] == stated_adcode:
        return []
    fits = [s for s, code in found.items() if code == stated_adcode]
    if fits:
        return [(
            f"point ({lon}, {lat}) given as {stated} lies in {found[stated] or 'no indexed district'}, "
            f"but lands in the stated district {stated_adcode} when read as {' or '.join(fits)}: "
            "the coordinate system may be mislabelled"
        )]
    return [(
        f"point ({lon}, {lat}) given as {stated} lies in {found[stated] or 'no indexed district'}, "
        f"not in the stated district {stated_adcode} (under no coordinate system)"
    )]
