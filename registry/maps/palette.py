"""Group colours: a qualitative palette that stays distinguishable on a light basemap and in print."""
from __future__ import annotations

# Tableau-20-like, strong tones first; grey is kept for "no group".
COLOURS = (
    "#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#bcbd22",
    "#393b79", "#ad494a", "#637939", "#8c6d31", "#7b4173", "#3182bd", "#e6550d", "#31a354", "#756bb1",
)
NO_GROUP_COLOUR = "#7f7f7f"
# Progress classes (colour by 按进度): fixed, so a class keeps its colour on every page and in print;
# green/blue/red read as ahead/on track/behind, grey is "no figures".
PROGRESS_COLOURS = {"超前": "#1a9850", "正常": "#4575b4", "滞后": "#d73027", "未填报": "#9e9e9e"}
# Choropleth steps, light to dark (sequential reds, the registry's header colour family).
SHADES = ("#fee5d9", "#fcbba1", "#fc9272", "#fb6a4a", "#de2d26", "#a50f15")


def colour(index: int, no_group: bool = False) -> str:
    return NO_GROUP_COLOUR if no_group else COLOURS[index % len(COLOURS)]
