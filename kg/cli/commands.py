"""The `sackg` command line. Each command parses options, calls one library function, prints the result."""

from __future__ import annotations

import os
import re
import sys

import click

from kg.cli.output import Printed
from kg.model.errors import SackgError
from kg.model.text import escaped, shown
from kg.model.version import __version__
from kg.publish.formats import FORMATS


class _Group(click.Group):
    """Turns library errors into one-line messages and a non-zero exit, never a traceback."""

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        """Like click's, but every error is one line: a usage error says what is wrong and where the
        command's help is, instead of click's usage banner."""
        args = sys.argv[1:] if args is None else list(args)
        for position, arg in enumerate(args, 1):
            if _NOT_UTF8.search(arg):
                click.echo(f"Error: argument {position} ({escaped(arg[:40])}) is not valid UTF-8 text", err=True)
                sys.exit(1)
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode, **extra)
        try:
            code = super().main(args, prog_name or "sackg", complete_var, False, **extra)
        except click.UsageError as exc:
            where = exc.ctx.command_path if exc.ctx is not None else "sackg"
            click.echo(f"Error: {bounded(' '.join(exc.format_message().split()))} (see '{where} --help')", err=True)
            sys.exit(exc.exit_code)
        except click.ClickException as exc:
            exc.show()
            sys.exit(exc.exit_code)
        except click.exceptions.Abort:
            click.echo("Aborted!", err=True)
            sys.exit(1)
        sys.exit(code if isinstance(code, int) else 0)

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except SackgError as exc:
            raise click.ClickException(bounded(str(exc))) from None
        except OSError as exc:
            where = f"{shown(exc.filename, 200, quote=False)}: " if getattr(exc, "filename", None) else ""
            raise click.ClickException(bounded(f"{where}{exc.strerror or exc}")) from None
        except (click.ClickException, click.exceptions.Exit, click.exceptions.Abort, KeyboardInterrupt):
            raise
        except (RecursionError, MemoryError) as exc:
            raise click.ClickException(f"the input is too large or too deeply nested ({type(exc).__name__})") from None
        except Exception as exc:  # a defect: one line, unless SACKG_DEBUG asks for the traceback
            if os.environ.get("SACKG_DEBUG"):
                raise
            raise click.ClickException(bounded(f"internal error ({type(exc).__name__}: {exc}); "
                                               "please report it (SACKG_DEBUG=1 shows the traceback)")) from None


_NOT_UTF8 = re.compile(r"[\ud800-\udfff]")
MAX_LINES, MAX_LINE = 60, 400


def bounded(message: str) -> str:
    """An error message as printed: each line escaped and at most MAX_LINE long, at most MAX_LINES lines."""
    lines = [escaped(line if len(line) <= MAX_LINE else line[:MAX_LINE - 1] + "…") for line in message.split("\n")]
    if len(lines) > MAX_LINES:
        lines = lines[:MAX_LINES] + [f"… and {len(lines) - MAX_LINES} more lines"]
    return "\n".join(lines)




def format_option(*choices: str):
    """The shared --format option."""
    return click.option("--format", "fmt", type=click.Choice(choices), default="table", show_default=True,
                        help="Output format.")


def _print(printed, fmt: str) -> None:
    """The one output path: every command's result, in the format --format names."""
    click.echo(printed.render(fmt))


def _kb(ctx):
    from kg.engine.opening import open_store

    return open_store(ctx.obj["store"], ctx.obj["data"], ctx.obj["endpoint"], ctx.obj["graph"])


@click.group(cls=_Group, name="sackg")
@click.version_option(__version__, prog_name="sackg")
@click.option("--data", "data", type=click.Path(file_okay=False), envvar="SACKG_DATA",
              help="Directory of curated YAML data (default: the bundled knowledge base).")
@click.option("--store", type=click.Choice(["embedded", "rdflib", "endpoint"]), envvar="SACKG_STORE",
              help="Query engine: the embedded pyoxigraph store (default), an rdflib graph, or a SPARQL endpoint.")
@click.option("--endpoint", envvar="SACKG_ENDPOINT", metavar="URL",
              help="A SPARQL 1.1 endpoint's query URL, e.g. http://127.0.0.1:7878/query (implies --store endpoint).")
@click.option("--graph", envvar="SACKG_GRAPH", metavar="IRI",
              help="The named graph the knowledge base lives in on a shared server: queries read only it, push writes it.")
@click.pass_context
def main(ctx, data, store, endpoint, graph):
    """SAC-KG: single-atom catalysts for dendrite-free Li, Na and K metal anodes."""
    ctx.obj = {"data": data, "store": store, "endpoint": endpoint, "graph": graph}


@main.command()
@format_option("table", "json", "csv")
@click.pass_context
def stats(ctx, fmt):
    """Count the entities of each class."""
    from kg.field.show import stats as count

    _print(Printed(count(_kb(ctx))), fmt)


@main.command()
@click.argument("entity")
@format_option("table", "json")
@click.pass_context
def show(ctx, entity, fmt):
    """Everything known about ENTITY: facts, measurements with units and conditions, claims, citations."""
    from kg.cli.views import description
    from kg.field.show import describe

    _print(description(describe(_kb(ctx), entity)), fmt)


