#!/usr/bin/python3
"""Reads a GraphML file with networkx (read_graphml) and prints what networkx made of it as
JSON on stdout, for test_export_graphml.c to compare with the chart that was written:
{"directed", "multigraph", "graph": {...}, "nodes": [[id, {...}]], "edges": [[u, v, {...}]]}.
Exits 1 (with networkx's message on stderr) when networkx cannot read the file."""
import json
import sys

import networkx as nx


def main():
    try:
        g = nx.read_graphml(sys.argv[1])
    except Exception as e:  # networkx's own message is the point of the test
        print(f"networkx could not read {sys.argv[1]}: {e!r}", file=sys.stderr)
        return 1
    out = {
        "networkx": nx.__version__,
        "directed": g.is_directed(),
        "multigraph": g.is_multigraph(),
        "graph": dict(g.graph),
        "nodes": [[n, d] for n, d in g.nodes(data=True)],
        "edges": [[u, v, d] for u, v, d in g.edges(data=True)],
    }
    json.dump(out, sys.stdout, ensure_ascii=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
