"""`sackg plot` and kg.publish.plots on the bundled knowledge base: the files (300 dpi PNG, SVG and PDF with
text kept as text, the same bytes every time), what each figure draws (checked against `analyze rank` and
the gap matrix, not against numbers written here), its legend, labels, axes and caption, and the command
line's output and errors."""

import math
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest

from kg.cli.commands import main
from kg.field.analytics import gaps, rank

SVG = "{http://www.w3.org/2000/svg}"
VALUE_KINDS = ("cycle-life", "overpotential", "nucleation", "binding-energy")
QUANTITIES = {"cycle-life": ["cycle life"], "overpotential": ["nucleation overpotential", "plating/stripping overpotential"],
              "nucleation": ["nucleation overpotential"], "binding-energy": ["binding energy"]}
ON_CURRENT_AXIS = ("cycle-life", "overpotential")  # only values with a stated current density are placed


@pytest.fixture(scope="module")
def drawings(kb):
    from kg.publish.plots import KINDS, build

    return {kind: build(kb, kind) for kind in KINDS}


def expected_systems(kb, kind, metal=None):
    """The systems a plot must show, from `analyze rank` (the table the command line prints)."""
    rows = [r for q in QUANTITIES[kind] for r in rank(kb, q, metal).rows]
    if kind in ON_CURRENT_AXIS:
        rows = [r for r in rows if r["current_density"]]
    return sorted({r["system"] for r in rows})


def drawn_systems(figure, kind):
    ax = figure.axes[0]
    if kind in ON_CURRENT_AXIS:
        return sorted({c.get_gid().removeprefix("point: ") for c in ax.collections if (c.get_gid() or "").startswith("point: ")})
    return sorted({t.get_text().split(" (")[0] for t in ax.get_yticklabels() if not t.get_text().startswith("vs. ")})


def texts(figure):
    return [t for t in figure.findobj(lambda a: hasattr(a, "get_text") and hasattr(a, "get_window_extent")) if t.get_text()]


def note(figure):
    return " ".join(t.get_text() for t in figure.texts if t.get_gid() == "note").replace("\n", " ")


def caption(figure):
    return next(t.get_text() for t in figure.texts if t.get_gid() == "caption").replace("\n", " ")


def hexes(colours):
    from matplotlib.colors import to_hex

    return {to_hex(c) for c in colours}


# ---------------------------------------------------------------- files
@pytest.mark.parametrize("kind", ["nucleation", "gaps", "cycle-life"])
def test_png_is_300_dpi(kb, tmp_path, kind):
    from PIL import Image

    from kg.publish.plots import plot

    out = tmp_path / f"{kind}.png"
    plot(kb, kind, str(out))
    with Image.open(out) as image:
        assert image.format == "PNG"
        assert all(math.isclose(d, 300, abs_tol=0.01) for d in image.info["dpi"])
        assert image.size[0] >= 7 * 300  # 7 inches or wider at 300 dpi


def test_svg_keeps_text_as_text(kb, tmp_path):
    from kg.publish.plots import plot

    out = tmp_path / "nucleation.svg"
    plot(kb, "nucleation", str(out))
    source = out.read_text(encoding="utf-8")
    words = [t.text or "" for t in ET.parse(out).iter(f"{SVG}text")]
    for system in expected_systems(kb, "nucleation"):
        assert any(w.startswith(f"{system} (") for w in words), system
    assert "nucleation overpotential (mV)" in words
    assert "DejaVuSans-" not in source  # no glyphs drawn as paths
    assert "10.1039/d4gc02590c" in source


def test_pdf_embeds_truetype_fonts(kb, tmp_path):
    from kg.publish.plots import plot

    out = tmp_path / "binding.pdf"
    plot(kb, "binding-energy", str(out))
    data = out.read_bytes()
    assert data.startswith(b"%PDF-") and len(data) > 10_000
    assert b"/FontFile2" in data  # TrueType (Type 42): the text stays text in a PDF editor
    assert b"/Type3" not in data and b"/FontFile3" not in data


@pytest.mark.parametrize("fmt", ["png", "svg", "pdf"])
def test_the_same_data_gives_the_same_bytes(kb, tmp_path, fmt):
    from kg.publish.plots import plot

    first, second = tmp_path / f"a.{fmt}", tmp_path / f"b.{fmt}"
    plot(kb, "cycle-life", str(first))
    plot(kb, "cycle-life", str(second))
    assert first.read_bytes() == second.read_bytes()


def test_settings_stay_local_and_matplotlib_loads_only_to_draw(drawings):
    import matplotlib

    assert matplotlib.rcParams["svg.fonttype"] == "path" and matplotlib.rcParams["pdf.fonttype"] == 3
    code = "import sys, kg.publish.plots; print('matplotlib' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"


# ---------------------------------------------------------------- what is drawn
@pytest.mark.parametrize("kind", VALUE_KINDS)
def test_each_plot_draws_the_systems_rank_lists(kb, drawings, kind):
    assert drawn_systems(drawings[kind].figure, kind) == expected_systems(kb, kind)
    assert drawings[kind].count == len(expected_systems(kb, kind))


