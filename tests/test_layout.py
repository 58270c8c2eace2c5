"""Positions of the HTML view: no two nodes' boxes (shape and label) overlap, whatever the network."""

from __future__ import annotations

import random

import numpy as np
import pytest

from carekg.view.layout import NodeShape, extent, layout, overlapping_pairs, remove_overlaps, short_label, text_width


def boxes_overlap(positions: dict, shapes: dict) -> list:
    nodes = list(positions)
    sizes = np.array([extent(shapes[n]) for n in nodes])
    centres = np.array([[positions[n][0], positions[n][1] + sizes[k, 2]] for k, n in enumerate(nodes)])
    return [(nodes[i], nodes[j]) for i, j in overlapping_pairs(centres, sizes[:, 0], sizes[:, 1])]


def random_network(n: int, links: int, seed: int = 1) -> tuple[list[str], list[tuple[str, str, float]], dict]:
    rng = random.Random(seed)
    nodes = [f"n{k}" for k in range(n)]
    hubs = nodes[: max(2, n // 20)]
    edges = {(rng.choice(hubs), rng.choice(nodes)) for _ in range(links)} | {tuple(rng.sample(nodes, 2)) for _ in range(links // 2)}
    edges = [(a, b, float(rng.randint(1, 5))) for a, b in sorted(edges) if a != b]
    names = ["Become", "The Fostering Network", "Association of Directors of Children's Services", "Pause", "UK Government",
             "National Association of Independent Reviewing Officers", "Together Trust", "BAAF"]
    shapes = {node: NodeShape(short_label(f"{rng.choice(names)} {k}"), size=rng.uniform(7, 22)) for k, node in enumerate(nodes)}
    return nodes, edges, shapes


@pytest.mark.parametrize("n, links", [(2, 1), (13, 31), (60, 200), (400, 3000)])
def test_force_layout_leaves_no_overlaps(n, links):
    nodes, edges, shapes = random_network(n, links)
    positions = layout(nodes, edges, shapes)
    assert sorted(positions) == sorted(nodes)
    assert boxes_overlap(positions, shapes) == []


def test_layout_is_reproducible():
    nodes, edges, shapes = random_network(80, 300, seed=4)
    assert layout(nodes, edges, shapes) == layout(nodes, edges, shapes)


def test_nodes_without_links_go_below_the_rest():
    nodes, edges, shapes = random_network(30, 40)
    lonely = ["alone-1", "alone-2", "alone-3"]
    shapes.update({n: NodeShape(n, size=8) for n in lonely})
    positions = layout(nodes + lonely, edges, shapes)
    linked = {a for a, _, _ in edges} | {b for _, b, _ in edges}
    lowest_linked = max(positions[n][1] + sum(extent(shapes[n])[1:]) for n in linked)
    assert all(positions[n][1] > lowest_linked for n in lonely)
    assert boxes_overlap(positions, shapes) == []


def test_divergence_camps_are_placed_left_and_right():
    nodes, edges, shapes = random_network(40, 80, seed=7)
    camps = {n: k % 2 for k, n in enumerate(nodes)}
    positions = layout(nodes, edges, shapes, kind="divergence", camps=camps)
    linked = {a for a, _, _ in edges} | {b for _, b, _ in edges}
    right_edge_of_a = max(positions[n][0] + extent(shapes[n])[0] / 2 for n in linked if camps[n] == 0)
    left_edge_of_b = min(positions[n][0] - extent(shapes[n])[0] / 2 for n in linked if camps[n] == 1)
    assert right_edge_of_a < 0 < left_edge_of_b
    assert boxes_overlap(positions, shapes) == []


def test_affiliation_puts_organisations_between_two_columns_of_proposals():
    organisations = [f"org{k}" for k in range(12)]
    proposals = [f"proposal:{k}" for k in range(28)]
    rng = random.Random(5)
    edges = sorted({(o, rng.choice(proposals), 1.0) for o in organisations for _ in range(5)})
    shapes = {o: NodeShape(short_label(f"Organisation number {o}"), size=10) for o in organisations}
    shapes.update({p: NodeShape(short_label(f"A proposal with a long name, number {p}", width=26), font=13, boxed=True)
                   for p in proposals})
    positions = layout(organisations + proposals, edges, shapes, kind="affiliation", proposals=proposals)
    assert {positions[o][0] for o in organisations} == {0.0}
    linked = {p for _, p, _ in edges}
    sides = {np.sign(positions[p][0]) for p in linked}
    assert sides == {-1.0, 1.0}
    assert boxes_overlap(positions, shapes) == []


def test_remove_overlaps_parts_boxes_on_one_spot():
    centres = np.zeros((25, 2))
    widths, heights = np.full(25, 80.0), np.full(25, 30.0)
    assert len(overlapping_pairs(remove_overlaps(centres, widths, heights), widths, heights, 8.0)) == 0


def test_short_labels_fit_two_lines():
    for label in ["Become", "Association of Directors of Children's Services",
                  "A proposal whose label goes on and on and on well past two lines of text"]:
        short = short_label(label)
        assert len(short.split("\n")) <= 2 and all(len(line) <= 25 for line in short.split("\n"))
        assert short.replace("\n", " ").rstrip("…").split() == label.split()[:len(short.replace("\n", " ").rstrip("…").split())]


def test_text_width_is_generous_for_unknown_characters():
    assert text_width("ÉÉÉ", 10) >= text_width("EEE", 10)
    assert text_width("", 14) == 0
