"""Where each node of the graph page sits: a deterministic layout, in screen pixels at zoom 1.

The first level stands in columns: the mechanisms in the middle, the systems of the metal with most
systems on the left and those of the other metals on the right, each metal beyond its systems, the rows
ordered to cross fewer lines. Each further level (supports, centre metals, techniques, quantities and
materials; then references, challenges and prospects) is placed node by node beyond what it links to,
at the nearest spot where its box overlaps no other, with the levels below held still, so that more
detail adds nodes without moving any. A box holds a node's shape and its label, measured in the font
the page draws with (DejaVu Sans, matplotlib's copy of it).
"""

from __future__ import annotations

import functools
import heapq
import math

import networkx as nx

FONT_FACE = "DejaVu Sans"
LABEL_GAP = 3  # vis-network draws a label this far below its node
LINE_HEIGHT = 1.25
PADDING = 10  # room kept between two boxes
INSIDE_MARGIN = 7  # vis-network's margin (6) around a label inside its shape, and the border
TALLEST = 900.0  # px, a column of the first view before it is split: a 1000 px high canvas at zoom 1
COLUMN_GAP = 70
RING_STEP = 10  # px between the spots tried near the wanted one
OUTWARD = 60  # how far a satellite is first tried beyond its neighbours, away from the centre


@functools.lru_cache(maxsize=1)
def _font():
    from matplotlib import font_manager
    from matplotlib.ft2font import FT2Font

    return FT2Font(font_manager.findfont(font_manager.FontProperties(family=FONT_FACE)))


@functools.lru_cache(maxsize=4096)
def text_width(text: str, size: float) -> float:
    """Width in pixels of `text` at `size` px in the page's font."""
    font = _font()
    font.set_size(size, 72)  # 72 dpi: points are pixels
    font.set_text(text, 0.0)
    return font.get_width_height()[0] / 64.0


class Box:
    """The room a node takes: its shape with the label inside (box, circle), or a shape of `size` with
    the label below it; `offset` is how far the box's centre lies below the node's centre."""

    __slots__ = ("width", "height", "offset")

    def __init__(self, label: str, font: float, size: float, inside: str | None = None):
        text_w, text_h = text_width(label, font), LINE_HEIGHT * font if label else 0.0
        if inside == "circle":
            self.width = self.height = max(text_w, text_h) + 2 * INSIDE_MARGIN + PADDING
            self.offset = 0.0
        elif inside:
            self.width = text_w + 2 * INSIDE_MARGIN + PADDING
            self.height = text_h + 2 * INSIDE_MARGIN + PADDING
            self.offset = 0.0
        else:
            self.width = max(2 * size, text_w) + PADDING
            self.height = 2 * size + LABEL_GAP + text_h + PADDING
            self.offset = (self.height - 2 * size) / 2 - PADDING / 2


def _undirected(graph, nodes) -> nx.Graph:
    simple = nx.Graph()
    simple.add_nodes_from(sorted(nodes))
    for source, target in graph.edges():
        if source in simple and target in simple and source != target:
            weight = simple.get_edge_data(source, target, {"weight": 0})["weight"] + 1
            simple.add_edge(source, target, weight=weight)
    return simple


def _mean(values, default: float) -> float:
    values = list(values)
    return sum(values) / len(values) if values else default


def _stack(order: list[str], x: float, boxes: dict, pos: dict, tallest: float = TALLEST) -> float:
    """Place `order` top to bottom around y = 0 at `x`, in as many side-by-side columns as the height
    needs; returns the width taken."""
    if not order:
        return 0.0
    heights = [boxes[n].height for n in order]
    columns = max(1, math.ceil(sum(heights) / tallest))
    per_column = math.ceil(len(order) / columns)
    width = max(boxes[n].width for n in order)
    for c in range(columns):
        part = order[c * per_column:(c + 1) * per_column]
        total = sum(boxes[n].height for n in part)
        y = -total / 2
        column_x = x + (c - (columns - 1) / 2) * width
        for n in part:
            pos[n] = (column_x, y + boxes[n].height / 2 - boxes[n].offset)
            y += boxes[n].height
    return width * columns


