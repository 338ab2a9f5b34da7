"""The bottom layer: IRIs and namespaces, values (Iri, typed literals), numbers, name normalisation, the one
error type, the result table, where the bundled files and the data live. Imports nothing else of kg."""
