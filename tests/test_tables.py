"""Text tables that fit a terminal (issue 17): numbers in plain notation, every line within the width
(SACKG_WIDTH, else the terminal's, else 100), wide grids transposed or split, JSON and CSV unchanged."""

import json
import re
import sys
from decimal import Decimal

import pytest

from kg.cli.columns import laid_out, width_of
from kg.cli.commands import main
from kg.cli.output import Printed, output_width, render_csv, render_text
from kg.model.table import Table

EXPONENT = re.compile(r"\d[eE][-+]?\d")


def run(runner, *args, width=None):
    result = runner.invoke(main, list(args), env={"SACKG_WIDTH": str(width)} if width else {})
    assert result.exit_code == 0, result.output
    return result.output


def test_rank_cycle_life_table(runner):
    assert run(runner, "analyze", "rank", "cycle life").splitlines() == [
        "#  system              metal  value     in h  mA cm⁻²  mA h cm⁻²  cell            origin    ref.",
        "-  ------------------  -----  --------  ----  -------  ---------  --------------  --------  -------",
        "1  SA-Co@HC            K      > 2500 h  2500                                      measured  ref. 74",
        "2  SAFe/CVRCS@3DPC     Li     1600 h    1600  0.5                 symmetric cell  measured  ref. 50",
        "3  SACo/ADFS@HPSC      Li     1600 h    1600                                      measured  ref. 8",
        "4  Pt SAs/In2S3/Ti3C2  Li     1100 h    1100  1                   symmetric cell  measured  ref. 67",
        "5  ZnSA-N-C            Na     1000 h    1000  0.5                 symmetric cell  measured  ref. 70",
        "6  SAFeNi@LNCP         Li     900 h     900            3          symmetric cell  measured  ref. 34",
        "7  Zn_SA-HCNT          Na     > 900 h   900   10                  symmetric cell  measured  ref. 69",
        "8  CC@CN-SACo          Li     500 h     500   5                   symmetric cell  measured  ref. 59",
        "cycle life, highest first, in h. Standard test proposed by the review: 3 mA cm⁻² at 3 mA h cm⁻².",
        "Blank conditions or cell: not stated by the source. The flags column of --format csv and json names",
        "each difference from the standard test.",
        "",
        "ref. 8   J. Wang et al., Nano Lett., 2021",
        "ref. 34  J. Wang et al., Nano Lett., 2022",
        "ref. 50  J. Wang et al., Adv. Mater., 2023",
        "ref. 59  Z. Liang et al., J. Power Sources, 2023",
        "ref. 67  C. Zhou et al., Adv. Funct. Mater., 2022",
        "ref. 69  X. Li et al., Adv. Mater., 2022",
        "ref. 70  T. Yang et al., Nano Lett., 2019",
        "ref. 74  D. Zhang et al., Adv. Energy Mater., 2022",
    ]


def test_rank_csv_and_json_keep_every_column_and_plain_numbers(runner):
    as_csv = run(runner, "analyze", "rank", "cycle life", "--format", "csv").splitlines()
    assert as_csv[:2] == [
        "rank,system,metal,value,standard_value,standard_unit,current_density,areal_capacity,cell,origin,flags,reference",
        ("1,SA-Co@HC,K,> 2500 h,2500,h,,,,measured,current density not stated; areal capacity not stated; lower bound; "
         "cell not stated,\"D. Zhang et al., Adv. Energy Mater., 2022 [ref. 74]\"")]
    rows = json.loads(run(runner, "analyze", "rank", "cycle life", "--format", "json"))["rows"]
    assert [r["standard_value"] for r in rows] == [2500, 1600, 1600, 1100, 1000, 900, 900, 500]
    assert all(type(r["standard_value"]) is int for r in rows)  # not 2500.0, the float of Decimal('2.5E+3')


def test_exponent_forms_print_plain():
    table = Table("", ["a", "b", "c", "d", "e"], [{"a": Decimal("1E+3"), "b": Decimal("2.5E+3"), "c": 1000.0,
                                                   "d": Decimal("1E-7"), "e": 2.5e3}])
    assert render_text(table).splitlines() == ["a     b     c     d          e", "----  ----  ----  ---------  ----",
                                               "1000  2500  1000  0.0000001  2500"]
    assert render_csv(table) == "a,b,c,d,e\n1000,2500,1000,0.0000001,2500"
    assert json.loads(Printed(table).render("json"))["rows"] == [{"a": 1000, "b": 2500, "c": 1000.0, "d": 1e-07, "e": 2500.0}]