@pytest.mark.parametrize("kind", VALUE_KINDS)
def test_metal_na_draws_only_sodium_systems(kb, kind):
    from kg.publish.plots import build

    expected = expected_systems(kb, kind, "Na")
    assert expected and expected != expected_systems(kb, kind)
    figure = build(kb, kind, "sodium").figure
    assert drawn_systems(figure, kind) == expected
    legend = next(lg for lg in figure.axes[0].get_children() if type(lg).__name__ == "Legend"
                  and lg.get_title().get_text() == "alkali metal")
    assert [t.get_text() for t in legend.get_texts() if t.get_text() != "baseline"] == ["Na"]


def test_metal_na_gap_heatmap_has_one_row(kb):
    from kg.publish.plots import build

    drawing = build(kb, "gaps", "Na")
    matrix = gaps(kb)[0]
    assert [t.get_text() for t in drawing.figure.axes[0].get_yticklabels()] == ["Na"]
    assert drawing.count == sum(1 for row, _ in matrix.missing() if row == "Na")


@pytest.mark.parametrize("kind", VALUE_KINDS)
def test_one_legend_entry_per_colour(drawings, kind):
    ax = drawings[kind].figure.axes[0]
    drawn = hexes(p.get_facecolor() for p in ax.patches)
    for collection in ax.collections:
        drawn |= hexes(collection.get_facecolors())
    legend = next(lg for lg in ax.get_children() if type(lg).__name__ == "Legend" and lg.get_title().get_text() == "alkali metal")
    handles = legend.legend_handles
    shown = hexes(h.get_facecolor() if hasattr(h, "get_hatch") else h.get_markerfacecolor() for h in handles)
    assert drawn == shown
    assert len(handles) == len(shown)


def test_the_zero_overpotential_is_visible_with_its_label(kb, drawings):
    zero = [r["system"] for r in rank(kb, "nucleation overpotential").rows if r["standard_value"] == 0]
    assert zero == ["ZnSA-N-C"]
    ax = drawings["nucleation"].figure.axes[0]
    row = next(t for t in ax.get_yticklabels() if t.get_text().startswith("ZnSA-N-C ("))
    marker = next(c for c in ax.collections if c.get_gid() == f"zero: {row.get_text()}")
    (x, y), = marker.get_offsets()
    assert (x, y) == (0, row.get_position()[1]) and marker.get_clip_on() is False
    label = next(t for t in ax.texts if t.get_gid() == f"value: {row.get_text()}")
    assert label.get_text() == "0"


def test_the_log_axis_reads_plainly_over_the_data(kb, drawings):
    figure = drawings["cycle-life"].figure
    figure.canvas.draw()
    ax = figure.axes[0]
    labels = [t.get_text() for t in ax.get_xticklabels()]
    currents = sorted({Decimal(r["current_density"]) for r in rank(kb, "cycle life").rows if r["current_density"]})
    assert format(currents[0], "f") in labels and format(currents[-1], "f") in labels  # 0.5 and 10
    assert labels == ["0.5", "1", "2", "5", "10"]
    assert all(re.fullmatch(r"\d+(\.\d*[1-9])?", label) for label in labels)
    assert not any(t.get_text() for t in ax.get_xticklabels(minor=True))


@pytest.mark.parametrize("kind", ["cycle-life", "overpotential", "nucleation", "binding-energy", "gaps"])
def test_no_text_is_clipped_and_point_labels_do_not_overlap(drawings, kind):
    figure = drawings[kind].figure
    figure.canvas.draw()
    renderer = figure.canvas.get_renderer()
    page = figure.bbox
    for text in texts(figure):
        box = text.get_window_extent(renderer)
        assert page.x0 - 1 <= box.x0 and box.x1 <= page.x1 + 1 and page.y0 - 1 <= box.y0 and box.y1 <= page.y1 + 1, text.get_text()
    ax = figure.axes[0]
    labels = [t.get_window_extent(renderer) for t in ax.texts if t.get_gid() in ("label",) or
              (t.get_gid() or "").startswith("value: ")]
    for i, a in enumerate(labels):
        assert not any(a.overlaps(b) for b in labels[i + 1:])


def test_every_plot_states_its_source(kb, drawings):
    for kind, drawing in drawings.items():
        text = caption(drawing.figure)
        assert "Green Chem., 2024, 26, 10366 (DOI 10.1039/d4gc02590c)" in text, kind
    for kind in VALUE_KINDS:
        references = {r["reference"] for q in QUANTITIES[kind] for r in rank(kb, q).rows}
        assert all(ref in caption(drawings[kind].figure) for ref in references), kind


def test_the_source_is_the_review_the_data_names():
    """The review in a caption is read from the knowledge base: the mini fixture's own review, not SAC-KG's."""
    from conftest import FIXTURES

    from kg.engine.opening import open_kb
    from kg.publish.plots import build

    text = caption(build(open_kb(FIXTURES / "mini"), "cycle-life").figure)
    assert text.startswith("Source: SAC-KG, curated from R. Viewer, Test Rev., 2024; values from ")
    assert "Green Chem." not in text


