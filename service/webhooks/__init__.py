"""Webhooks, the pure half: signing, retry schedule, filters, payloads, secrets at rest.

None of these modules touches the network, Redis or the clock (``now`` is an argument);
``secretbox`` alone touches the disk, to create or read the key file once.

We follow the Standard Webhooks specification (https://www.standardwebhooks.com/,
"spec/standard-webhooks.md") so that consumers can verify us with its official
libraries. The I/O half (HTTP attempts, the notify stage) lives in ``workers/notify*.py``.
"""