def test_a_converted_value_keeps_its_digits_only_when_the_conversion_is_exact():
    from kg.field.analytics import _in_preferred
    from kg.model.terms import Iri

    minute, hour = Iri("u:min"), Iri("u:h")  # units as kg.field.graph.units_of gives them
    units = {"u:min": ("min", Decimal(60), Decimal(0), "q:Time"), "u:h": ("h", Decimal(3600), Decimal(0), "q:Time")}
    row = lambda value, unit=minute: {"value": Decimal(value), "unit": unit, "preferred": hour}  # noqa: E731
    assert [_in_preferred(row(v), units) for v in ("90", "100", "12346", "61.5")] == [
        Decimal("1.5"), Decimal("1.667"), Decimal("205.77"), Decimal("1.025")]
    assert str(_in_preferred(row("1E+3", hour), units)) == "1000"  # as reported, in plain form


def _cut(line: str, spans: list) -> list[str]:
    return [line[a:b if k + 1 < len(spans) else None].strip() for k, (a, b) in enumerate(spans)]


def _grids(output: str) -> dict:
    """Each grid of `analyze gaps` text: its title -> its corner header and {(row label, column label): cell},
    over every group it is split into. Columns are read from the positions of the rule under the headers."""
    grids, title, lines = {}, None, output.splitlines()
    titled = lambda k: k > 0 and re.search(r"\(\w+\)$", lines[k - 1])  # noqa: E731
    for i, line in enumerate(lines):
        if not re.fullmatch(r"-+( +-+)*", line):
            continue
        spans = [m.span() for m in re.finditer(r"-+", line)]
        start = i
        while lines[start - 1] and not titled(start):
            start -= 1
        title = lines[start - 1] if titled(start) else title
        headers = [" ".join(filter(None, parts)) for parts in zip(*(_cut(h, spans) for h in lines[start:i]))]
        rows, end = [], i + 1
        while end < len(lines) and lines[end]:
            cells = _cut(lines[end], spans)
            if cells[0] or not rows:
                rows.append(cells)
            else:  # a wrapped label goes on below
                rows[-1] = [" ".join(filter(None, pair)) for pair in zip(rows[-1], cells)]
            end += 1
        grid = grids.setdefault(title, {"corner": headers[0], "cells": {}})
        for row in rows:
            grid["cells"].update({(row[0], h): cell for h, cell in zip(headers[1:], row[1:])})
    return grids


@pytest.mark.parametrize("width", [60, 100, 200])
def test_gaps_fit_and_every_count_is_still_there(runner, width):
    output = run(runner, "analyze", "gaps", width=width)
    assert max(width_of(line) for line in output.splitlines()) <= width
    grids = _grids(output)
    matrices = json.loads(run(runner, "analyze", "gaps", "--format", "json"))["matrices"]
    assert len(grids) == len(matrices) == 4
    for m in matrices:
        grid = grids[f"{m['name']} ({m['counts']})"]
        rows_name, columns_name = m["name"].split(" x ")
        turned = grid["corner"] == columns_name
        assert grid["corner"] == (columns_name if turned else rows_name)
        expected = {((c["column"], c["row"]) if turned else (c["row"], c["column"])): str(c["count"] or "·")
                    for c in m["cells"]}
        assert grid["cells"] == expected


def test_the_support_kind_matrix_is_transposed_at_100_columns(runner):
    lines = run(runner, "analyze", "gaps").splitlines()
    at = lines.index("metal x support kind (systems)")
    assert lines[at + 1:at + 5] == ["support kind                  K  Li  Na", "----------------------------  -  --  --",
                                    "biomass-derived carbon        1  ·   ·", "carbon cloth/paper            ·  2   ·"]


def test_width_comes_from_one_setting(runner, monkeypatch):
    monkeypatch.delenv("SACKG_WIDTH", raising=False)
    assert output_width() == 100  # pytest's output is not a terminal, nor is CliRunner's
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True, raising=False)
    monkeypatch.setattr("shutil.get_terminal_size", lambda fallback=None: __import__("os").terminal_size((132, 40)))
    assert output_width() == 132
    monkeypatch.setenv("SACKG_WIDTH", "70")
    assert output_width() == 70
    wide = run(runner, "analyze", "gaps", width=200).splitlines()
    assert wide[1:3] == [
        "metal  desolvation  ion transport  lateral atom diffusion  nucleation  polysulfide conversion/shuttle  SEI formation",
        "-----  -----------  -------------  ----------------------  ----------  ------------------------------  -------------"]
    narrow = run(runner, "analyze", "rank", "cycle life", width=60).splitlines()
    assert max(width_of(line) for line in narrow) == 60
    assert narrow[:3] == ["#  system              metal  value     in h  mA cm⁻²", "-  ------------------  -----  --------  ----  -------",
                          "1  SA-Co@HC            K      > 2500 h  2500"]
    assert narrow[11:13] == ["#  system              mA h cm⁻²  cell            origin",
                             "-  ------------------  ---------  --------------  --------"]  # the key columns repeated