@main.command()
@click.argument("path", required=False, type=click.Path())
@click.pass_context
def validate(ctx, path):
    """Check the data against the SHACL shapes; print 'conforms' or one line per problem.

    PATH may be a data directory (default: the knowledge base), a YAML paper file to check
    together with the knowledge base, or a Turtle file.
    """
    from kg.cli.views import validation_lines

    lines = validation_lines(path, ctx.obj["data"])
    if lines:
        click.echo("\n".join(lines))
        sys.exit(1)
    click.echo("conforms")


@main.command()
@click.argument("question")
@format_option("table", "json", "csv")
@click.option("--explain", is_flag=True, help="Also show the template, the bound parameters and the SPARQL that ran.")
@click.pass_context
def ask(ctx, question, fmt, explain):
    """Answer QUESTION, asked in plain English, with its citations."""
    from kg.ask.answering import answer
    from kg.cli.views import answered

    _print(answered(answer(_kb(ctx), question), explain), fmt)


@main.command()
@format_option("table", "json", "csv")
def questions(fmt):
    """List the questions SAC-KG can answer, with an example of each."""
    from kg.cli.views import questions_table
    from kg.engine.templates import askable_templates

    _print(Printed(questions_table(askable_templates())), fmt)


@main.command()
@click.argument("file", required=False, type=click.Path(dir_okay=False))
@click.option("--sparql", help="The SPARQL text to run (instead of FILE).")
@click.option("--param", "params", multiple=True, metavar="NAME=VALUE",
              help="Bind ?NAME: <iri>, a number, \"a string\", or an entity name. Repeatable.")
@format_option("table", "json", "csv")
@click.pass_context
def query(ctx, file, sparql, params, fmt):
    """Run any SPARQL SELECT query (FILE.rq or --sparql TEXT) with bound parameters."""
    from kg.cli.views import query_output
    from kg.engine.rawquery import run_query

    kb = _kb(ctx)
    text, name, columns, rows, bindings = run_query(kb, file, sparql, params)
    _print(query_output(columns, rows, text, name, bindings), fmt)


@main.group()
def analyze():
    """Analyses of the field: gaps, rankings, centrality, chains of facts, co-citation."""


@analyze.command()
@format_option("table", "json", "csv")
@click.pass_context
def gaps(ctx, fmt):
    """Coverage matrices (metal x mechanism, metal x centre metal, metal x support, mechanism x evidence)."""
    from kg.cli.views import gaps_output
    from kg.field.analytics import gaps as coverage

    _print(gaps_output(coverage(_kb(ctx))), fmt)


@analyze.command()
@click.argument("quantity")
@click.option("--metal", help="Only values for this alkali metal.")
@format_option("table", "json", "csv")
@click.pass_context
def rank(ctx, quantity, metal, fmt):
    """Systems ordered by QUANTITY in one unit, flagged where conditions differ from the standard test."""
    from kg.cli.views import rank_output
    from kg.field.analytics import rank as ranking

    _print(rank_output(ranking(_kb(ctx), quantity, metal)), fmt)


@analyze.command()
@click.option("--top", default=5, show_default=True, type=click.IntRange(1), help="How many of each kind.")
@format_option("table", "json", "csv")
@click.pass_context
def central(ctx, top, fmt):
    """The most connected mechanisms, centre metals, supports and references."""
    from kg.field.analytics import central as centrality

    _print(Printed(centrality(_kb(ctx), top)), fmt)


@analyze.command()
@click.argument("source")
@click.argument("target")
@format_option("table", "json", "csv")
@click.pass_context
def path(ctx, source, target, fmt):
    """The shortest chain of facts linking SOURCE and TARGET."""
    from kg.field.analytics import path as chain
    from kg.model.table import Table

    statements = chain(_kb(ctx), source, target)
    rows = [{"step": i, "statement": s} for i, s in enumerate(statements, 1)]
    _print(Printed(Table("", ["step", "statement"], rows, note="" if rows else "No chain of facts links them.")), fmt)


@analyze.command()
@click.option("--top", type=click.IntRange(1), default=None, help="Only the first N pairs.")
@format_option("table", "json", "csv")
@click.pass_context
def cocitation(ctx, top, fmt):
    """Pairs of references that back the same mechanisms or systems."""
    from kg.field.analytics import cocitation as pairs

    _print(Printed(pairs(_kb(ctx), top)), fmt)


@main.command()
@click.option("-o", "--output", default="sackg-graph.html", show_default=True, type=click.Path(dir_okay=False),
              help="The HTML file to write.")
@click.option("--focus", help="Draw only the neighbourhood of this entity.")
@click.option("--depth", default=1, show_default=True, type=click.IntRange(0, 6), help="Neighbourhood radius.")
@click.option("--metal", help="Only what concerns this alkali metal.")
@click.option("--mechanism", help="Only systems claimed to act on this mechanism.")
@click.pass_context
def viz(ctx, output, focus, depth, metal, mechanism):
    """Write the interactive graph as one self-contained, offline HTML file."""
    from kg.publish.viz import write_graph

    drawn = write_graph(_kb(ctx), output, focus, depth, metal, mechanism)
    click.echo(f"{output}: {drawn} entities")


