"""The home page's panels: shopper search, the queue summary, the product look-up."""
