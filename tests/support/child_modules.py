"""What a pool worker has imported, asked in the worker: a call sent by reference, from a
module that imports nothing itself, so that asking changes nothing of the answer."""

from __future__ import annotations

import sys


def imported(module: str) -> bool:
    return module in sys.modules
