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


def open_page(browser, path):
    page = browser.new_page(viewport={"width": 1280, "height": 800})
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
    assert "system (dot)" in legend and "mechanism (diamond)" in legend and "alkali metal (star)" in legend
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
    labels = page.evaluate("window.sackg.nodes.map(n => n.label)")
    assert evil in labels
    assert page.evaluate("document.querySelectorAll('img').length") == 0
    node = page.evaluate(f"window.sackg.nodes.get({{filter: n => n.label === {evil!r}}})[0].id")
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
    assert outside == [] and errors == []
