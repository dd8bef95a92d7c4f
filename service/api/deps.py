"""Request-scoped access to what create_app was given."""

from __future__ import annotations

from fastapi import Request

from service.settings import Settings
from service.store import Store


def get_store(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings
