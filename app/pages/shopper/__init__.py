"""The parts of the shopper profile screen (``app.pages.shopper_page.ShopperPage``)."""
