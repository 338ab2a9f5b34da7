"""The namespaces of SAC-KG's terms, as plain strings, said once (no rdflib: the `ask` path imports this)."""

SAC = "https://w3id.org/sackg/ontology#"  # the ontology and its vocabulary
ID = "https://w3id.org/sackg/id/"         # the things the data describes
BIBO = "http://purl.org/ontology/bibo/"
