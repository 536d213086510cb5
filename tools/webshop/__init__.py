"""The Harbour & Pine web shop: a small storefront that talks to central only through the
integration API, as a retailer's own web shop would (``docs/integration-api.md``).

It keeps its own SQLite store (``tools.webshop.shopdb``): the catalog, promotions, stores
and shopper accounts are the retailer's shared master data, taken from
``central.demo_data`` (the same generator central's demo seed uses, so ids agree); carts,
wishlists, web orders, support requests and product views are the shop's own records.
Every change a shopper makes is pushed to central with the shop's integration key and the
shop's own increasing version per record (``tools.webshop.link``); what stores did for a
shopper (orders placed in store, reservations) comes back from the events feed, read with
the shop's own cursor. There is no other way in: the shop never opens central's database.

Run it with ``python -m tools.webshop --central URL --key KEY`` (``make demo`` does).
"""
