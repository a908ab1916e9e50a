"""KPR core: the key-project registry for Taiyuan. Never imports Flask (see tests/test_layering.py)."""
