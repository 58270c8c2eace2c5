"""Where each node of a view goes: readable layouts in which no two labels overlap.

The view draws nodes at the positions computed here and never moves them by
itself (physics is off), so what is checked here is what the reader sees.
Positions are in the page's canvas pixels at zoom 1; zooming scales labels and
distances alike, so labels that do not overlap at zoom 1 overlap at no zoom.

- One-mode networks: a force-directed layout (igraph's Fruchterman–Reingold,
  fixed seed), spread so that labels fit, then overlaps removed.
- Divergence networks: the same, with the two camps of
  :func:`carekg.networks.coalitions.polarisation` placed left and right.
- Affiliation: organisations in a middle column, proposals in columns on
  either side, each column ordered to keep links short (barycentre sweeps).
- Nodes without a link go on shelves below the rest, so hiding them leaves
  no holes.

Label sizes are estimated from the widths of the page's font (Arial and its
metric twins, Liberation Sans and Arimo) with a margin.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from typing import Hashable, Iterable, Sequence

import numpy as np

__all__ = ["FONT_STACK", "LABEL_GAP", "NodeShape", "short_label", "text_width", "extent", "remove_overlaps",
           "overlapping_pairs", "layout"]

FONT_STACK = "Arial, 'Liberation Sans', Arimo, Helvetica, sans-serif"
LABEL_GAP = 8.0  # pixels kept free between two nodes' boxes (label and shape)
LABEL_DROP = 11.0  # vis-network draws a shape's label this far below the shape
BOX_MARGIN = 5.0  # vis-network's margin inside a box shape
EVEN_OUT = 0.7  # how much of a node's rank goes into its coordinate (see _even_out)
STEP = 1.0  # how far each overlapping pair is pushed apart per round, in half-overlaps
DENSITY = 0.28  # share of the layout's area that boxes fill before overlaps are removed
# Advance widths of Arial / Liberation Sans / Arimo (1/1000 em) for " " … "~"; others count 1 em.
_WIDTHS = [278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556, 556, 556,
           556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556, 1015, 667, 667, 722, 722, 667, 611, 778, 722, 278,
           500, 667, 556, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469,
           556, 333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556, 556, 556, 333, 500,
           278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584]
_SAFETY = 1.06  # text is drawn a little wider than its advance widths in some fonts


@dataclass(frozen=True)
class NodeShape:
    """How a node is drawn: its canvas label, font size, and either a shape of radius ``size`` or a box."""

    label: str  # the short label drawn on the canvas; lines separated by "\n"
    font: int = 14
    size: float = 10.0  # radius of a dot, diamond, … (ignored for boxes)
    boxed: bool = False  # the label is inside a box (proposals)


def short_label(label: str, width: int = 24, lines: int = 2) -> str:
    """The label cut to at most ``lines`` lines of about ``width`` characters, at words, with "…".

    >>> short_label("Become")
    'Become'
    >>> short_label("The Fostering Network")
    'The Fostering Network'
    >>> short_label("Association of Directors of Children's Services")
    "Association of Directors\\nof Children's Services"
    >>> short_label("Support for parents after removal from the family home and beyond")
    'Support for parents\\nafter removal from the…'
    >>> short_label("Supercalifragilisticexpialidociousness and more", width=10, lines=1)
    'Supercali…'
    """
    words = " ".join(label.split()).split(" ")
    rows: list[str] = []
    current = ""
    for index, word in enumerate(words):
        candidate = f"{current} {word}".strip()
        if len(candidate) <= width or not current:
            current = candidate
            continue
        rows.append(current)
        current = word
        if len(rows) == lines:
            current = " ".join(words[index:])
            break
    rows.append(current)
    if len(rows) > lines:
        rows = rows[:lines]
        rows[-1] = rows[-1].rstrip(",;:-") + "\u2026"
        if len(rows[-1]) > width + 1:
            rows[-1] = rows[-1][:width - 1].rstrip() + "\u2026"
    elif len(rows[-1]) > width + 1:
        rows[-1] = rows[-1][:width - 1].rstrip() + "\u2026"
    return "\n".join(rows)


def text_width(text: str, font: float) -> float:
    """The drawn width of one line of text in pixels, a little generously.

    >>> round(text_width("Become", 14), 1)
    54.4
    """
    units = sum(_WIDTHS[ord(c) - 32] if 32 <= ord(c) < 127 else 1000 for c in text)
    return units / 1000 * font * _SAFETY


def extent(shape: NodeShape) -> tuple[float, float, float]:
    """The box a node takes with its label: width, height, and how far its centre lies below the node's.

    >>> [round(v, 1) for v in extent(NodeShape("Become", font=14, size=10))]
    [54.4, 45.0, 12.5]
    >>> extent(NodeShape("A box", font=13, boxed=True))[1]
    23.0
    """
    lines = shape.label.split("\n") if shape.label else []
    label_width = max((text_width(line, shape.font) for line in lines), default=0.0)
    label_height = len(lines) * shape.font
    if shape.boxed:
        return label_width + 2 * BOX_MARGIN, label_height + 2 * BOX_MARGIN, 0.0
    below = LABEL_DROP + label_height if lines else 0.0
    return max(2 * shape.size, label_width), 2 * shape.size + below, below / 2


def overlapping_pairs(centres: np.ndarray, widths: np.ndarray, heights: np.ndarray, gap: float = 0.0) -> np.ndarray:
    """Index pairs (i < j) of boxes that overlap once each is grown by ``gap`` / 2 on every side.

    >>> c = np.array([[0.0, 0.0], [10.0, 0.0], [100.0, 0.0]])
    >>> overlapping_pairs(c, np.array([20.0, 20.0, 20.0]), np.array([10.0, 10.0, 10.0])).tolist()
    [[0, 1]]
    """
    from scipy.spatial import cKDTree

    if len(centres) < 2:
        return np.zeros((0, 2), dtype=int)
    reach = float(max(widths.max(), heights.max()) + gap)
    pairs = cKDTree(centres).query_pairs(reach, p=np.inf, output_type="ndarray")
    if len(pairs) == 0:
        return np.zeros((0, 2), dtype=int)
    i, j = pairs[:, 0], pairs[:, 1]
    dx = np.abs(centres[j, 0] - centres[i, 0])
    dy = np.abs(centres[j, 1] - centres[i, 1])
    hit = (dx < (widths[i] + widths[j]) / 2 + gap) & (dy < (heights[i] + heights[j]) / 2 + gap)
    found = np.sort(pairs[hit], axis=1)
    return found[np.lexsort((found[:, 1], found[:, 0]))]


def remove_overlaps(centres: np.ndarray, widths: np.ndarray, heights: np.ndarray, gap: float = LABEL_GAP,
                    patience: int = 20) -> np.ndarray:
    """Move boxes apart until none overlaps, each pair along the axis where it overlaps least.

    Each round pushes every overlapping pair apart by half its overlap on each
    side; whenever ``patience`` rounds bring no fewer overlaps, the layout is
    stretched by 4% and the rounds go on, which always ends (boxes with
    distinct centres part when stretched far enough).

    >>> c = np.array([[0.0, 0.0], [5.0, 1.0], [5.0, 1.0]])
    >>> done = remove_overlaps(c, np.array([40.0, 40.0, 40.0]), np.array([20.0, 20.0, 20.0]))
    >>> len(overlapping_pairs(done, np.array([40.0] * 3), np.array([20.0] * 3), 8.0))
    0
    """
    xy = np.array(centres, dtype=float)
    n = len(xy)
    if n < 2:
        return xy
    # Identical centres cannot be told apart by direction: nudge them apart deterministically.
    _, first, inverse = np.unique(xy.round(6), axis=0, return_index=True, return_inverse=True)
    inverse = np.asarray(inverse).ravel()
    duplicate = np.ones(n, dtype=bool)
    duplicate[first] = False
    for k in np.flatnonzero(duplicate):
        angle = 2.399963 * k  # golden angle: repeated nudges point different ways
        xy[k] += np.array([math.cos(angle), math.sin(angle)]) * (1.0 + k % 7)
    best, stalled = n * n, 0
    while True:
        pairs = overlapping_pairs(xy, widths, heights, gap)
        if len(pairs) == 0:
            return xy
        best, stalled = (len(pairs), 0) if len(pairs) < best else (best, stalled + 1)
        if stalled >= patience:  # boxes jammed in a row push each other to and fro: give them a little room
            middle = xy.mean(axis=0)
            xy = middle + (xy - middle) * 1.04
            best, stalled = len(pairs), 0
            continue
        i, j = pairs[:, 0], pairs[:, 1]
        dx, dy = xy[j, 0] - xy[i, 0], xy[j, 1] - xy[i, 1]
        over_x = (widths[i] + widths[j]) / 2 + gap - np.abs(dx)
        over_y = (heights[i] + heights[j]) / 2 + gap - np.abs(dy)
        along_x = over_x / np.maximum(widths[i] + widths[j], 1) <= over_y / np.maximum(heights[i] + heights[j], 1)
        sign_x = np.where(dx != 0, np.sign(dx), np.where(i < j, 1.0, -1.0))
        sign_y = np.where(dy != 0, np.sign(dy), np.where(i < j, 1.0, -1.0))
        step = np.zeros((len(pairs), 2))
        step[:, 0] = np.where(along_x, sign_x * (over_x / 2 + 0.5), 0.0)
        step[:, 1] = np.where(along_x, 0.0, sign_y * (over_y / 2 + 0.5))
        move = np.zeros_like(xy)
        np.add.at(move, j, step)
        np.add.at(move, i, -step)
        xy += move * STEP  # a little under half each way: many pairs push on the same node at once


# --- the layouts --------------------------------------------------------------------

def _boxes(nodes: Sequence[Hashable], shapes: dict[Hashable, NodeShape]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    sizes = np.array([extent(shapes[n]) for n in nodes], dtype=float).reshape(-1, 3)
    return sizes[:, 0], sizes[:, 1], sizes[:, 2]


def _force(nodes: list[Hashable], edges: list[tuple[Hashable, Hashable, float]], seed: int) -> np.ndarray:
    """Fruchterman–Reingold (igraph, C, grid-accelerated when large), seeded: the same input, the same layout."""
    import igraph

    if len(nodes) == 1:
        return np.zeros((1, 2))
    index = {n: k for k, n in enumerate(nodes)}
    graph = igraph.Graph(n=len(nodes), edges=[(index[a], index[b]) for a, b, _ in edges])
    strongest = max((abs(w) for _, _, w in edges), default=1.0) or 1.0
    weights = [1.0 + 2.0 * abs(w) / strongest for _, _, w in edges]
    # igraph draws its random start from the generator given here: a seeded one makes the layout reproducible.
    previous = igraph.set_random_number_generator(random.Random(seed))
    try:
        found = graph.layout_fruchterman_reingold(weights=weights, niter=500, grid="auto" if len(nodes) > 1000 else "nogrid")
    finally:
        igraph.set_random_number_generator(previous if previous is not None else random)
    return np.array(found.coords, dtype=float)


def _spread(xy: np.ndarray, widths: np.ndarray, heights: np.ndarray) -> np.ndarray:
    """Scale a layout so its boxes would fill about ``DENSITY`` of its area, then part any that overlap."""
    xy = _even_out(xy)
    xy = xy - xy.mean(axis=0)
    if len(xy) > 1:
        area = float(((widths + LABEL_GAP) * (heights + LABEL_GAP)).sum()) / DENSITY
        span = np.ptp(xy, axis=0)
        current = max(float(span[0]) * float(span[1]), float(span.max()) ** 2 / 4, 1e-9)
        xy = xy * math.sqrt(area / current)
    return remove_overlaps(xy, widths, heights)


def _even_out(xy: np.ndarray) -> np.ndarray:
    """Blend each coordinate with its rank: dense cores open up, the order of nodes left to right and top down stays.

    Force layouts pack hubs tightly and leave the rim sparse; boxes then
    overlap by the hundred in the core and removing that takes many rounds.
    """
    if len(xy) < 3:
        return xy
    out = np.empty_like(xy)
    for axis in (0, 1):
        values = xy[:, axis]
        spread = float(np.ptp(values)) or 1.0
        ranks = np.argsort(np.argsort(values, kind="stable"), kind="stable") / (len(values) - 1)
        out[:, axis] = EVEN_OUT * ranks + (1 - EVEN_OUT) * (values - values.min()) / spread
    return out


def _bounds(xy: np.ndarray, widths: np.ndarray, heights: np.ndarray) -> tuple[float, float, float, float]:
    if len(xy) == 0:
        return 0.0, 0.0, 0.0, 0.0
    return (float((xy[:, 0] - widths / 2).min()), float((xy[:, 1] - heights / 2).min()),
            float((xy[:, 0] + widths / 2).max()), float((xy[:, 1] + heights / 2).max()))


def _shelves(widths: np.ndarray, heights: np.ndarray, row_width: float) -> np.ndarray:
    """Box centres packed in rows (left to right, top down) no wider than ``row_width``, from (0, 0)."""
    xy = np.zeros((len(widths), 2))
    x = y = row_height = 0.0
    for k, (w, h) in enumerate(zip(widths, heights)):
        if x > 0 and x + w > row_width:
            x, y, row_height = 0.0, y + row_height + LABEL_GAP, 0.0
        xy[k] = (x + w / 2, y + h / 2)
        x += w + LABEL_GAP
        row_height = max(row_height, h)
    return xy


def _columns(organisations: list[Hashable], proposals: list[Hashable], edges: list[tuple[Hashable, Hashable, float]],
             widths: dict[Hashable, float], heights: dict[Hashable, float]) -> dict[Hashable, tuple[float, float]]:
    """Organisations in the middle, proposals in a column either side, ordered by barycentre sweeps."""
    links: dict[Hashable, list[Hashable]] = {n: [] for n in organisations + proposals}
    for a, b, _ in edges:
        links[a].append(b)
        links[b].append(a)

    def stack(column: list[Hashable]) -> dict[Hashable, float]:
        total = sum(heights[n] for n in column) + LABEL_GAP * 1.5 * max(len(column) - 1, 0)
        y, placed = -total / 2, {}
        for n in column:
            placed[n] = y + heights[n] / 2
            y += heights[n] + LABEL_GAP * 1.5
        return placed

    def order(column: list[Hashable], y: dict[Hashable, float]) -> list[Hashable]:
        rank = {n: k for k, n in enumerate(column)}
        def centre(n: Hashable) -> float:
            ys = [y[m] for m in links[n] if m in y]
            return sum(ys) / len(ys) if ys else float(rank[n])
        return sorted(column, key=lambda n: (centre(n), rank[n]))

    y = stack(proposals)
    organisations = order(organisations, y)
    y.update(stack(organisations))
    ranked = order(proposals, y)
    left, right = ranked[0::2], ranked[1::2]  # alternate sides so that both columns span the whole height
    for _ in range(6):
        y = {**stack(left), **stack(right)}
        organisations = order(organisations, y)
        y.update(stack(organisations))
        left, right = order(left, y), order(right, y)
    y = {**stack(left), **stack(right), **stack(organisations)}
    middle = max((widths[n] for n in organisations), default=0.0) / 2
    corridor = 240.0
    placed = {n: (0.0, y[n]) for n in organisations}
    placed.update({n: (-(middle + corridor) - widths[n] / 2, y[n]) for n in left})
    placed.update({n: (middle + corridor + widths[n] / 2, y[n]) for n in right})
    return placed


def layout(nodes: Sequence[Hashable], edges: Iterable[tuple[Hashable, Hashable, float]], shapes: dict[Hashable, NodeShape],
           *, kind: str = "agreement", camps: dict[Hashable, int] | None = None,
           proposals: Iterable[Hashable] = (), seed: int = 7) -> dict[Hashable, tuple[float, float]]:
    """Canvas positions (x, y) of ``nodes`` such that no two nodes' boxes (shape and label) overlap.

    ``edges`` are the links drawn, as (a, b, weight). ``kind="affiliation"``
    puts ``proposals`` in side columns; ``camps`` (node → 0 or 1) places a
    divergence network's camps left and right. Nodes without a drawn link go
    on shelves below.

    >>> shapes = {n: NodeShape(n, size=8) for n in "abcd"}
    >>> xy = layout(list("abcd"), [("a", "b", 1), ("b", "c", 2)], shapes)
    >>> sorted(xy) == list("abcd") and xy["d"][1] > max(xy[n][1] for n in "abc")
    True
    """
    nodes = list(nodes)
    edges = [(a, b, float(w)) for a, b, w in edges]
    linked = {a for a, _, _ in edges} | {b for _, b, _ in edges}
    connected = [n for n in nodes if n in linked]
    loose = [n for n in nodes if n not in linked]
    widths, heights, drops = _boxes(nodes, shapes)
    width_of = dict(zip(nodes, widths))
    height_of = dict(zip(nodes, heights))
    drop_of = dict(zip(nodes, drops))
    # Layouts work on box centres; a node sits ``drop`` above the centre of its box.
    centres: dict[Hashable, tuple[float, float]] = {}
    if connected and kind == "affiliation":
        proposal_set = set(proposals)
        columns = _columns([n for n in connected if n not in proposal_set], [n for n in connected if n in proposal_set],
                           edges, width_of, height_of)
        centres.update(columns)
    elif connected:
        raw = _force(connected, edges, seed)
        groups: list[list[int]] = [list(range(len(connected)))]
        if camps:
            groups = [[k for k, n in enumerate(connected) if camps.get(n, -1) == c] for c in (0, 1, -1)]
        w = np.array([width_of[n] for n in connected])
        h = np.array([height_of[n] for n in connected])
        placed = np.zeros_like(raw)
        parts = []
        for group in groups:
            if group:
                placed[group] = _spread(raw[group], w[group], h[group])
                parts.append(group)
        if camps and len(parts) > 1:
            placed = _side_by_side(placed, w, h, groups)
        centres.update({n: (float(placed[k, 0]), float(placed[k, 1])) for k, n in enumerate(connected)})
    if loose:
        w = np.array([width_of[n] for n in loose])
        h = np.array([height_of[n] for n in loose])
        if connected:
            c = np.array([centres[n] for n in connected])
            left, _, right, bottom = _bounds(c, np.array([width_of[n] for n in connected]), np.array([height_of[n] for n in connected]))
        else:
            left, bottom, right = 0.0, -LABEL_GAP * 6, 0.0
        row = max(right - left, math.sqrt(float(((w + LABEL_GAP) * (h + LABEL_GAP)).sum()) * 2.0), float(w.max()))
        shelf = _shelves(w, h, row)
        shelf_width = float((shelf[:, 0] + w / 2).max())
        origin = np.array([(left + right) / 2 - shelf_width / 2, bottom + LABEL_GAP * 6])
        centres.update({n: (float(shelf[k, 0] + origin[0]), float(shelf[k, 1] + origin[1])) for k, n in enumerate(loose)})
    return {n: (round(float(centres[n][0]), 1), round(float(centres[n][1] - drop_of[n]), 1)) for n in nodes}


def _side_by_side(xy: np.ndarray, widths: np.ndarray, heights: np.ndarray, groups: list[list[int]]) -> np.ndarray:
    """Camp A left of the middle, camp B right of it, nodes in neither below; a wide corridor between."""
    corridor = 160.0
    out = xy.copy()
    a, b, rest = groups
    for group, side in ((a, -1), (b, 1)):
        if not group:
            continue
        left, top, right, bottom = _bounds(xy[group], widths[group], heights[group])
        shift_x = (-corridor / 2 - right) if side < 0 else (corridor / 2 - left)
        out[group] += np.array([shift_x, -(top + bottom) / 2])
    if rest:
        placed = [k for k in a + b]
        _, _, _, low = _bounds(out[placed], widths[placed], heights[placed]) if placed else (0, 0, 0, 0)
        left, top, right, _ = _bounds(xy[rest], widths[rest], heights[rest])
        out[rest] += np.array([-(left + right) / 2, low + LABEL_GAP * 4 - top])
    return out
