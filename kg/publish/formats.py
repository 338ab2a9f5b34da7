"""The formats `sackg export` writes (said once: the command line offers these, kg.publish.export writes them)."""

FORMATS = ("turtle", "ntriples", "jsonld", "rdfxml", "graphml", "csv", "bibtex", "rocrate", "html")
