"""Webhook subscriptions and their delivery log (admin only; docs/webhooks.md)."""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request, Response

from service.api.auth import require_admin
from service.api.conditional import WRITE_CONDITIONS, check_write
from service.api.deps import get_settings, get_store
from service.api.errors import ProblemError, bad_request
from service.api.openapi import PAGED, header_parameter
from service.api.paging import next_link
from service.api.schemas import CURSOR_HELP, LIMIT_HELP, Page
from service.api.schemas_stories import problems
from service.api.webhook_schemas import (
    DeliveryOut,
    DeliveryQueued,
    SecretRotated,
    SubscriptionCreated,
    SubscriptionIn,
    SubscriptionOut,
    SubscriptionPatch,
)
from service.clock import utcnow
from service.settings import Settings
from service.ssrf import TargetRefused, check_url
from service.store import Store
from service.store.deliveries import DeliveryStore, Redelivery
from service.store.subscriptions import Subscription, SubscriptionStore
from service.webhooks.payload import PING_TYPE, ping_body
from service.webhooks.secretbox import load_secret_box

router = APIRouter(prefix="/v1", tags=["webhooks"], dependencies=[Depends(require_admin)])

SubId = Annotated[str, Path(pattern=r"^sub_[0-9a-f]{1,64}$")]
DeliveryId = Annotated[str, Path(pattern=r"^msg_[0-9a-f]{1,64}$")]

BODY_GONE = "The delivery's body is no longer stored (expired or evicted): it cannot be sent again"


def subscriptions(request: Request) -> SubscriptionStore:
    """One store per app, its secret box loaded once (from settings or data_dir)."""
    cached: SubscriptionStore | None = getattr(request.app.state, "webhook_subscriptions", None)
    if cached is None:
        settings = get_settings(request)
        store = get_store(request)
        box = load_secret_box(settings.secret_key, settings.data_dir)
        cached = SubscriptionStore(store.redis, store.keys, box)
        request.app.state.webhook_subscriptions = cached
    return cached


def deliveries(
    store: Annotated[Store, Depends(get_store)],
    settings: Annotated[Settings, Depends(get_settings)],
) -> DeliveryStore:
    return DeliveryStore(
        store.redis, store.keys, retention_seconds=settings.retention_days * 86_400
    )


Subs = Annotated[SubscriptionStore, Depends(subscriptions)]
Deliveries = Annotated[DeliveryStore, Depends(deliveries)]


async def check_target(url: str, settings: Settings) -> None:
    """Refuse loopback/private/metadata targets now (the notifier checks again per attempt)."""
    try:
        await check_url(url, allow_private=settings.allow_private_targets)
    except TargetRefused as exc:
        raise bad_request("url", exc.reason) from None


def _not_found(sub_id: str) -> ProblemError:
    return ProblemError(404, "Not Found", f"no subscription {sub_id}")


async def _existing(subs: SubscriptionStore, sub_id: str) -> Subscription:
    sub = await subs.get(sub_id)
    if sub is None:
        raise _not_found(sub_id)
    return sub


async def _acting_on(request: Request, subs: SubscriptionStore, sub_id: str) -> Subscription:
    """The subscription a write or action changes (404 when there is none), once the
    request's preconditions hold for it (412 else, RFC 9110 §13.1.1). It has no ETag, so
    they ask only whether it exists: the store's writes check that again in the same
    script as they write, so a DELETE in between makes the write a 404, never a
    half-written subscription."""
    sub = await _existing(subs, sub_id)
    check_write(request, f"subscription {sub_id}", exists=True)
    return sub


# A POST's target is the list (RFC 9110 §9.3.3), which exists and sends no ETag.
LIST_WRITE_CONDITIONS = {
    "parameters": [
        header_parameter(
            "If-Match",
            "`*` holds (the list exists); the list has no ETag, so a tag matches nothing: 412",
        ),
        header_parameter("If-None-Match", "`*` always fails (412), as the list exists"),
    ]
}


