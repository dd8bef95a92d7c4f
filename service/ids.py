"""Short stable hex ids of strings (feed URLs, identities): in key names and article ids.

A module of its own, with nothing but hashlib, so code that only computes ids (a parse
worker keying entries) does not import the store (redis, the Lua scripts, every entity).
"""

from __future__ import annotations

import hashlib


def digest(text: str, size: int = 16) -> str:
    """Short stable hex id for any string (feed URLs, identities)."""
    return hashlib.blake2b(text.encode("utf-8"), digest_size=size // 2).hexdigest()
