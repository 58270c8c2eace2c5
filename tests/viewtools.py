"""Driving the HTML views in Debian's headless Chromium, offline: shared by the browser tests.

Every request other than the page itself is aborted and recorded, so "works
offline" means: it loaded, drew every node, and asked for nothing.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("no browser can be launched: playwright's Python package is not installed")
    playwright = sync_playwright().start()
    try:
        executable = CHROMIUM if Path(CHROMIUM).exists() else None
        launched = playwright.chromium.launch(executable_path=executable, args=ARGS)
    except Exception as exc:  # playwright raises its own Error for a missing or broken browser
        playwright.stop()
        pytest.skip(f"no browser can be launched ({CHROMIUM} missing or broken): {exc}".splitlines()[0])
    yield launched
    launched.close()
    playwright.stop()


class View:
    """A page loaded offline, with what it asked for and what it complained about."""

    def __init__(self, browser, page_bytes: bytes, folder: Path, name: str = "view.html", *,
                 width: int = 1400, height: int = 900):
        path = folder / name
        path.write_bytes(page_bytes)
        self.url = path.as_uri()
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.context = browser.new_context(viewport={"width": width, "height": height}, accept_downloads=True)
        self.page = self.context.new_page()
        self.page.on("console", lambda message: self.errors.append(message.text) if message.type == "error" else None)
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.route("**/*", self._route)
        self.page.goto(self.url)
        self.page.wait_for_function("window.carekgReady === true", timeout=60_000)

    def _route(self, route) -> None:
        if route.request.url == self.url:
            route.continue_()
        else:
            self.requests.append(route.request.url)
            route.abort()

    def js(self, expression: str, argument=None):
        return self.page.evaluate(expression, argument)

    def point_of(self, node: str) -> tuple[float, float]:
        return tuple(self.js("""(id) => { const p = network.canvasToDOM(network.getPositions([id])[id]);
            const r = document.getElementById('ckg-network').getBoundingClientRect(); return [p.x + r.left, p.y + r.top]; }""", node))

    def tip_after_hover(self, x: float, y: float) -> str:
        self.page.mouse.move(5, 880)
        self.page.wait_for_function("document.getElementById('ckg-tip').hidden")
        self.page.mouse.move(x, y, steps=4)
        self.page.wait_for_function("!document.getElementById('ckg-tip').hidden", timeout=5_000)
        return self.js("document.getElementById('ckg-tip').innerText")

    def click_node(self, node: str) -> None:
        self.page.mouse.click(*self.point_of(node))

    def click_link(self, a: str, b: str) -> None:
        (xa, ya), (xb, yb) = self.point_of(a), self.point_of(b)
        self.page.mouse.click((xa + xb) / 2, (ya + yb) / 2)

    def details(self) -> str:
        return self.js("document.getElementById('ckg-details').hidden ? '' : document.getElementById('ckg-details').innerText")

    def label_boxes(self) -> list[list]:
        """The page coordinates of every label vis-network draws now (on screen, not hidden), read from the page."""
        return self.js("""() => {
            const rect = document.getElementById('ckg-network').getBoundingClientRect(), out = [];
            for (const id of network.body.nodeIndices) {
                const node = network.body.nodes[id];
                if (node.options.hidden || !node.labelModule.visible()) continue;
                const s = node.labelModule.size;
                const a = network.canvasToDOM({x: s.left, y: s.top});
                const b = network.canvasToDOM({x: s.left + s.width, y: s.top + s.height});
                if (b.x < 0 || b.y < 0 || a.x > rect.width || a.y > rect.height) continue;
                out.push([id, a.x + rect.left, a.y + rect.top, b.x + rect.left, b.y + rect.top]);
            }
            return out; }""")

    def close(self) -> None:
        self.context.close()


def overlapping_labels(boxes: list[list]) -> list[tuple[str, str]]:
    """Pairs of label boxes ``[id, left, top, right, bottom]`` that overlap (touching edges do not count)."""
    if len(boxes) < 2:
        return []
    ids = [b[0] for b in boxes]
    b = np.array([box[1:] for box in boxes], dtype=float)
    left, top, right, bottom = (b[:, k] for k in range(4))
    hit = ((left[:, None] < right[None, :] - 0.5) & (left[None, :] < right[:, None] - 0.5)
           & (top[:, None] < bottom[None, :] - 0.5) & (top[None, :] < bottom[:, None] - 0.5))
    i, j = np.nonzero(np.triu(hit, k=1))
    return [(ids[x], ids[y]) for x, y in zip(i.tolist(), j.tolist())]
