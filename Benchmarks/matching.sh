#!/usr/bin/env bash
# Benchmark: Upward's exact matching engine against scipy's linear_sum_assignment, lapjv and OR-Tools
# (LinearSumAssignment, SimpleMinCostFlow) on the same matrices in one run, single thread.
# Prints seconds per solver and the ratio Upward / fastest reference (< 1.0: Upward is faster).
#   Benchmarks/matching.sh [SIZES...]        default: 1000 2000 4000 8000
#   SCIPY_MAX=4000 Benchmarks/matching.sh    skip scipy above that size (it takes ~90 s at 8000)
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=${*:-1000 2000 4000 8000}
scipy_max=${SCIPY_MAX:-8000}
work=$(mktemp -d /tmp/upward-matching.XXXXXX)
trap 'rm -rf "$work"' EXIT
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1

if [ ! -x .venv-bench/bin/python ] || ! .venv-bench/bin/python -c 'import numpy, scipy, lapjv, ortools' 2>/dev/null; then
  python3 -m venv .venv-bench
  .venv-bench/bin/pip install -q numpy scipy lapjv ortools
fi
py=.venv-bench/bin/python
(cd Benchmarks && swift build -c release --product MatchingBenchmark >/dev/null)
engine=Benchmarks/.build/release/MatchingBenchmark

field() { $py -c "import json,sys; print(json.loads(sys.argv[1])[sys.argv[2]])" "$1" "$2"; }

printf '%-12s %6s %9s %9s %9s %9s %9s %7s %6s  %s\n' kind n upward lapjv ortools "(+arcs)" scipy ratio memory check
run_case() {  # kind rows columns capacity
  local kind=$1 rows=$2 columns=$3 capacity=$4 file="$work/m.f32"
  $py Benchmarks/matching_reference.py make "$kind" "$rows" "$columns" "$file"
  local ours; ours=$("$engine" "$file" "$rows" "$columns" --capacity "$capacity")
  local t_ours total certified memory; t_ours=$(field "$ours" seconds); total=$(field "$ours" total); certified=$(field "$ours" certified)
  memory=$($py -c "print(f'{float($(field "$ours" memory)):.2f}')")
  local t_lapjv="-" t_ort="-" t_build="-" t_scipy="-" agree=yes best=""
  note() {  # solver seconds total
    best=$($py -c "print(min(x for x in [$1, ${best:-$1}]))")
    $py -c "import sys; a,b=float(sys.argv[1]),float(sys.argv[2]); sys.exit(0 if abs(a-b) <= 1e-6*max(1,abs(a))+0.5e-6*$rows else 1)" "$2" "$total" || agree=no
  }
  if [ "$capacity" -eq 1 ]; then
    local r; r=$($py Benchmarks/matching_reference.py run lapjv "$file" "$rows" "$columns")
    t_lapjv=$(field "$r" seconds); note "$t_lapjv" "$(field "$r" total)"
    r=$($py Benchmarks/matching_reference.py run ortools-lsa "$file" "$rows" "$columns")
    t_ort=$(field "$r" seconds); t_build=$(field "$r" build_seconds); note "$t_ort" "$(field "$r" total)"
    if [ "$rows" -le "$scipy_max" ]; then
      r=$($py Benchmarks/matching_reference.py run scipy "$file" "$rows" "$columns")
      t_scipy=$(field "$r" seconds); note "$t_scipy" "$(field "$r" total)"
    fi
  else
    local r; r=$($py Benchmarks/matching_reference.py run ortools-flow "$file" "$rows" "$columns" "$capacity")
    t_ort=$(field "$r" seconds); t_build=$(field "$r" build_seconds); note "$t_ort" "$(field "$r" total)"
  fi
  local ratio; ratio=$($py -c "print(f'{$t_ours / $best:.3f}')")
  local check="certified=$certified totals-agree=$agree"
  fmt() { [ "$1" = "-" ] && echo "-" || $py -c "print(f'{$1:.3f}')"; }
  printf '%-12s %6s %9s %9s %9s %9s %9s %7s %6s  %s\n' "$kind" "$rows" "$(fmt "$t_ours")" "$(fmt "$t_lapjv")" "$(fmt "$t_ort")" \
    "$(fmt "$t_build")" "$(fmt "$t_scipy")" "$ratio" "$memory" "$check"
}
for kind in uniform structured ties; do
  for n in $sizes; do run_case "$kind" "$n" "$n" 1; done
done
run_case structured 10000 5000 2
echo "seconds to solve (OR-Tools' arc building shown apart); ratio = upward / fastest reference; totals checked to 1e-6"
echo "memory: the engine's extra peak memory during the solve, as a multiple of the score matrix (Float32) it reads"
echo "capacity row: 10 000 mentees × 5 000 mentors of capacity 2 (OR-Tools SimpleMinCostFlow)"
