"""Running queries: the back-ends (embedded pyoxigraph, rdflib, an endpoint), opening and building the store with
its saved answers, templates and bound parameters, the name and fact indexes. Imports kg.source and kg.model."""
