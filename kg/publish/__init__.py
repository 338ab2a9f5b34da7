"""What leaves the knowledge base: exports (RDF, GraphML, CSV, BibTeX, RO-Crate, HTML), the interactive graph,
plots, `serve` and `push`."""