@pytest.mark.parametrize("setting", ["abc", "39", "1001", "-5"])
def test_a_bad_width_is_one_line(runner, setting):
    result = runner.invoke(main, ["stats"], env={"SACKG_WIDTH": setting})
    assert (result.exit_code, result.output) == (
        1, f"Error: SACKG_WIDTH='{setting}': expected a whole number of columns from 40 to 1000\n")


def test_display_width_counts_wide_characters_twice():
    assert (width_of("mA h cm⁻²"), width_of("μA"), width_of("单原子"), width_of("e\u0301")) == (9, 2, 6, 1)
    assert laid_out([["名称", "单原子催化剂 单原子催化剂"], ["note", "x " * 30]], 30) == [
        "名称            note", "--------------  --------------", "单原子催化剂    x x x x x x x", "单原子催化剂    x x x x x x x",
        "                x x x x x x x", "                x x x x x x x", "                x x"]


def test_a_split_table_numbers_the_rows_its_key_does_not_tell_apart():
    columns = [["system", "A", "A"]] + [[f"c{i}", "longword", "otherword"] for i in range(6)]
    group = ["-  ------  ---------  ---------", "1  A       longword   longword", "2  A       otherword  otherword"]
    assert laid_out(columns, 40) == ["#  system  c0         c1", *group, "", "#  system  c2         c3", *group, "",
                                     "#  system  c4         c5", *group]


COMMANDS = [["analyze", "gaps"], ["analyze", "central"], ["analyze", "cocitation"], ["analyze", "path", "Zn", "K"],
            ["stats"], ["questions"], ["show", "SA-Co@HC"], ["show", "Na"], ["show", "ref. 70"], ["show", "nucleation"],
            ["ask", "lowest nucleation overpotential for K?"], ["ask", "tell me about SA-Co@HC"],
            ["ask", "what prospects does the review propose?"], ["ask", "Li systems tested at 10 mA cm-2"]]


def test_every_table_fits_in_100_columns_without_exponents(runner, kb):
    quantities = [q["label"] for q in kb.summary("quantities")]
    commands = COMMANDS + [["analyze", "rank", q, *m] for q in quantities for m in ([], ["--metal", "Li"])]
    for command in commands:
        output = run(runner, *command)
        assert max(width_of(line) for line in output.splitlines()) <= 100, command
        assert not EXPONENT.search(output), command


@pytest.mark.parametrize("quantity", ["cycle life", "nucleation overpotential", "capacity retention", "areal capacity",
                                      "binding energy", "bond length change"])
def test_rank_is_the_same_text_and_json_on_every_engine(runner, bundled_server, quantity):
    for fmt in ("table", "json"):
        outputs = [run(runner, *store, "analyze", "rank", quantity, "--format", fmt)
                   for store in ([], ["--store", "rdflib"], ["--endpoint", bundled_server])]
        assert outputs[1] == outputs[0] and outputs[2] == outputs[0]
        assert not EXPONENT.search(outputs[0])


def test_query_numbers_are_plain_on_every_engine(runner, bundled_server):
    query = ("PREFIX xsd: <http://www.w3.org/2001/XMLSchema#> SELECT ?a ?b ?c ?d WHERE { BIND(1000.0 AS ?a) "
             "BIND(xsd:double(2500) AS ?b) BIND(1e3 AS ?c) BIND(xsd:double(\"1e-7\") AS ?d) }")
    for store in ([], ["--store", "rdflib"], ["--endpoint", bundled_server]):
        assert run(runner, *store, "query", "--sparql", query).splitlines() == [
            "a     b     c     d", "----  ----  ----  ---------", "1000  2500  1000  0.0000001"]
        assert run(runner, *store, "query", "--sparql", query, "--format", "csv") == "a,b,c,d\n1000,2500,1000,0.0000001\n"