@router.post(
    "/subscriptions",
    status_code=201,
    response_model=SubscriptionCreated,
    responses=problems(400, 412),
    openapi_extra=LIST_WRITE_CONDITIONS,
)
async def create_subscription(
    request: Request,
    response: Response,
    body: SubscriptionIn,
    subs: Subs,
    settings: Annotated[Settings, Depends(get_settings)],
) -> SubscriptionCreated:
    """Subscribe an endpoint. The secret is in this response only; store it.
    ``If-Match`` / ``If-None-Match`` are the list's, which exists and has no ETag.
    ``Location`` names the new subscription (RFC 9110 §15.3.2: else a 201 names its
    target, the list)."""
    # Before the target's checks: preconditions come before processing the request's
    # content (RFC 9110 §13.2.1). The list always exists, so nothing can race them.
    check_write(request, "the subscription list", exists=True)
    await check_target(body.url, settings)
    sub, secret = await subs.create(
        url=body.url,
        events=list(dict.fromkeys(body.events)),
        filters=body.filters.to_filters(),
        description=body.description,
        now=utcnow(),
    )
    response.headers["Location"] = request.url_for("get_subscription", sub_id=sub.id).path
    return SubscriptionCreated(**SubscriptionOut.of(sub).model_dump(), secret=secret)


def _link_next(request: Request, response: Response, cursor: str | None) -> None:
    """The ``Link`` to the next page on a list's 200 (service/api/paging.py)."""
    link = next_link(request.url, cursor)
    if link is not None:
        response.headers["Link"] = link


@router.get("/subscriptions", response_model=Page[SubscriptionOut], responses=PAGED)
async def list_subscriptions(
    request: Request,
    response: Response,
    subs: Subs,
    limit: Annotated[int, Query(ge=1, le=500, description=LIMIT_HELP)] = 100,
    cursor: Annotated[
        str | None, Query(max_length=80, pattern=r"^sub_[0-9a-f]+$", description=CURSOR_HELP)
    ] = None,
) -> Page[SubscriptionOut]:
    page, next_cursor = await subs.page(after=cursor, limit=limit)
    _link_next(request, response, next_cursor)
    return Page[SubscriptionOut](
        items=[SubscriptionOut.of(s) for s in page], next_cursor=next_cursor
    )


@router.get("/subscriptions/{sub_id}", response_model=SubscriptionOut)
async def get_subscription(sub_id: SubId, subs: Subs) -> SubscriptionOut:
    return SubscriptionOut.of(await _existing(subs, sub_id))


@router.patch(
    "/subscriptions/{sub_id}",
    response_model=SubscriptionOut,
    responses=problems(400, 412),
    openapi_extra=WRITE_CONDITIONS,
)
async def update_subscription(
    request: Request,
    sub_id: SubId,
    body: SubscriptionPatch,
    subs: Subs,
    settings: Annotated[Settings, Depends(get_settings)],
) -> SubscriptionOut:
    """Change target, events, filters or description; ``enabled`` disables or re-enables."""
    await _acting_on(request, subs, sub_id)
    if body.url is not None:
        await check_target(body.url, settings)
    now = utcnow()
    updated = await subs.update(
        sub_id,
        now=now,
        url=body.url,
        events=None if body.events is None else list(dict.fromkeys(body.events)),
        filters=None if body.filters is None else body.filters.to_filters(),
        description=body.description,
    )
    if not updated:
        raise _not_found(sub_id)
    if body.enabled is True:
        await subs.enable(sub_id, now=now)
    elif body.enabled is False:
        await subs.disable(sub_id, reason="disabled through the API", now=now)
    return SubscriptionOut.of(await _existing(subs, sub_id))


@router.delete(
    "/subscriptions/{sub_id}",
    status_code=204,
    response_class=Response,
    responses=problems(412),
    openapi_extra=WRITE_CONDITIONS,
)
async def delete_subscription(request: Request, sub_id: SubId, subs: Subs) -> Response:
    await _acting_on(request, subs, sub_id)
    if not await subs.delete(sub_id):
        raise _not_found(sub_id)
    return Response(status_code=204)


@router.post(
    "/subscriptions/{sub_id}/rotate-secret",
    response_model=SecretRotated,
    responses=problems(412),
    openapi_extra=WRITE_CONDITIONS,
)
async def rotate_secret(request: Request, sub_id: SubId, subs: Subs) -> SecretRotated:
    """A new secret; the previous one keeps signing beside it for 24 h (both signatures)."""
    await _acting_on(request, subs, sub_id)
    rotated = await subs.rotate_secret(sub_id, now=utcnow())
    if rotated is None:
        raise _not_found(sub_id)
    secret, until = rotated
    return SecretRotated(secret=secret, previous_secret_valid_until=until)


