"""The read API of the cache, one module per subject; ``sync.store.Cache`` joins them."""
