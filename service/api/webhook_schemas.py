"""Public shapes of the webhook API (/v1/subscriptions, /v1/deliveries)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

import httpx
from pydantic import (
    AfterValidator,
    AliasChoices,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
)

from service.store.deliveries import ERROR_KEPT, AttemptRecord, Delivery
from service.store.subscriptions import Subscription
from service.webhooks.filters import Filters

EventType = Literal["story.created", "story.updated", "story.merged", "feed.failing"]
EVENTS_DOC = (
    "Event types to receive. With `story.updated` but not `story.merged`, a merge of two "
    "stories is received as a `story.updated` of the survivor (with `absorbed`); with "
    "`story.merged`, as that only"
)
Term = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Terms = Annotated[list[Term], Field(max_length=100)]


def sendable_url(value: str) -> str:
    """``value`` if a delivery can be sent to it exactly as written, else ValueError.

    Spaces and ASCII control characters are refused anywhere: RFC 3986 §2 has no place
    for them, and parsers disagree about them. ``urlsplit``, which the SSRF check reads
    the host with, drops tabs and newlines anywhere and leading spaces (as WHATWG URL
    does), while httpx, which builds each delivery, refuses the first and turns a leading
    space into a relative URL: a URL accepted by one would fail every delivery in the
    other. What is left must then parse as httpx parses it.
    """
    for position, char in enumerate(value):
        if char <= " " or char == "\x7f":
            raise ValueError(
                f"{char!r} at position {position}: a URL holds no spaces or control "
                "characters (percent-encode them)"
            )
    try:
        httpx.URL(value)
    except httpx.InvalidURL as exc:
        raise ValueError(f"invalid URL: {exc}") from None
    return value


TargetUrl = Annotated[str, AfterValidator(sendable_url)]


class FiltersIn(BaseModel):
    """Every filter set must hold; within one filter any value may match (docs/webhooks.md)."""

    model_config = ConfigDict(extra="forbid")

    briefings: Terms = Field(
        default_factory=list,
        validation_alias=AliasChoices("briefings", "briefing"),
        description="Briefing ids (`briefing` with one id is accepted too)",
    )
    keywords: Terms = Field(default_factory=list)
    languages: Terms = Field(default_factory=list, description="BCP 47 tags; 'en' matches 'en-GB'")
    sources: Terms = Field(default_factory=list, description="Outlet names or domains")
    places: Terms = Field(default_factory=list)
    min_sources: int = Field(default=0, ge=0, le=10_000)

    @field_validator("briefings", mode="before")
    @classmethod
    def _one_briefing(cls, value: Any) -> Any:
        return [value] if isinstance(value, str) else value

    def to_filters(self) -> Filters:
        return Filters(
            briefings=tuple(self.briefings),
            keywords=tuple(self.keywords),
            languages=tuple(self.languages),
            sources=tuple(self.sources),
            places=tuple(self.places),
            min_sources=self.min_sources,
        )


class FiltersOut(BaseModel):
    briefings: list[str]
    keywords: list[str]
    languages: list[str]
    sources: list[str]
    places: list[str]
    min_sources: int


class SubscriptionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    url: TargetUrl = Field(min_length=1, max_length=2048, description="http(s) endpoint to POST to")
    events: list[EventType] = Field(min_length=1, max_length=4, description=EVENTS_DOC)
    filters: FiltersIn = Field(default_factory=FiltersIn)
    description: str = Field(default="", max_length=500)


class SubscriptionPatch(BaseModel):
    model_config = ConfigDict(extra="forbid")

    url: TargetUrl | None = Field(default=None, min_length=1, max_length=2048)
    events: list[EventType] | None = Field(
        default=None, min_length=1, max_length=4, description=EVENTS_DOC
    )
    filters: FiltersIn | None = None
    description: str | None = Field(default=None, max_length=500)
    enabled: bool | None = Field(default=None, description="false disables, true re-enables")


class SubscriptionOut(BaseModel):
    id: str
    url: str
    events: list[str] = Field(description=EVENTS_DOC)
    filters: FiltersOut
    description: str
    status: Literal["active", "disabled"]
    disabled_reason: str | None = Field(description="Why it was disabled (410, days failing, ...)")
    disabled_at: datetime | None
    failing_since: datetime | None = Field(description="First failed attempt since a success")
    previous_secret_valid_until: datetime | None = Field(
        description="Until then deliveries are signed with the previous secret too"
    )
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, sub: Subscription) -> SubscriptionOut:
        return cls(
            id=sub.id,
            url=sub.url,
            events=list(sub.events),
            filters=FiltersOut(**sub.filters.to_dict()),
            description=sub.description,
            status="active" if sub.active else "disabled",
            disabled_reason=sub.disabled_reason,
            disabled_at=sub.disabled_at,
            failing_since=sub.failing_since,
            previous_secret_valid_until=sub.old_secret_until,
            created_at=sub.created_at,
            updated_at=sub.updated_at,
        )


class SubscriptionCreated(SubscriptionOut):
    secret: str = Field(description="whsec_ + base64 of 32 bytes; shown only now")


class SecretRotated(BaseModel):
    secret: str = Field(description="The new secret; shown only now")
    previous_secret_valid_until: datetime


class AttemptOut(BaseModel):
    at: datetime
    status_code: int | None = Field(
        description="null when no HTTP answer came (timeout, ...) or no request was made "
        "(a body expired before it was sent: `error` says so)"
    )
    latency_ms: float
    error: str | None = Field(
        description=f"Why it failed: its first {ERROR_KEPT} characters, then "
        "`… (cut: N characters in all)` when it was longer"
    )

    @classmethod
    def of(cls, a: AttemptRecord) -> AttemptOut:
        return cls(at=a.at, status_code=a.status_code, latency_ms=a.latency_ms, error=a.error)


class DeliveryOut(BaseModel):
    id: str = Field(description="The webhook-id header: the same on every attempt")
    subscription_id: str
    event_id: str
    type: str
    status: Literal["pending", "succeeded", "failed"]
    created_at: datetime
    next_attempt: datetime | None
    attempts: list[AttemptOut]

    @classmethod
    def of(cls, d: Delivery, attempts: list[AttemptRecord]) -> DeliveryOut:
        status: Literal["pending", "succeeded", "failed"] = (
            d.status if d.status in ("succeeded", "failed") else "pending"  # type: ignore[assignment]
        )
        return cls(
            id=d.id,
            subscription_id=d.subscription_id,
            event_id=d.event_id,
            type=d.type,
            status=status,
            created_at=d.created_at,
            next_attempt=d.next_attempt if status == "pending" else None,
            attempts=[AttemptOut.of(a) for a in attempts],
        )


class DeliveryQueued(BaseModel):
    id: str
    status: Literal["pending"] = "pending"
