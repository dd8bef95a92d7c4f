"""Data files shipped inside the package: ``feeds.toml``, the default feeds and briefings.

Package data rather than a file beside the source tree, so that an installed wheel (not
only a checkout) finds it; service/settings.py reads it through importlib.resources.
"""
