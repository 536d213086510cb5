"""``python -m tools.webshop --central URL --key KEY [--db PATH] [--port N]``: the demo web
shop on 127.0.0.1 until Ctrl-C (``make demo`` starts it next to central)."""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import sys
import threading
from pathlib import Path

from tools.webshop.server import ShopServer


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.webshop", description=__doc__)
    parser.add_argument("--central", required=True, help="central's URL, http://127.0.0.1:8765")
    parser.add_argument(
        "--key", default=os.environ.get("WEBSHOP_KEY", ""), help="the shop's integration key"
    )
    parser.add_argument("--db", type=Path, default=Path(".demo/webshop.db"))
    parser.add_argument("--port", type=int, default=8780)
    args = parser.parse_args(argv)
    if not args.key or len(args.key.split()) != 1:
        parser.error("give the shop's integration key (one word) with --key or WEBSHOP_KEY")
    try:
        server = ShopServer(args.db, args.central, args.key, args.port).start()
    except OSError as exc:
        print(f"webshop: cannot listen on 127.0.0.1:{args.port}: {exc.strerror}", file=sys.stderr)
        return 1
    print(f"webshop: Harbour & Pine shop on {server.url}", flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    with contextlib.suppress(KeyboardInterrupt):
        stop.wait()
    server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
