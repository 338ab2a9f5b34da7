"""The field as a graph: the networkx graph, gaps, rankings, centrality, chains of facts, and `show`/`stats`."""
