"""The curated YAML made into RDF: reading records with their lines, the vocabulary and units, the converter with
one part per block, SHACL validation, all-or-nothing changes. Imports only kg.model."""
