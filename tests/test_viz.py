"""The interactive graph in a real headless browser (Debian's chromium, driven by Playwright)."""

import shutil

import pytest
from conftest import FIXTURES, debian_tool

from kg.cli.commands import main

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    executable = debian_tool(CHROMIUM, "chromium")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=ARGS)
        yield launched
        launched.close()


def open_page(browser, path, size=(1400, 1000)):
    page = browser.new_page(viewport={"width": size[0], "height": size[1]})
    outside, errors = [], []
    page.on("request", lambda r: None if r.url.startswith(("file:", "data:", "blob:")) else outside.append(r.url))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"file://{path}")
    page.wait_for_function("window.sackg && window.sackg.stable", timeout=120000)
    return page, outside, errors


@pytest.mark.slow
def test_whole_graph_loads_offline_draws_and_filters(browser, runner, tmp_path):
    from kg.engine.opening import open_kb
    from kg.field.graph import build_graph

    out = tmp_path / "graph.html"
    result = runner.invoke(main, ["viz", "-o", str(out)])
    expected = build_graph(open_kb(), fold=True).number_of_nodes()
    assert (result.exit_code, result.output) == (0, f"{out}: {expected} entities\n")
    page, outside, errors = open_page(browser, out)
    assert outside == [] and errors == []
    assert page.evaluate("window.sackg.nodes.length") == expected
    drawn = page.evaluate("""() => { const c = document.querySelector('#mynetwork canvas');
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        let ink = 0; for (let i = 3; i < d.length; i += 4) if (d[i] > 0) ink++; return ink; }""")
    assert drawn > 1000  # the canvas has been drawn on
    everything = page.evaluate("window.sackg.visible")
    page.select_option("#metal", "K")
    only_k = page.evaluate("window.sackg.visible")
    assert 0 < only_k < everything
    hidden = page.evaluate("window.sackg.nodes.get({filter: n => n.hidden}).map(n => n.label)")
    assert "ZnSA-N-C" in hidden and "SA-Co@HC" not in hidden
    page.select_option("#detail", "3")
    assert page.evaluate("window.sackg.visible") > only_k
    legend = page.inner_text("#legend")
    assert "system (box)" in legend and "mechanism (box)" in legend and "alkali metal (circle)" in legend
    assert "claim for K" in legend
    assert outside == []


def test_focus_depth_and_filters_on_the_command_line(runner, tmp_path):
    out = tmp_path / "focus.html"
    result = runner.invoke(main, ["viz", "-o", str(out), "--focus", "SA-Co@HC", "--depth", "1"])
    assert (result.exit_code, result.output) == (0, f"{out}: 13 entities\n")
    result = runner.invoke(main, ["viz", "-o", str(out), "--metal", "potassium"])
    assert result.exit_code == 0 and result.output.endswith(" entities\n")
    result = runner.invoke(main, ["viz", "-o", str(out), "--focus", "ZnSA-NC-X"])
    assert (result.exit_code, result.output) == (1, "Error: unknown entity 'ZnSA-NC-X'; did you mean 'ZnSA-N-C', "
                                                    "'N-doped carbon (metal-free)' or 'Zn'?\n")


