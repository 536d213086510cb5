"""Business rules that a device and central both import, each written once.

``pricing`` (promotions and the price they make), ``geo`` (distance between stores) and
``signin`` (PIN check and lock-out limits). A rule here is pure: it reads wire models
or plain values and touches no database, so both sides decide the same way.
"""
