"""The webhook body of an event recorded for a story merged since: the survivor, and the
id the event was recorded for (``merged_from``), beside the documented fields only."""

from __future__ import annotations

import json

from service.webhooks.payload import build_body
from tests.factories import story_data as story


def test_an_event_of_a_story_merged_since_names_the_id_it_was_recorded_for() -> None:
    data = {"story": story("st_old"), "merged_from": "st_new", "internal": 1}
    body = json.loads(build_body("1-0", "story.created", "2026-11-01T12:00:00Z", data))
    assert body["data"] == {"story": story("st_old"), "merged_from": "st_new"}
    data = {"story": story("st_c"), "absorbed": ["st_a"], "merged_from": "st_b"}
    body = json.loads(build_body("1-1", "story.merged", "2026-11-01T12:00:00Z", data))
    assert body["data"] == {"story": story("st_c"), "absorbed": ["st_a"], "merged_from": "st_b"}
