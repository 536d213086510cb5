"""Central's clienteling jobs: what needs more than one store's data or runs on a clock.

* :mod:`central.clienteling.task_rules`: follow-up tasks created by rules (after a
  purchase, before an important date), run by the app's sweep and after seeding.
* :mod:`central.clienteling.co_purchase`: "often bought together" from every store's
  orders, sent to every device as ``co_purchase``.
* :mod:`central.clienteling.touches`: every contact with a shopper (a command applied, a
  kiosk identification), with the associate and the store.
* :mod:`central.clienteling.attribution`: an online order credited to the last touch
  before it within the policy's window (the rule: ``sync.rules.attribution``).

The thresholds are :mod:`sync.clienteling_rules`, shared with the tablet's lists.
"""
