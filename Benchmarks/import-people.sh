#!/usr/bin/env bash
# Benchmark: `upward import people` of a 100 000-row directory into a fresh SQLite file (release build),
# first import (with invitations) and an unchanged re-import, against a plain Python csv → sqlite3 load
# of the same file measured in the same run. Prints a table of seconds and ratios.
#   Benchmarks/import-people.sh [ROWS]
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-100000}
work=$(mktemp -d /tmp/upward-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT

swift build -c release --product upward >/dev/null
bin=.build/release/upward
python3 Benchmarks/generate_directory.py "$rows" "$work/people.csv"

calc() { python3 -c "print($1)"; }
seconds() { local s e; s=$(date +%s.%N); "$@" >/dev/null 2>"$work/err" || { cat "$work/err"; exit 1; }; e=$(date +%s.%N); calc "$e - $s"; }

"$bin" migrate --database "$work/empty.sqlite" >/dev/null
cp "$work/empty.sqlite" "$work/a.sqlite"
first=$(seconds "$bin" import people "$work/people.csv" --database "$work/a.sqlite")
again=$(seconds "$bin" import people "$work/people.csv" --database "$work/a.sqlite")
cp "$work/empty.sqlite" "$work/b.sqlite"
noinvite=$(seconds "$bin" import people "$work/people.csv" --no-invite --database "$work/b.sqlite")
reference=$(python3 Benchmarks/reference_import.py "$work/people.csv" "$work/ref.sqlite")
count=$(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('select count(*) from people').fetchone()[0])" "$work/a.sqlite")
[ "$count" -eq "$rows" ] || { echo "expected $rows people, found $count"; exit 1; }

printf '\n%-52s %9s %9s\n' "import of $rows people into SQLite" "seconds" "ratio"
printf '%-52s %9.2f %9.2f\n' "python csv + sqlite3 executemany (reference)" "$reference" 1
printf '%-52s %9.2f %9.2f\n' "upward import people --no-invite" "$noinvite" "$(calc "$noinvite / $reference")"
printf '%-52s %9.2f %9.2f\n' "upward import people (with $rows invitations)" "$first" "$(calc "$first / $reference")"
printf '%-52s %9.2f %9.2f\n' "upward import people again (all unchanged)" "$again" "$(calc "$again / $reference")"
echo "goal: the first import under 10 s"
