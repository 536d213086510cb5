"""The integration API: how a retailer's systems (web shop, app, OMS, contact centre) feed
central and learn what stores did.

* :mod:`central.integration.keys`: integration keys (``python -m central integrations``,
  :mod:`central.integration.cli`);
* :mod:`central.integration.records`: ``apply_records``, records in (``POST
  /v1/integration/records``), with per-source versions for idempotency;
* :mod:`central.integration.checks`: what a record must refer to (known shoppers,
  products, stores);
* :mod:`central.integration.events`: ``events_after``, the events feed out (``GET
  /v1/integration/events``), written with the commands that caused them;
* :mod:`central.integration.models`: the bodies, typed for ``/openapi.json``.

The routes are ``central.routes.integration``; the page for a retailer's developers is
``docs/integration-api.md``.
"""