@pytest.mark.slow
def test_an_injected_script_label_shows_as_text_and_never_runs(browser, runner, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(FIXTURES / "mini", data)
    evil = "<script>window.__pwned = 1</script><img src=x onerror='window.__pwned = 2'>"
    paper = data / "papers" / "p-co.yaml"
    paper.write_text(paper.read_text().replace("TestCo@HC", f'"{evil}"').replace(
        "name: hard carbon", f'name: "{evil}"'))
    out = tmp_path / "evil.html"
    result = runner.invoke(main, ["--data", str(data), "viz", "-o", str(out)])
    assert result.exit_code == 0, result.output
    page, outside, errors = open_page(browser, out)
    assert page.evaluate("window.__pwned") is None
    assert evil in page.evaluate("window.sackg.nodes.map(n => n.name)")
    shortened = [label for label in page.evaluate("window.sackg.nodes.map(n => n.label)") if label.endswith("…")]
    assert any(evil.startswith(label[:-1]) for label in shortened)
    assert page.evaluate("document.querySelectorAll('img').length") == 0
    page.select_option("#detail", "3")
    node = page.evaluate(f"window.sackg.nodes.get({{filter: n => n.name === {evil!r}}})[0].id")
    position = page.evaluate(f"""() => {{ const n = window.sackg.network;
        const p = n.canvasToDOM(n.getPositions([{node!r}])[{node!r}]);
        const r = document.getElementById('mynetwork').getBoundingClientRect();
        return [p.x + r.left, p.y + r.top]; }}""")
    page.mouse.move(*position)
    page.wait_for_selector("div.vis-tooltip", state="visible", timeout=10000)
    tooltip = page.inner_text("div.vis-tooltip")
    assert evil in tooltip
    assert page.evaluate("document.querySelectorAll('div.vis-tooltip script, div.vis-tooltip img').length") == 0
    assert page.evaluate("window.__pwned") is None
    assert page.inner_text("#source") == "Data: SAC-KG, curated from R. Viewer, Test Rev., 2024 and the references it cites."
    page.evaluate(f"window.sackg.select({node!r})")
    assert page.inner_text("#details h2") == evil
    assert page.evaluate("document.querySelectorAll('#details script, #details img').length") == 0
    assert page.evaluate("window.__pwned") is None
    assert outside == [] and errors == []


LABELS = """() => { const n = window.sackg.network, scale = n.getScale();
    const c = document.querySelector('#mynetwork canvas').getBoundingClientRect();
    return window.sackg.nodes.get({filter: x => !x.hidden}).map(x => {
        const b = n.body.nodes[x.id].labelModule.size;
        const a = n.canvasToDOM({x: b.left, y: b.top}), z = n.canvasToDOM({x: b.left + b.width, y: b.top + b.height});
        return {id: x.id, label: x.label, box: [a.x, a.y, z.x, z.y], px: x.font.size * scale, colour: x.font.color,
                fill: typeof x.color === 'string' ? null : x.color.background, canvas: [c.width, c.height]}; }); }"""


def luminance(colour: str) -> float:
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(one: str, other: str) -> float:
    light, dark = sorted((luminance(one), luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def overlaps(labels) -> list:
    found = []
    for i, a in enumerate(labels):
        for b in labels[i + 1:]:
            if min(a["box"][2], b["box"][2]) > max(a["box"][0], b["box"][0]) and \
                    min(a["box"][3], b["box"][3]) > max(a["box"][1], b["box"][1]):
                found.append((a["label"], b["label"]))
    return found


@pytest.fixture(scope="module")
def whole_graph(tmp_path_factory):
    from click.testing import CliRunner

    out = tmp_path_factory.mktemp("viz") / "graph.html"
    result = CliRunner().invoke(main, ["viz", "-o", str(out)])
    assert result.exit_code == 0, result.output
    return out


@pytest.mark.slow
def test_the_first_view_reads_at_1400_by_1000(browser, whole_graph):
    """Labels of the first view: none overlaps another, none under 12 px, all inside the canvas, each at
    least 4.5:1 against what it is drawn on; and every node drawn has an edge at every detail level."""
    from kg.publish.viz import BACKGROUND

    page, outside, errors = open_page(browser, whole_graph)
    labels = page.evaluate(LABELS)
    assert len(labels) == page.evaluate("window.sackg.visible") > 20
    assert overlaps(labels) == []
    assert min(label["px"] for label in labels) >= 12
    width, height = labels[0]["canvas"]
    assert [x["label"] for x in labels if x["box"][0] < 0 or x["box"][1] < 0 or x["box"][2] > width
            or x["box"][3] > height] == []
    assert [x["label"] for x in labels if contrast(x["colour"], x["fill"] or BACKGROUND) < 4.5] == []
    for detail in ("1", "2", "3"):
        page.select_option("#detail", detail)
        unlinked = page.evaluate("""() => { const s = window.sackg, shown = {};
            s.edges.get({filter: e => !e.hidden}).forEach(e => { shown[e.from] = 1; shown[e.to] = 1; });
            return s.nodes.get({filter: n => !n.hidden && !shown[n.id]}).map(n => n.label); }""")
        assert unlinked == []
        assert overlaps(page.evaluate(LABELS)) == []
    assert outside == [] and errors == []


def expected_panel(system_label: str):
    from kg.engine.opening import open_kb
    from kg.field.graph import build_graph

    graph = build_graph(open_kb(), fold=True)
    node = next(n for n, d in graph.nodes(data=True) if d["label"] == system_label and d["kind"] == "system")
    values = [(e["value_text"], e["citation"]) for _s, _t, e in graph.out_edges(node, data=True) if "measurement" in e]
    claims = [(graph.nodes[t]["label"], e["evidence"], e["citation"]) for _s, t, e in graph.out_edges(node, data=True)
              if "claim" in e]
    return node, values, claims


@pytest.mark.slow
def test_a_click_on_a_system_shows_its_facts_with_citations_and_lights_its_neighbours(browser, whole_graph):
    node, values, claims = expected_panel("SA-Co@HC")
    assert len(values) >= 3 and len(claims) >= 2
    page, outside, errors = open_page(browser, whole_graph)
    assert page.is_hidden("#details")
    x, y = page.evaluate(f"""() => {{ const n = window.sackg.network;
        const p = n.canvasToDOM(n.getPositions([{node!r}])[{node!r}]);
        const r = document.getElementById('mynetwork').getBoundingClientRect();
        return [p.x + r.left, p.y + r.top]; }}""")
    page.mouse.click(x, y)
    assert page.evaluate("window.sackg.selected") == node
    panel = page.inner_text("#details")
    assert panel.splitlines()[1:3] == ["SA-Co@HC", "system"]
    for value, citation in values:
        assert value in panel and citation in panel
    for mechanism, evidence, citation in claims:
        assert mechanism in panel and f"evidence: {evidence}" in panel and citation in panel
    dimmed = page.evaluate("""() => window.sackg.nodes.get({filter: n => !n.hidden}).filter(
        n => n.font.color === '#b0b0b0').map(n => n.label)""")
    assert "Li" in dimmed and "SA-Co@HC" not in dimmed and "K" not in dimmed
    page.mouse.click(*page.evaluate("""() => { const r = document.getElementById('mynetwork').getBoundingClientRect();
        return [r.left + 5, r.top + 5]; }"""))
    assert page.is_hidden("#details") and page.evaluate("window.sackg.selected") is None
    assert outside == [] and errors == []


@pytest.mark.slow
def test_a_doi_in_the_panel_is_a_link(browser, whole_graph):
    from kg.engine.opening import open_kb
    from kg.field.graph import build_graph

    graph = build_graph(open_kb(), fold=True)
    reference, doi = next((n, d["doi"]) for n, d in sorted(graph.nodes(data=True)) if d["kind"] == "reference" and d["doi"])
    page, _outside, _errors = open_page(browser, whole_graph)
    page.evaluate(f"window.sackg.select({reference!r})")
    assert page.get_attribute("#details a", "href") == f"https://doi.org/{doi}"
    assert page.inner_text("#details a") == f"DOI {doi}"


def python_find(names, graph, name):
    from kg.model.errors import SackgError

    try:
        entity = names.resolve(name)
    except SackgError:
        return None
    return entity.iri.value if entity.iri.value in graph else None


@pytest.mark.slow
def test_the_search_box_finds_what_sackg_show_finds(browser, whole_graph):
    """Every way each drawn entity's names are written, those names changed as people type them, and the
    names of the blind sets: the page finds the node `sackg show` resolves, and nothing where show finds
    nothing drawn."""
    import yaml
    from conftest import ROOT

    from kg.engine.names import Names
    from kg.engine.opening import open_kb
    from kg.field.graph import build_graph

    kb = open_kb()
    names, graph = Names(kb), build_graph(kb, fold=True)
    typed = set()
    for node in graph:
        for written in names.written(node):
            typed |= {written, written.upper(), written.replace("-", " "), f"  {written}s", f"Li-{written}"}
    for path in sorted((ROOT / "tests" / "blind").glob("graph_17*.yaml")):
        typed |= {item["typed"] for item in yaml.safe_load(path.read_text())["find"]}
    typed |= {"sa co @ hc", "Zn_SA-N-C", "carbon fibre", "no such thing", "Li-ZnSA-N-C", "SAFe/CVRCS@3DPC-Li"}
    typed = sorted(typed)
    page, _outside, errors = open_page(browser, whole_graph)
    found = page.evaluate("names => names.map(n => window.sackg.find(n).id || null)", typed)
    wrong = [(t, f, python_find(names, graph, t)) for t, f in zip(typed, found) if f != python_find(names, graph, t)]
    assert wrong == []
    assert len(typed) > 1000 and sum(1 for f in found if f) > 0.9 * len(typed) - 10
    page.fill("#search", "sa co @ hc")
    page.press("#search", "Enter")
    assert page.evaluate("window.sackg.selected") == python_find(names, graph, "SA-Co@HC")
    assert page.inner_text("#found") == "SA-Co@HC" and page.is_visible("#details")
    page.fill("#search", "cobalt on hard carbonn")
    page.press("#search", "Enter")
    assert page.inner_text("#found") == "No entity of this graph is named \u201ccobalt on hard carbonn\u201d"
    page.fill("#search", "MXene")
    page.press("#search", "Enter")
    assert page.evaluate("window.sackg.nodes.get(window.sackg.selected).label") == "MXene"
    assert errors == []


def test_the_layout_is_the_same_for_the_same_data_and_keeps_every_box_apart(runner, tmp_path):
    """Positions come from Python, not from physics in the browser: two runs write the same file, no two
    node-and-label boxes overlap at any detail level, and more detail adds nodes without moving any."""
    import itertools

    from kg.engine.opening import open_kb
    from kg.field.graph import build_graph
    from kg.publish.graph_layout import positions
    from kg.publish.viz import _appearance

    first, second = tmp_path / "a.html", tmp_path / "b.html"
    for out in (first, second):
        assert runner.invoke(main, ["viz", "-o", str(out)]).exit_code == 0
    assert first.read_bytes() == second.read_bytes()
    graph = build_graph(open_kb(), fold=True)
    level, boxes, _look = _appearance(graph)
    place = positions(graph, level, boxes)
    assert set(place) == set(graph)

    def clash(a, b):
        (ax, ay), (bx, by) = place[a], place[b]
        ay, by = ay + boxes[a].offset, by + boxes[b].offset
        return (abs(ax - bx) < (boxes[a].width + boxes[b].width) / 2 - 0.5
                and abs(ay - by) < (boxes[a].height + boxes[b].height) / 2 - 0.5)

    assert [(graph.nodes[a]["label"], graph.nodes[b]["label"]) for a, b in itertools.combinations(sorted(place), 2)
            if clash(a, b)] == []
    backbone = graph.subgraph([n for n in graph if level[n] == 1]).copy()
    alone = positions(backbone, {n: 1 for n in backbone}, boxes)
    assert {n: place[n] for n in alone if n in place and backbone.degree(n)} == \
        {n: p for n, p in alone.items() if backbone.degree(n)}


@pytest.mark.slow
def test_a_focus_page_opens_with_its_entitys_facts_beside_the_drawing(browser, runner, tmp_path):
    out = tmp_path / "focus.html"
    assert runner.invoke(main, ["viz", "-o", str(out), "--focus", "Zn-N-C"]).exit_code == 0
    page, outside, errors = open_page(browser, out)
    assert page.inner_text("#details h2") == "ZnSA-N-C"
    canvas = page.evaluate("document.getElementById('mynetwork').getBoundingClientRect().right")
    panel = page.evaluate("document.getElementById('details').getBoundingClientRect().left")
    assert canvas <= panel
    assert overlaps(page.evaluate(LABELS)) == [] and outside == [] and errors == []


def test_a_graph_file_must_be_a_web_page_and_a_missing_kind_is_one_line(runner, tmp_path):
    out = tmp_path / "graph.png"
    result = runner.invoke(main, ["viz", "-o", str(out)])
    assert (result.exit_code, result.output) == (1, f"Error: {out}: the graph is a web page; give a file name ending "
                                                    "in .html\n")
    assert not out.exists()
    result = runner.invoke(main, ["plot", "-o", str(tmp_path / "life.png")])
    assert (result.exit_code, result.output) == (2, "Error: Missing argument 'KIND'. Choose from: cycle-life, "
                                                    "overpotential, nucleation, binding-energy, gaps (see 'sackg plot --help')\n")
