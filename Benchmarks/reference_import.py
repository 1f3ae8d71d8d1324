#!/usr/bin/env python3
"""The reference: load the same CSV into SQLite with Python's csv and sqlite3 modules in one
transaction, with no validation, no reporting-line checks and no invitations. It is the floor
for 'rows into an SQLite file', so Upward's import is measured as a ratio of it."""
import csv
import sqlite3
import sys
import time

start = time.perf_counter()
db = sqlite3.connect(sys.argv[2])
db.execute("CREATE TABLE people (employee_id TEXT UNIQUE, name TEXT, email TEXT UNIQUE, department TEXT, title TEXT,"
           " level INTEGER, manager_id TEXT, location TEXT, time_zone TEXT, hire_date TEXT, leave_date TEXT,"
           " birth_year INTEGER, diversity_gender TEXT)")
with open(sys.argv[1], newline="") as f:
    rows = csv.reader(f)
    next(rows)
    with db:
        db.executemany("INSERT INTO people VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)", rows)
db.close()
print(f"{time.perf_counter() - start:.3f}")
