"""How long a large network view takes to settle in headless Chromium.

    python bench/html_view.py --organisations 2000 --runs 3

Makes a seeded synthetic statement table (``--organisations`` actors, 300
proposals, 2–9 statements each in documents dated over six years, popular
proposals drawn more often), builds the agreement network, annotates
coalitions, renders the HTML view with the default size limits (positions are
computed then, in ``render_seconds``), loads it in Chromium with the network
cut off, and prints one JSON object: the network's size, what the page shows,
render time, the settle time per run (``performance.now()`` when the page first
drew the network at its final positions: physics is off, so from navigation
start to a still picture), and how long the page takes to recompute and redraw
the links after the time window's "until" bound moves to the middle
(``window_seconds``).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # runnable as `python bench/html_view.py` from a clone
    sys.path.insert(0, str(ROOT))

from carekg.networks.coalitions import annotate  # noqa: E402
from carekg.networks.dna import ActorInfo, StatementTable, agreement  # noqa: E402
from carekg.view.render import DEFAULT_MAX_EDGES, DEFAULT_MAX_NODES, render_html  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
TYPES = ["charity", "public-body", "review", "government", "university", "parliamentary-group", "media", "other"]


def synthetic_table(organisations: int, proposals: int = 300, seed: int = 11) -> StatementTable:
    rng = random.Random(seed)
    weights = [1 / (rank + 1) ** 0.8 for rank in range(proposals)]
    lean = [rng.random() for _ in range(proposals)]  # how much each proposal is supported
    records = []
    for i in range(organisations):
        actor = f"org-{i:05d}"
        for k in range(rng.randint(2, 9)):
            j = rng.choices(range(proposals), weights)[0]
            records.append({"actor": actor, "proposal": f"p{j:03d}", "document": f"doc-{i:05d}-{k % 3}.txt",
                            "issued": f"{2018 + (i + k % 3) % 6}-{1 + (i * 7 + k % 3) % 12:02d}",
                            "stance": "support" if rng.random() < lean[j] else "oppose",
                            "quote": f"Organisation {i} on proposal {j}: a quote of a typical length for a statement.",
                            "start": k * 100, "end": k * 100 + 80})
    actors = [ActorInfo(f"org-{i:05d}", f"Organisation {i}", type=TYPES[i % len(TYPES)]) for i in range(organisations)]
    return StatementTable.from_records(records, actors=actors)


WINDOW = """() => { const until = document.getElementById('ckg-until'), start = performance.now();
    until.value = String(Math.floor(Number(until.max) / 2)); until.dispatchEvent(new Event('input'));
    return (performance.now() - start) / 1000; }"""


def settle_seconds(path: Path) -> tuple[float, int, list[str], float]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        remote: list[str] = []
        page.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file://")
                   else (remote.append(route.request.url), route.abort()))
        page.goto(path.as_uri())
        page.wait_for_function("window.carekgReady === true", timeout=120_000)
        settled = page.evaluate("window.carekgSettledMs") / 1000
        drawn = page.evaluate("network.body.data.nodes.length")
        window = page.evaluate(WINDOW)
        browser.close()
    return settled, drawn, remote, window


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--organisations", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--max-nodes", type=int, default=DEFAULT_MAX_NODES)
    parser.add_argument("--max-edges", type=int, default=DEFAULT_MAX_EDGES)
    options = parser.parse_args()

    clock = time.perf_counter()
    graph = agreement(synthetic_table(options.organisations))
    annotate(graph)
    built = time.perf_counter() - clock
    clock = time.perf_counter()
    page = render_html(graph, max_nodes=options.max_nodes, max_edges=options.max_edges)
    rendered = time.perf_counter() - clock
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "view.html"
        path.write_bytes(page)
        runs = [settle_seconds(path) for _ in range(options.runs)]
    print(json.dumps({
        "organisations": graph.number_of_nodes(), "links": graph.number_of_edges(),
        "coalitions": len(graph.graph["coalitions"]), "max_nodes": options.max_nodes, "max_edges": options.max_edges,
        "drawn_nodes": runs[0][1], "page_mb": round(len(page) / 1e6, 2),
        "network_seconds": round(built, 2), "render_seconds": round(rendered, 2),
        "settle_seconds": [round(r[0], 2) for r in runs], "window_seconds": [round(r[3], 2) for r in runs],
        "remote_requests": sorted({u for r in runs for u in r[2]}),
    }, indent=2))


if __name__ == "__main__":
    main()