@router.post(
    "/subscriptions/{sub_id}/ping",
    status_code=202,
    response_model=DeliveryQueued,
    responses=problems(409, 412),
    openapi_extra=WRITE_CONDITIONS,
)
async def ping(request: Request, sub_id: SubId, subs: Subs, queue: Deliveries) -> DeliveryQueued:
    """Queue a ``subscription.ping`` event for this endpoint now (filters do not apply)."""
    sub = await _existing(subs, sub_id)
    if not sub.active:  # a 409 without preconditions stays one (RFC 9110 §13.2.1)
        raise ProblemError(409, "Conflict", f"subscription {sub_id} is disabled; enable it first")
    check_write(request, f"subscription {sub_id}", exists=True)
    now = utcnow()
    event_id = f"ping-{int(now.timestamp() * 1000)}-{secrets.token_hex(4)}"
    body = ping_body(event_id, sub_id, now.isoformat().replace("+00:00", "Z"))
    created = await queue.enqueue(
        event_id=event_id, event_type=PING_TYPE, body=body, subscription_ids=[sub_id], now=now
    )
    return DeliveryQueued(id=created[0])


@router.get(
    "/subscriptions/{sub_id}/deliveries",
    response_model=Page[DeliveryOut],
    responses=PAGED | problems(404),
)
async def list_deliveries(
    request: Request,
    response: Response,
    sub_id: SubId,
    subs: Subs,
    queue: Deliveries,
    limit: Annotated[int, Query(ge=1, le=200, description=LIMIT_HELP)] = 50,
    cursor: Annotated[
        str | None,
        Query(max_length=100, pattern=r"^[0-9]{15}:msg_[0-9a-f]+$", description=CURSOR_HELP),
    ] = None,
) -> Page[DeliveryOut]:
    """The delivery log, newest first: attempts with times, status codes, latency, errors."""
    await _existing(subs, sub_id)
    items, next_cursor = await queue.page_for(sub_id, before=cursor, limit=limit)
    _link_next(request, response, next_cursor)
    return Page[DeliveryOut](
        items=[DeliveryOut.of(d, attempts) for d, attempts in items], next_cursor=next_cursor
    )


@router.post(
    "/deliveries/{delivery_id}/redeliver",
    status_code=202,
    response_model=DeliveryQueued,
    responses=problems(404, 409, 410, 412, described={410: BODY_GONE}),
    openapi_extra=WRITE_CONDITIONS,
)
async def redeliver(
    request: Request, delivery_id: DeliveryId, queue: Deliveries, subs: Subs
) -> DeliveryQueued:
    """Send a finished delivery again: same webhook-id, a fresh retry schedule."""
    delivery = await queue.get(delivery_id)
    # A finished delivery out of the log outlives its subscription's delete until its
    # record expires: gone with its subscription all the same.
    if delivery is None or await subs.get(delivery.subscription_id) is None:
        raise _no_delivery(delivery_id)
    # A 404, 409 or 410 without preconditions stays one (RFC 9110 §13.2.1).
    if delivery.status == "pending":
        raise _still_pending(delivery_id)
    if not await queue.has_body(delivery):
        raise _body_gone(delivery_id)
    check_write(request, f"delivery {delivery_id}", exists=True)
    outcome = await queue.redeliver(delivery_id, now=utcnow())
    if outcome is Redelivery.UNKNOWN:
        raise _no_delivery(delivery_id)
    if outcome is Redelivery.PENDING:
        raise _still_pending(delivery_id)
    if outcome is Redelivery.BODY_GONE:
        raise _body_gone(delivery_id)
    return DeliveryQueued(id=delivery_id)


def _no_delivery(delivery_id: str) -> ProblemError:
    return ProblemError(404, "Not Found", f"no delivery {delivery_id}")


def _body_gone(delivery_id: str) -> ProblemError:
    """RFC 9110 §15.5.11: the delivery is known, but what it sends is gone for good."""
    return ProblemError(
        410,
        "Gone",
        f"delivery {delivery_id} can no longer be sent: its body is no longer stored "
        "(expired or evicted)",
        kind="delivery-body-expired",
    )


def _still_pending(delivery_id: str) -> ProblemError:
    return ProblemError(409, "Conflict", f"delivery {delivery_id} is still pending")
