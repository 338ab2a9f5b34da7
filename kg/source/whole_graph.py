"""The SPARQL constraints of the shapes (`sh:sparql` on a node shape), run once over the whole graph.

pySHACL runs a SPARQL constraint once per focus node, with `$this` bound: at 250 papers that was
25 of the 27 s that validation took. Run once with `$this` left free, the same SELECT gives every
focus node's violations together. The constraints stay in `ontology/shapes.ttl`, so any SHACL tool
applies them; `take_out` removes them from the shapes pySHACL is given, and `violations` gives what
pySHACL would have reported: the same focus nodes (SHACL instances of the shape's target classes) and
the same messages.
"""

from __future__ import annotations

import re

from rdflib import RDF, RDFS, SH, Graph


class SparqlConstraint:
    def __init__(self, targets: list, select: str, messages: list[str]):
        self.targets, self.select, self.messages = targets, select, messages

    def violations(self, graph: Graph, only: set | None = None):
        """(focus node, message) for each row of the SELECT whose `$this` is a focus node of the shape (and
        one of `only`, when given)."""
        focus = set()
        for target in self.targets:
            for cls in graph.transitive_subjects(RDFS.subClassOf, target):
                focus.update(graph.subjects(RDF.type, cls))
        if only is not None:
            focus &= only
            if not focus:
                return
        for row in graph.query(self.select):
            bound = {name: value for name, value in row.asdict().items() if value is not None}
            node = bound.get("this")
            if node not in focus:
                continue
            for message in self.messages:
                for name, value in bound.items():  # as pySHACL fills in {?var} and {$var}
                    message = re.sub("{{[?$]{}}}".format(name), str(value), message)
                yield node, message


def take_out(shapes: Graph) -> list[SparqlConstraint]:
    """Remove the SPARQL constraints of node shapes from `shapes`, returning them to run once each."""
    found = []
    for shape, constraint in list(shapes.subject_objects(SH.sparql)):
        if (shape, SH.path, None) in shapes:  # a property shape: its constraint needs the path's values
            continue
        prefixes = "".join(f"PREFIX {shapes.value(d, SH.prefix)}: <{shapes.value(d, SH.namespace)}>\n"
                           for source in shapes.objects(constraint, SH.prefixes)
                           for d in shapes.objects(source, SH.declare))
        select = prefixes + re.sub(r"\$this\b", "?this", str(shapes.value(constraint, SH.select)))
        messages = [str(m) for m in shapes.objects(constraint, SH.message)]
        found.append(SparqlConstraint(list(shapes.objects(shape, SH.targetClass)), select, messages))
        shapes.remove((shape, SH.sparql, constraint))
    return found
