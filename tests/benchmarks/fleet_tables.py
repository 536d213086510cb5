"""The fleet benchmark's tables, in Markdown (``tests.benchmarks.fleet_bench``)."""

from __future__ import annotations

from typing import Any

from tests.benchmarks import fleet_devices as fd


def _table(title: str, columns: list[str], rows: list[list[Any]]) -> list[str]:
    out = [f"### {title}", "", "| " + " | ".join(columns) + " |"]
    out.append("| " + " | ".join("---" if i < 1 else "---:" for i in range(len(columns))) + " |")
    out += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return [*out, ""]


def tables(spreads: list[dict[str, Any]], runs: list[dict[str, Any]], header: str) -> str:
    out = [header, ""]
    if spreads:
        out += _table(
            "Keep-alive connections over two workers (clients connecting at once; three tries)",
            ["how", "clients", "connections per worker, each try"],
            [
                [
                    r["how"],
                    r["clients"],
                    "; ".join(" / ".join(map(str, t)) for t in r["per_worker"]),
                ]
                for r in spreads
            ],
        )
    first = ["backend", "workers"]
    cpu = "client CPU (cores)"
    out += _table(
        "Cold start of the whole fleet (every device pulls its store's feed at once)",
        [
            *first,
            "devices",
            "time to every book (s)",
            "rows/s",
            "page p50 (ms)",
            "page p99 (ms)",
            "429s",
            "errors",
            cpu,
        ],
        [
            [
                r["backend"],
                r["workers"],
                c["devices"],
                f"{c['seconds']:.1f}",
                f"{c['rows_s']:.0f}",
                f"{c['p50']:.0f}",
                f"{c['p99']:.0f}",
                c["429s"],
                c["errors"],
                f"{c['client_cores']:.2f}",
            ]
            for r in runs
            for c in r["cold"]
        ],
    )
    out += _table(
        f"Steady state at the app's poll interval (head every {fd.POLL_S:g} s and the pulls it"
        f" triggers; a note per store every {fd.POLL_S:g} s)",
        [
            *first,
            "devices",
            "requests/s",
            "head p50 (ms)",
            "head p99 (ms)",
            "page p50 (ms)",
            "page p99 (ms)",
            "pulls",
            "429s",
            "errors",
            cpu,
        ],
        [
            [
                r["backend"],
                r["workers"],
                s["devices"],
                f"{s['req_s']:.0f}",
                f"{s['head_p50']:.0f}",
                f"{s['head_p99']:.0f}",
                f"{s['page_p50']:.0f}",
                f"{s['page_p99']:.0f}",
                s["pulls"],
                s["429s"],
                s["errors"],
                f"{s['client_cores']:.2f}",
            ]
            for r in runs
            for s in [r["steady"]]
        ],
    )
    out += _table(
        f"Probe capacity ({fd.CAPACITY_DEVICES} devices asking for the head back to back,"
        f" {fd.CAPACITY_S:g} s)",
        [*first, "devices", "probes/s", "p50 (ms)", "p99 (ms)", "errors", cpu],
        [
            [
                r["backend"],
                r["workers"],
                c["devices"],
                f"{c['probes_s']:.0f}",
                f"{c['p50']:.0f}",
                f"{c['p99']:.0f}",
                c["errors"],
                f"{c['client_cores']:.2f}",
            ]
            for r in runs
            for c in [r["capacity"]]
        ],
    )
    out += _table(
        "Pushes under contention (hot SKUs of S001; every batch sent twice)",
        [
            *first,
            "pushers",
            "commands (+ replays)",
            "commands/s",
            "batch p50 (ms)",
            "batch p99 (ms)",
            "applied / units there",
            "replays identical",
            "stock exact, never negative",
            "reservations = applied",
            "errors",
        ],
        [
            [
                r["backend"],
                r["workers"],
                p["pushers"],
                f"{p['commands']} (+{p['commands']})",
                f"{p['cmd_s']:.0f}",
                f"{p['p50']:.0f}",
                f"{p['p99']:.0f}",
                f"{p['applied']} / {p['supply']}",
                _yes(p["replays_same"]),
                _yes(p["stock_ok"]),
                _yes(p["reservations_match"]),
                p["errors"],
            ]
            for r in runs
            for p in [r["push"]]
        ],
    )
    out += _table(
        "Reconnect storm (every device reconnects at the same instant, then head + pull)",
        [
            *first,
            "devices",
            "time to drain (s)",
            "caught up p50 (ms)",
            "caught up p99 (ms)",
            "429s (Retry-After honoured)",
            "errors",
            cpu,
        ],
        [
            [
                r["backend"],
                r["workers"],
                st["devices"],
                f"{st['drain_s']:.1f}",
                f"{st['caught_up_p50']:.0f}",
                f"{st['caught_up_p99']:.0f}",
                st["429s"],
                st["errors"],
                f"{st['client_cores']:.2f}",
            ]
            for r in runs
            for st in [r["storm"]]
        ],
    )
    errors = [
        f"{r['backend']} {r['workers']} workers {phase}: {kinds}"
        for r in runs
        for phase, kinds in [
            *((f"cold {c['devices']}", c["error_kinds"]) for c in r["cold"]),
            *((ph, r[ph]["error_kinds"]) for ph in ("steady", "capacity", "push", "storm")),
        ]
        if kinds
    ]
    if errors:
        out.append("Errors: " + "; ".join(errors))
    return "\n".join(out) + "\n"


def _yes(flag: bool) -> str:
    return "yes" if flag else "**NO**"
