#!/usr/bin/env python3
"""The search matrix of the benchmark: which searches bench/run.sh measures (bench/README.md).

    search_matrix.py rows LIMITS        one line per first-page row: name|term|filters|limit|path
    search_matrix.py hits-sql           one SELECT counting the tickets each (term, filters) finds,
                                        on the lower-cased copies, as a row of numbers
    search_matrix.py combos             the (term, filters) pairs in the order hits-sql counts them

Terms: common (~25%), medium (~2%), rare (~0.1%) and absent, each alone, with each single filter
and with all three; plus the examples of issue 17: a term common in one category searched in
another category and in its own, and a term with priority and status. Each row runs at every
limit of LIMITS, on the first page and on a page deep into the walk (bench/run.sh follows the
Link headers to find it). Standard library only.
"""
import sys

import seed

TERMS = [
    ("common", seed.COMMON_WORD),
    ("medium", seed.MEDIUM_WORD),
    ("rare", seed.RARE_WORD),
    ("absent", seed.ABSENT_WORD),
]
# The least common value of each field, so a filter narrows the walk as much as it can.
FILTERS = [
    ("alone", []),
    ("category", [("category", "general")]),
    ("priority", [("priority", "critical")]),
    ("status", [("status", "open")]),
    ("all three", [("category", "general"), ("priority", "critical"), ("status", "open")]),
]
EXAMPLES = [  # (label, term, filters): searches users make that the grid above does not
    ("other category", seed.CATEGORY_WORD, [("category", "general")]),
    ("own category", seed.CATEGORY_WORD, [("category", seed.CATEGORY_WORD_IN)]),
    ("priority+status", "refund", [("priority", "critical"), ("status", "open")]),
]


def combos():
    """(name, term, filters label, filters) for every (term, filters) pair, grid then examples."""
    out = []
    for kind, term in TERMS:
        for label, filters in FILTERS:
            out.append((f"{kind}-{label.replace(' ', '')}", term, label, filters))
    for i, (label, term, filters) in enumerate(EXAMPLES):
        out.append((f"example{i + 1}", term, label, filters))
    return out


def path(term, filters, limit):
    query = "&".join(f"{field}={value}" for field, value in filters)
    return f"/api/tickets/?search={term}" + (f"&{query}" if query else "") + f"&limit={limit}"


def hits_sql():
    counts = []
    for _, term, _, filters in combos():
        like = f"'%{term}%'"
        where = [f"(search_title LIKE {like} OR search_description LIKE {like})"]
        where += [f"{field} = '{value}'" for field, value in filters]
        counts.append(f"count(*) FILTER (WHERE {' AND '.join(where)})")
    return "SELECT count(*), " + ", ".join(counts) + " FROM tickets"


def main(argv):
    if len(argv) == 3 and argv[1] == "rows":
        for limit in argv[2].split():
            for name, term, label, filters in combos():
                print(f"{name}-{limit}|{term}|{label}|{limit}|{path(term, filters, limit)}")
    elif len(argv) == 2 and argv[1] == "hits-sql":
        print(hits_sql())
    elif len(argv) == 2 and argv[1] == "combos":
        for name, term, label, _ in combos():
            print(f"{name}|{term}|{label}")
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
