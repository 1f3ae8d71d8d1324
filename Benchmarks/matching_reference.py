#!/usr/bin/env python3
"""Writes the benchmark matrices and times the reference solvers on them.

  matching_reference.py make KIND ROWS COLUMNS FILE      write a seeded Float32 matrix
  matching_reference.py run SOLVER FILE ROWS COLUMNS [CAPACITY]   time one solver, print JSON

Kinds: uniform (U[0,1)), structured (dot products of random non-negative 20-dimensional skill
vectors plus 1 % noise: like real compatibility, and hard for shortest-path solvers), ties
(integers 0-9: many equal optima). Solvers maximise the total; each reports its total so the
script can check they agree with Upward's.
"""
import json
import sys
import time

import numpy as np


def make(kind, rows, columns, path):
    rng = np.random.default_rng(20261122 + rows * 7 + columns)
    if kind == "uniform":
        m = rng.random((rows, columns), dtype=np.float32)
    elif kind == "structured":
        a = rng.random((rows, 20), dtype=np.float32)
        b = rng.random((columns, 20), dtype=np.float32)
        m = a @ b.T
        m += (0.01 * m.mean()) * rng.random((rows, columns), dtype=np.float32)
    elif kind == "ties":
        m = rng.integers(0, 10, size=(rows, columns)).astype(np.float32)
    else:
        raise SystemExit(f"unknown kind {kind}")
    m.astype("<f4").tofile(path)


def load(path, rows, columns):
    return np.fromfile(path, dtype="<f4").reshape(rows, columns)


def run(solver, path, rows, columns, capacity):
    w = load(path, rows, columns).astype(np.float64)
    build = 0.0
    if solver == "scipy":
        from scipy.optimize import linear_sum_assignment
        start = time.perf_counter()
        r, c = linear_sum_assignment(w, maximize=True)
        seconds = time.perf_counter() - start
        total = float(w[r, c].sum())
    elif solver == "lapjv":
        from lapjv import lapjv
        assert rows == columns, "lapjv needs a square matrix"
        cost = np.ascontiguousarray(-w)
        start = time.perf_counter()
        row_ind, _, _ = lapjv(cost)
        seconds = time.perf_counter() - start
        total = float(w[np.arange(rows), row_ind].sum())
    elif solver == "ortools-lsa":
        from ortools.graph.python import linear_sum_assignment
        scale = 1e6 / max(1e-9, float(np.abs(w).max()))   # OR-Tools takes integer costs
        costs = np.rint(-w * scale).astype(np.int64)
        start = time.perf_counter()
        a = linear_sum_assignment.SimpleLinearSumAssignment()
        left = np.repeat(np.arange(rows, dtype=np.int64), columns)
        right = np.tile(np.arange(columns, dtype=np.int64), rows)
        a.add_arcs_with_cost(left, right, costs.ravel())
        build = time.perf_counter() - start
        start = time.perf_counter()
        status = a.solve()
        seconds = time.perf_counter() - start
        assert status == a.OPTIMAL, status
        total = float(sum(w[i, a.right_mate(i)] for i in range(rows)))
    elif solver == "ortools-flow":
        from ortools.graph.python import min_cost_flow
        scale = 1e6 / max(1e-9, float(np.abs(w).max()))
        costs = np.rint(-w * scale).astype(np.int64)
        start = time.perf_counter()
        f = min_cost_flow.SimpleMinCostFlow()
        source, sink = rows + columns, rows + columns + 1
        tails = np.concatenate([np.full(rows, source), np.repeat(np.arange(rows), columns), rows + np.arange(columns)])
        heads = np.concatenate([np.arange(rows), rows + np.tile(np.arange(columns), rows), np.full(columns, sink)])
        caps = np.concatenate([np.ones(rows), np.ones(rows * columns), np.full(columns, capacity)]).astype(np.int64)
        unit = np.concatenate([np.zeros(rows), costs.ravel(), np.zeros(columns)]).astype(np.int64)
        f.add_arcs_with_capacity_and_unit_cost(tails.astype(np.int64), heads.astype(np.int64), caps, unit)
        flow = min(rows, columns * capacity)
        f.set_node_supply(source, flow)
        f.set_node_supply(sink, -flow)
        build = time.perf_counter() - start
        start = time.perf_counter()
        status = f.solve()
        seconds = time.perf_counter() - start
        assert status == f.OPTIMAL, status
        flows = f.flows(np.arange(rows, rows + rows * columns))
        used = np.nonzero(flows)[0]
        total = float(w.ravel()[used].sum())
    else:
        raise SystemExit(f"unknown solver {solver}")
    print(json.dumps({"seconds": seconds, "build_seconds": build, "total": total}))


if __name__ == "__main__":
    if sys.argv[1] == "make":
        make(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5])
    else:
        run(sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6]) if len(sys.argv) > 6 else 1)
