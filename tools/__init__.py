"""Developer tools run from a checkout (``make screenshots``); never part of the installed
package or the frozen bundle."""
