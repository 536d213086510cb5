"""Central's clienteling jobs: what needs more than one store's data or runs on a clock.

* :mod:`central.clienteling.task_rules`: follow-up tasks created by rules (after a
  purchase, before an important date), run by the app's sweep and after seeding.

The thresholds are :mod:`sync.clienteling_rules`, shared with the tablet's lists.
"""