def _backbone(graph, nodes: list[str], boxes: dict) -> dict:
    """The first level in columns: mechanisms in the middle, the systems of the metal with most systems
    on the left and of the other metals on the right, each metal beyond its systems; rows ordered by
    the mean row of what they link to (fewer crossings)."""
    simple = _undirected(graph, nodes)
    kind = {n: graph.nodes[n]["kind"] for n in nodes}
    metals = sorted((n for n in nodes if kind[n] == "alkali metal"),
                    key=lambda m: (-simple.degree(m), graph.nodes[m]["label"]))
    mechanisms = sorted((n for n in nodes if kind[n] == "mechanism"),
                        key=lambda m: (-simple.degree(m), graph.nodes[m]["label"]))
    rest = [n for n in nodes if n not in metals and n not in mechanisms]
    side = {}
    for node in rest:
        linked = [m for m in metals if simple.has_edge(node, m)]
        side[node] = -1 if not linked or linked[0] == metals[0] else 1
    row = {m: float(i) for i, m in enumerate(mechanisms)}
    for _round in range(12):
        for node in rest:
            row[node] = _mean((row[m] for m in simple[node] if m in mechanisms), len(mechanisms) + 1.0)
        for metal in metals:
            row[metal] = _mean((row[n] for n in simple[metal] if n in side), 0.0)
        for mechanism in mechanisms:
            row[mechanism] = _mean((row[n] for n in simple[mechanism] if n in side), row[mechanism])

    def ordered(group):
        return sorted(group, key=lambda n: (row[n], graph.nodes[n]["label"], n))

    pos: dict = {}
    middle = max((boxes[m].width for m in mechanisms), default=0.0)
    for direction in (-1, 1):
        group = ordered(n for n in rest if side[n] == direction)
        if not group:
            continue
        width = max(boxes[n].width for n in group)
        x = direction * (middle / 2 + width / 2 + COLUMN_GAP) if mechanisms else direction * (width / 2)
        taken = _stack(group, x, boxes, {})
        x = direction * (abs(x) + (taken - width) / 2)
        _stack(group, x, boxes, pos)
        beyond = [m for m in metals if (m == metals[0]) == (direction == -1)]
        for metal in beyond:
            pos[metal] = (x + direction * (taken / 2 + boxes[metal].width / 2 + COLUMN_GAP),
                          _mean((pos[n][1] for n in simple[metal] if n in pos), 0.0))
        _spaced(beyond, pos, boxes)
    for mechanism in mechanisms:
        pos[mechanism] = (0.0, _mean((pos[n][1] for n in simple[mechanism] if n in pos), 0.0))
    _spaced(mechanisms, pos, boxes)
    for metal in metals:
        pos.setdefault(metal, (-(middle / 2 + COLUMN_GAP * 2), 0.0))
    return pos


def _spaced(group: list[str], pos: dict, boxes: dict) -> None:
    """Move a column's nodes apart vertically, keeping their order and their mean height."""
    if len(group) < 2:
        return
    order = sorted(group, key=lambda n: (pos[n][1], n))
    wanted = [pos[n][1] for n in order]
    placed = [wanted[0]]
    for before, node, y in zip(order, order[1:], wanted[1:]):
        placed.append(max(y, placed[-1] + (boxes[before].height + boxes[node].height) / 2))
    shift = sum(wanted) / len(wanted) - sum(placed) / len(placed)
    for node, y in zip(order, placed):
        pos[node] = (pos[node][0], y + shift)


