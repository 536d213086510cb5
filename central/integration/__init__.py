"""Central's integration with the retailer's other systems (web shop, app, OMS, contact
centre): records in, events out, webhooks, and platform adapters."""