def test_cycle_life_states_the_conditions_and_what_it_leaves_out(kb, drawings):
    rows = rank(kb, "cycle life").rows
    currents = sorted(Decimal(r["current_density"]) for r in rows if r["current_density"])
    text = caption(drawings["cycle-life"].figure)
    assert f"current density: {currents[0]}–{currents[-1]} mA cm⁻²" in text
    left_out = [r for r in rows if not r["current_density"]]
    assert left_out and all(f"{r['system']} {r['value']}" in text for r in left_out)


def test_binding_energy_says_when_signs_differ(kb):
    from kg.publish.plots import build

    caution = next(q["caution"] for q in kb.summary("quantities") if q["label"] == "binding energy")
    assert caution and caution in rank(kb, "binding energy").note
    assert note(build(kb, "binding-energy").figure) == caution
    one_sign = [m for m in ("Li", "Na", "K") if caution not in rank(kb, "binding energy", m).note]
    assert one_sign == ["K"]  # K has one binding energy
    assert note(build(kb, "binding-energy", "K").figure) == ""


def test_baselines_are_drawn_hatched_beside_their_system(kb, drawings):
    ax = drawings["nucleation"].figure.axes[0]
    labels = [t.get_text() for t in ax.get_yticklabels()]
    at = labels.index(next(label for label in labels if label.startswith("ZnSA-N-C (")))
    assert labels[at + 1:at + 3] == ["vs. carbon cloth", "vs. bare Cu foil"]
    hatched = [p for p in ax.patches if p.get_hatch()]
    assert len(hatched) == sum(1 for label in labels if label.startswith("vs. "))


# ---------------------------------------------------------------- command line
def test_plot_command_output(runner, kb, tmp_path):
    nucleation = tmp_path / "n.svg"
    result = runner.invoke(main, ["plot", "nucleation", "-o", str(nucleation)])
    assert (result.exit_code, result.output) == (0, f"{nucleation}: {len(expected_systems(kb, 'nucleation'))} systems\n")
    binding = tmp_path / "b.pdf"
    result = runner.invoke(main, ["plot", "binding-energy", "-o", str(binding), "--metal", "sodium", "--format", "pdf"])
    assert (result.exit_code, result.output) == (0, f"{binding}: {len(expected_systems(kb, 'binding-energy', 'Na'))} systems\n")
    heatmap = tmp_path / "g.PNG"
    result = runner.invoke(main, ["plot", "gaps", "-o", str(heatmap), "--format", "PNG"])
    assert (result.exit_code, result.output) == (0, f"{heatmap}: {len(gaps(kb)[0].missing())} empty cells\n")
    assert heatmap.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and binding.read_bytes()[:5] == b"%PDF-"
    one = tmp_path / "o.png"
    result = runner.invoke(main, ["plot", "overpotential", "-o", str(one), "--metal", "Na"])
    assert (result.exit_code, result.output) == (0, f"{one}: 1 system\n")


@pytest.mark.parametrize("name,args,code,message", [
    ("g.jpg", [], 1, "Error: {out}: the plot file must end in .png, .svg or .pdf"),
    ("g", ["--format", "png"], 1, "Error: {out}: the plot file must end in .png, .svg or .pdf"),
    ("g.png", ["--format", "svg"], 1, "Error: {out}: the file name ends in .png but --format is svg"),
    ("g.pdf", ["--format", "png"], 1, "Error: {out}: the file name ends in .pdf but --format is png"),
    ("g.png", ["--metal", "Rb"], 1, "Error: unknown entity 'Rb'; expected 'K', 'Li' or 'Na'"),
    ("g.png", ["--metal", "Zn"], 1, "Error: unknown entity 'Zn'; expected 'K', 'Li' or 'Na'"),
    ("g.png", ["--format", "jpg"], 2,
     "Error: Invalid value for '--format': 'jpg' is not one of 'png', 'svg', 'pdf'. (see 'sackg plot --help')"),
])
def test_bad_input_is_one_line_and_writes_nothing(runner, tmp_path, name, args, code, message):
    out = tmp_path / name
    result = runner.invoke(main, ["plot", "nucleation", "-o", str(out), *args])
    assert (result.exit_code, result.output) == (code, message.format(out=out) + "\n")
    assert list(tmp_path.iterdir()) == []


def test_unknown_kind_is_one_line(runner, tmp_path):
    out = tmp_path / "p.png"
    result = runner.invoke(main, ["plot", "pie", "-o", str(out)])
    message = ("Error: Invalid value for 'KIND': 'pie' is not one of 'cycle-life', 'overpotential', 'nucleation', "
               "'binding-energy', 'gaps'. (see 'sackg plot --help')\n")
    assert (result.exit_code, result.output) == (2, message)
    assert not out.exists()
