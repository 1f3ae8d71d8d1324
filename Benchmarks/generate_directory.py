#!/usr/bin/env python3
"""Writes a realistic staff directory CSV of N people: a reporting tree, 12 departments,
levels 1-9, several time zones. Seeded, so every run measures the same file."""
import csv
import random
import sys

ZONES = ["Europe/London", "Europe/Berlin", "America/New_York", "Asia/Singapore", "Asia/Kolkata", "Australia/Sydney"]
DEPARTMENTS = ["Engineering", "Data", "Product", "Design", "Marketing", "Sales", "Support", "Finance",
               "People", "Legal", "Operations", "Security"]


def main(n, path):
    rng = random.Random(2026)
    with open(path, "w", newline="") as out:
        w = csv.writer(out)
        w.writerow(["employee_id", "name", "email", "department", "title", "level", "manager_id",
                    "location", "time_zone", "hire_date", "leave_date", "birth_year", "diversity_gender"])
        for i in range(n):
            # Each person's manager is someone earlier in the file: a tree, roughly 8 reports each.
            manager = "" if i == 0 else f"E{(i - 1) // 8:06d}"
            level = max(1, 9 - len(str(i)) - rng.randint(0, 2)) if i else 9
            dept = DEPARTMENTS[i % len(DEPARTMENTS)]
            w.writerow([f"E{i:06d}", f"Person {i}", f"person{i}@example.org", dept, f"Role {level}", level, manager,
                        "Office", rng.choice(ZONES), f"20{rng.randint(10, 25)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                        "", rng.randint(1960, 2003), rng.choice(["woman", "man", "non-binary", ""])])


if __name__ == "__main__":
    main(int(sys.argv[1]), sys.argv[2])
