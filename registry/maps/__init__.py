"""Folium map builders for the web app and `kpr map`: local assets, map data, base layers, pages.

Never imports Flask: the web layer passes URLs in."""
