"""Webhooks, the pure half: signing, retry schedule, filters, payloads, secrets at rest.

We follow the Standard Webhooks specification (https://www.standardwebhooks.com/,
"spec/standard-webhooks.md") so that consumers can verify us with its official
libraries. The I/O half (HTTP attempts, the notify stage) lives in ``workers/notify*.py``.
"""