@main.command()
@click.argument("kind", metavar="KIND",
                type=click.Choice(["cycle-life", "overpotential", "nucleation", "binding-energy", "gaps"]))
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), help="A .png, .svg or .pdf file.")
@click.option("--format", "fmt", type=click.Choice(["png", "svg", "pdf"], case_sensitive=False),
              help="png (300 dpi), svg or pdf (text kept as text); by default the file's extension.")
@click.option("--metal", help="Only this alkali metal's values.")
@click.pass_context
def plot(ctx, kind, output, fmt, metal):
    """Plot KIND into a file: cycle-life or overpotential (against current density), nucleation or binding-energy
    (by system, beside their baselines), or gaps (the metal x mechanism heatmap)."""
    from kg.publish.plots import output_format
    from kg.publish.plots import plot as draw

    output_format(output, fmt)  # a wrong name or format fails before the knowledge base is opened
    drawing = draw(_kb(ctx), kind, output, fmt, metal)
    click.echo(f"{output}: {drawing}")


@main.command()
@click.option("--port", default=7878, show_default=True, type=click.IntRange(1, 65535))
@click.option("--writable", is_flag=True, help="Accept SPARQL updates (on a copy of the built store).")
@click.option("--timeout", default=30, show_default=True, type=click.IntRange(1, 86400),
              help="Time limit of each query, in seconds.")
@click.option("--allow-federation", is_flag=True, help="Let queries use SERVICE to reach other endpoints.")
@click.pass_context
def serve(ctx, port, writable, timeout, allow_federation):
    """Serve the knowledge base over SPARQL (Oxigraph server) on 127.0.0.1:PORT, read-only by default."""
    from kg.engine.opening import open_kb
    from kg.publish.serve import serve_forever

    serve_forever(open_kb(ctx.obj["data"]).path, port, writable, click.echo, timeout, allow_federation)


@main.command()
@click.option("--endpoint", "target", required=True, metavar="URL", help="The server's query URL.")
@click.option("--store-url", metavar="URL",
              help="The server's Graph Store Protocol URL (default: Oxigraph's /store beside the query URL; "
                   "Virtuoso: /sparql-graph-crud, Fuseki: /DATASET/data).")
@click.pass_context
def push(ctx, target, store_url):
    """Load the knowledge base into a SPARQL server: into the graph --graph names, else the default graph."""
    from kg.publish.serve import push as send

    graph = ctx.obj["graph"]
    where = f"{target}, graph <{graph}>" if graph else target
    click.echo(f"{where}: {send(ctx.obj['data'], target, store_url, graph)} triples loaded")


@main.command()
@click.pass_context
def build(ctx):
    """Build (or reuse) the query store for the data and print where it is."""
    kb = _kb(ctx)
    click.echo(f"{kb.path} ({len(kb)} triples)")


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path())
@click.option("--replace", is_flag=True, help="Update a paper whose DOI is already in the knowledge base.")
@click.option("--dry-run", is_flag=True, help="Check everything and show what would change, but write nothing.")
@click.pass_context
def add(ctx, files, replace, dry_run):
    """Add papers (YAML files, see docs/curating.md) to the curated data, after checking them all."""
    from kg.curate.papers import add as add_papers

    click.echo("\n".join(add_papers(list(files), ctx.obj["data"], replace, dry_run).lines()))


@main.command()
@click.argument("key", metavar="DOI")
@click.option("--dry-run", is_flag=True, help="Check and show what would be removed, but write nothing.")
@click.pass_context
def remove(ctx, key, dry_run):
    """Take the paper with this DOI (or reference id) out of the curated data."""
    from kg.curate.papers import remove as remove_paper

    click.echo("\n".join(remove_paper(key, ctx.obj["data"], dry_run).lines()))


@main.command()
@click.option("--format", "fmt", type=click.Choice(FORMATS), help="What to write.")
@click.option("-o", "--output", type=click.Path(), help="The file to write (for csv and rocrate: a directory).")
@click.option("--all", "directory", type=click.Path(file_okay=False), metavar="DIR",
              help="Write the published snapshot set (every format) into DIR.")
@click.pass_context
def export(ctx, fmt, output, directory):
    """Export the knowledge base: RDF (Turtle, N-Triples, JSON-LD, RDF/XML), GraphML, CSV, BibTeX, HTML, or an
    RO-Crate (a directory holding every format and the ro-crate-metadata.json that describes them)."""
    from kg.publish import export as exporting

    if directory:
        if fmt or output:
            raise click.UsageError("--all DIR writes every format; leave out --format and -o")
        click.echo("\n".join(exporting.export_all(directory, ctx.obj["data"], _kb(ctx))))
        return
    if not (fmt and output):
        raise click.UsageError("give --format FMT and -o FILE, or --all DIR")
    click.echo(exporting.export(fmt, output, ctx.obj["data"], _kb(ctx)))


if __name__ == "__main__":  # pragma: no cover
    main()