class _Taken:
    """The boxes placed so far, to find the free spot nearest a wanted one."""

    def __init__(self):
        import numpy as np

        self.count = 0
        self.centres, self.halves = np.zeros((64, 2)), np.zeros((64, 2))

    def add(self, x: float, y: float, box: Box) -> None:
        import numpy as np

        if self.count == len(self.centres):
            self.centres = np.concatenate([self.centres, np.zeros_like(self.centres)])
            self.halves = np.concatenate([self.halves, np.zeros_like(self.halves)])
        self.centres[self.count] = (x, y + box.offset)
        self.halves[self.count] = (box.width / 2, box.height / 2)
        self.count += 1

    def free(self, x: float, y: float, box: Box) -> tuple[float, float]:
        """The point nearest (x, y), searched on widening ellipses (finely near it, more coarsely
        further out), where `box` overlaps nothing."""
        import numpy as np

        centres, halves = self.centres[:self.count], self.halves[:self.count]
        radius = 0.0
        while self.count:
            steps = max(1, int(2 * math.pi * radius / RING_STEP))
            angles = np.arange(steps) * (2 * math.pi / steps)
            xs = x + 1.6 * radius * np.cos(angles)
            ys = y + radius * np.sin(angles) + box.offset
            near = ((np.abs(centres[:, 0] - x) < 1.6 * radius + halves[:, 0] + box.width / 2)
                    & (np.abs(centres[:, 1] - y - box.offset) < radius + halves[:, 1] + box.height / 2))
            if not near.any():
                return float(xs[0]), float(ys[0] - box.offset)
            c, h = centres[near], halves[near]
            over_x = (h[None, :, 0] + box.width / 2) - np.abs(xs[:, None] - c[None, :, 0])
            over_y = (h[None, :, 1] + box.height / 2) - np.abs(ys[:, None] - c[None, :, 1])
            clear = ~((over_x > 0) & (over_y > 0)).any(axis=1)
            if clear.any():
                k = int(np.argmax(clear))
                return float(xs[k]), float(ys[k] - box.offset)
            radius += max(RING_STEP, radius * 0.08)
        return x, y


def _around(graph, node: str, pos: dict, bounds: tuple) -> tuple:
    """Where a node of a higher level would like to be: beyond the middle of its placed neighbours,
    away from the centre of the drawing; below it, from the left, if nothing it links to is placed."""
    near = [pos[n] for n in nx.all_neighbors(graph, node) if n in pos]
    left, top, right, bottom = bounds
    if not near:
        return (left, bottom + 60)
    x = sum(p[0] for p in near) / len(near)
    y = sum(p[1] for p in near) / len(near)
    cx, cy = (left + right) / 2, (top + bottom) / 2
    dx, dy = x - cx, y - cy
    length = math.hypot(dx, dy) or 1.0
    return (x + dx / length * OUTWARD, y + dy / length * OUTWARD)


def _bounds(pos: dict) -> tuple:
    xs, ys = [p[0] for p in pos.values()], [p[1] for p in pos.values()]
    return (min(xs), min(ys), max(xs), max(ys)) if pos else (0.0, 0.0, 0.0, 0.0)


def positions(graph: nx.MultiDiGraph, level: dict, boxes: dict) -> dict:
    """Node -> (x, y) in pixels for every node of `graph`, level by level (see the module's text)."""
    pos: dict = {}
    level = dict(level)
    first = min(level.values(), default=1)
    for node in graph:  # a first-level node linked to no other is drawn (and placed) with the next level
        if level[node] == first and not any(level[o] == first for o in nx.all_neighbors(graph, node) if o != node):
            level[node] = first + 1
    taken = _Taken()
    for depth in sorted(set(level.values())):
        nodes = sorted(n for n in graph if level[n] == depth)
        if not pos:  # the columns, each node then moved only as far as it overlaps another
            for node, (x, y) in sorted(_backbone(graph, nodes, boxes).items()):
                pos[node] = taken.free(x, y, boxes[node])
                taken.add(*pos[node], boxes[node])
            continue
        bounds = _bounds(pos)
        placed_near = {n: sum(1 for o in nx.all_neighbors(graph, n) if o in pos) for n in nodes}
        queue = [(-placed_near[n], graph.nodes[n]["label"], n) for n in nodes]
        heapq.heapify(queue)
        while queue:  # the node with most placed neighbours first, so that chains grow outward
            count, _label, node = heapq.heappop(queue)
            if node in pos or -count != placed_near[node]:
                continue  # placed already, or queued again since with more placed neighbours
            x, y = taken.free(*_around(graph, node, pos, bounds), boxes[node])
            pos[node] = (x, y)
            taken.add(x, y, boxes[node])
            for other in set(nx.all_neighbors(graph, node)):
                if other in placed_near and other not in pos:
                    placed_near[other] += graph.has_edge(node, other) + graph.has_edge(other, node)
                    heapq.heappush(queue, (-placed_near[other], graph.nodes[other]["label"], other))
    return {n: (round(x, 1), round(y, 1)) for n, (x, y) in pos.items()}
