#!/usr/bin/env python3
"""Seed data for the benchmark, one description for both stores.

    seed.py postgres-sql N      print the INSERT ... SELECTs that seed N tickets into PostgreSQL
    seed.py sqlite PATH N       insert N tickets into the SQLite file PATH (schema already created)

Both draw from the same word lists and the same skewed distributions, so the two stores hold
look-alike data: ~1 ticket in 4 mentions COMMON_WORD, ~1 in 50 MEDIUM_WORD, ~1 in 1000 RARE_WORD,
none ABSENT_WORD; CATEGORY_WORD is in ~40% of the CATEGORY_WORD_IN tickets and ~1 in 2000 of the
others (a term common in one category, searched in another); created_at climbs with the id
(tickets arrive over time) across the last 365 days. Text is ASCII, so
lower() in SQL and Python's lower() both equal Rust's to_lowercase (the server's search_key).
Standard library only.
"""
import json
import random
import re
import sqlite3
import sys
import time

COMMON_WORD = "password"  # the run prints how many tickets actually mention it
RARE_WORD = "zeppelin"
RARE_SHARE = 0.001
MEDIUM_WORD = "kubernetes"
MEDIUM_SHARE = 0.02
ABSENT_WORD = "quokka"  # in no ticket
CATEGORY_WORD = "salesforce"
CATEGORY_WORD_IN = "billing"
CATEGORY_WORD_SHARES = (0.40, 0.0005)  # of the CATEGORY_WORD_IN tickets, of the others

CATEGORIES = [("technical", 0.40), ("billing", 0.25), ("account", 0.20), ("general", 0.15)]
PRIORITIES = [("low", 0.30), ("medium", 0.40), ("high", 0.22), ("critical", 0.08)]
STATUSES = [("open", 0.25), ("in_progress", 0.15), ("resolved", 0.35), ("closed", 0.25)]

# title = PROBLEM + " " + THING + SUFFIX
PROBLEMS = [
    "Cannot access", "Error when opening", "Question about", "Unable to update", "Charged twice for",
    "Slow loading of", "Missing", "Refund request for", "Broken", "How do I change",
    "Problem with", "Cannot download", "Wrong amount on", "Need help with", "Lost access to",
    "Timeout while saving", "Cannot delete", "Unexpected charge on", "Feature request:", "Sync issue with",
]
THINGS = [
    "my invoice", "the dashboard", "account settings", "the password reset email", "the mobile app",
    "my subscription plan", "the API key", "the CSV export", "two-factor login", "the billing address",
    "team permissions", "the monthly report", "my profile photo", "the search page", "email notifications",
    "the payment method", "shared folders", "the calendar integration", "my password", "the audit log",
    "single sign-on", "the webhook settings", "order history", "the support portal", "the data import",
]
SUFFIXES = [
    "", "", "", "", " after the update", " since yesterday", " on Android", " in Firefox",
    " for our whole team", " again",
]
# description = GREETING + " since " + WHEN + " I " + CANNOT + " " + THING + ". " + SYMPTOM + " "
#               + CONTEXT + " " [+ RARE] + CLOSING + " Reference #" + number
GREETINGS = ["Hi team,", "Hello,", "Good morning,", "Hey support,", "Dear support team,", "Hi there,"]
WHENS = [
    "yesterday", "this morning", "last week", "the last update", "Monday", "two days ago",
    "the migration", "we renewed", "this afternoon", "the outage",
]
CANNOTS = [
    "cannot open", "cannot change", "keep seeing errors in", "get a blank page for", "was billed for",
    "have trouble with", "lost", "cannot find", "get logged out from", "see wrong data in",
]
SYMPTOMS = [
    "The page shows an error 500 and nothing loads.", "It keeps loading forever.",
    "I was charged twice this month.", "The reset link says it has expired.",
    "It asks for my password again and again.", "The numbers do not match our records.",
    "Nothing happens when I click the save button.", "The app crashes right after login.",
    "My colleague has the same issue.", "The export file is empty.",
    "I get a message that my session expired.", "The invoice shows the old company name.",
    "Two factor codes are never accepted.", "Search returns results from another team.",
    "The download stops at 99 percent.", "I changed my password but the old one still works.",
    "Emails from you end up in spam.", "The total on the receipt is wrong.",
    "Our admin cannot add new users.", "The page is very slow during business hours.",
]
CONTEXTS = [
    "I am using Chrome on Windows 11.", "I am on the latest iOS version.", "We are on the business plan.",
    "This affects about twenty people.", "I already cleared the cache and cookies.",
    "I tried another browser with the same result.", "It worked fine until last month.",
    "Our account was created in 2019.", "I attached a screenshot to my previous email.",
    "We use the European data center.", "The problem started after our plan changed.",
    "I am the account owner.",
]
RARES = ["The " + RARE_WORD + " module reports a checksum mismatch."]
MEDIUMS = ["Our " + MEDIUM_WORD + " cluster cannot reach your API."]
CATEGORY_SENTENCES = ["We sync every invoice to " + CATEGORY_WORD.capitalize() + " each night."]
CLOSINGS = [
    "Please help.", "Thanks in advance.", "This is urgent for our team.", "Can you look into it?",
    "Kind regards.", "Let me know if you need more details.", "Thank you!", "Please advise.",
]

DAY_US = 86_400_000_000
SPAN_US = 365 * DAY_US
BATCH = 10_000  # PostgreSQL rows per INSERT (and per transaction)


def sql_quote(text):
    return "'" + text.replace("'", "''") + "'"


def sql_pick(words):
    """A uniformly random element of words, drawn once per row."""
    array = "ARRAY[" + ", ".join(sql_quote(w) for w in words) + "]"
    return f"({array})[1 + floor(random() * {len(words)})::int]"


def sql_skewed(draw, choices):
    """The choice whose cumulative share first exceeds draw (a random() in [0, 1))."""
    arms, total = [], 0.0
    for value, share in choices[:-1]:
        total += share
        arms.append(f"WHEN {draw} < {total:.4f} THEN {sql_quote(value)}")
    return f"CASE {' '.join(arms)} ELSE {sql_quote(choices[-1][0])} END"


def category_bounds(value):
    """The [low, high) range of the category draw that picks value."""
    low = 0.0
    for i, (choice, share) in enumerate(CATEGORIES):
        high = 1.0 if i == len(CATEGORIES) - 1 else low + share
        if choice == value:
            return low, high
        low = high
    raise ValueError(value)


def sql_in_category(draw, value):
    low, high = category_bounds(value)
    return f"{draw} >= {low:.4f} AND {draw} < {high:.4f}"


def postgres_sql(n):
    title = f"{sql_pick(PROBLEMS)} || ' ' || {sql_pick(THINGS)} || {sql_pick(SUFFIXES)}"
    description = (
        f"{sql_pick(GREETINGS)} || ' since ' || {sql_pick(WHENS)} || ' I ' || {sql_pick(CANNOTS)}"
        f" || ' ' || {sql_pick(THINGS)} || '. ' || {sql_pick(SYMPTOMS)} || ' ' || {sql_pick(CONTEXTS)}"
        f" || ' ' || CASE WHEN random() < {RARE_SHARE} THEN {sql_quote(RARES[0])} || ' ' ELSE '' END"
        f" || CASE WHEN random() < {MEDIUM_SHARE} THEN {sql_quote(MEDIUMS[0])} || ' ' ELSE '' END"
        f" || CASE WHEN random() < CASE WHEN {sql_in_category('rc', CATEGORY_WORD_IN)}"
        f" THEN {CATEGORY_WORD_SHARES[0]} ELSE {CATEGORY_WORD_SHARES[1]} END"
        f" THEN {sql_quote(CATEGORY_SENTENCES[0])} || ' ' ELSE '' END"
        f" || {sql_pick(CLOSINGS)} || ' Reference #' || (100000 + floor(random() * 900000)::int)"
    )
    # Batches of BATCH rows, each its own statement and transaction (the trigger that keeps
    # ticket_counts runs once per statement, over the rows it inserted).
    # The innermost subquery draws the per-row random numbers; the middle one builds the text once
    # per row (volatile functions keep both from being flattened), so search_* = lower(text) exactly.
    start = time.strftime("%Y-%m-%d %H:%M:%S+00", time.gmtime(time.time() - SPAN_US / 1e6))
    statements = ["SELECT setseed(0.42);"]
    for first in range(1, n + 1, BATCH):
        last = min(first + BATCH - 1, n)
        statements.append(f"""INSERT INTO tickets (title, description, category, priority, status, created_at,
                     search_title, search_description)
SELECT title, description, category, priority, status, created_at, lower(title), lower(description)
FROM (
    SELECT {title} AS title,
           {description} AS description,
           {sql_skewed("rc", CATEGORIES)} AS category,
           {sql_skewed("rp", PRIORITIES)} AS priority,
           {sql_skewed("rs", STATUSES)} AS status,
           timestamptz '{start}' + (g - 1 + rt) * (interval '365 days' / {n}) AS created_at
    FROM (SELECT g, random() AS rc, random() AS rp, random() AS rs, random() AS rt
          FROM generate_series({first}, {last}) AS g) AS draws
) AS rows;""")
    return "\n".join(statements) + "\n"


def skewed(rng, choices):
    draw, total = rng.random(), 0.0
    for value, share in choices[:-1]:
        total += share
        if draw < total:
            return value
    return choices[-1][0]


def rows(n, rng):
    start_us = int(time.time() * 1_000_000) - SPAN_US
    slot_us = SPAN_US / n
    pick = rng.choice
    for g in range(n):
        title = f"{pick(PROBLEMS)} {pick(THINGS)}{pick(SUFFIXES)}"
        category = skewed(rng, CATEGORIES)
        rare = RARES[0] + " " if rng.random() < RARE_SHARE else ""
        medium = MEDIUMS[0] + " " if rng.random() < MEDIUM_SHARE else ""
        in_category = CATEGORY_WORD_SHARES[0 if category == CATEGORY_WORD_IN else 1]
        concentrated = CATEGORY_SENTENCES[0] + " " if rng.random() < in_category else ""
        description = (
            f"{pick(GREETINGS)} since {pick(WHENS)} I {pick(CANNOTS)} {pick(THINGS)}. {pick(SYMPTOMS)} "
            f"{pick(CONTEXTS)} {rare}{medium}{concentrated}{pick(CLOSINGS)} Reference #{rng.randrange(100000, 1000000)}"
        )
        created_at = start_us + int((g + rng.random()) * slot_us)
        yield (
            title, description, category, skewed(rng, PRIORITIES), skewed(rng, STATUSES),
            created_at, title.lower(), description.lower(),
        )


def words_of(key):
    """The server's words_of (domain::words_of): the distinct runs of ASCII letters and digits of a
    search key, one longer than 64 characters as "~", as a JSON array."""
    return json.dumps(sorted({word if len(word) <= 64 else "~" for word in re.findall(r"[0-9a-z]+", key)}))


# The word index filled as its migration (2026-11-30-000000_ticket_words) does, in key order.
WORD_INDEX_SQL = [
    "INSERT INTO ticket_words (word, category, created_at, ticket_id)"
    " SELECT words.value, tickets.category, tickets.created_at, tickets.id FROM tickets,"
    " json_each(words_of(tickets.search_title || ' ' || tickets.search_description)) AS words ORDER BY 1, 2, 3, 4",
    "INSERT OR IGNORE INTO search_words (word) SELECT DISTINCT word FROM ticket_words",
]


def seed_sqlite(path, n):
    """One transaction: the secondary indexes and the triggers that feed a full-text index over
    tickets are dropped, the tickets inserted (every other trigger, like the ones that keep
    ticket_counts, runs for each row), then the indexes and those triggers are created again from
    their own SQL and each full-text index is rebuilt from the table, as a migration does."""
    db = sqlite3.connect(path, isolation_level=None)
    db.create_function("words_of", 1, words_of, deterministic=True)
    db.execute("PRAGMA synchronous = OFF")  # only for this connection, only while seeding
    db.execute("PRAGMA cache_size = -262144")  # 256 MiB
    db.execute("BEGIN")
    schema = db.execute("SELECT type, name, sql FROM sqlite_schema WHERE tbl_name = 'tickets'").fetchall()
    indexes = [(name, sql) for kind, name, sql in schema if kind == "index" and sql]
    full_text = [
        name for (name, sql) in db.execute("SELECT name, sql FROM sqlite_schema WHERE type = 'table'")
        if re.match(r"(?is)\s*CREATE\s+VIRTUAL\s+TABLE\b.*\bUSING\s+fts5\b.*\bcontent\s*=\s*['\"]?tickets\b", sql or "")
    ]
    feeders = [(name, sql) for kind, name, sql in schema
               if kind == "trigger" and any(re.search(rf"\b{re.escape(f)}\b", sql)
                                            for f in full_text + ["ticket_words"])]
    for name, _ in indexes:
        db.execute(f'DROP INDEX "{name}"')
    for name, _ in feeders:
        db.execute(f'DROP TRIGGER "{name}"')
    db.executemany(
        "INSERT INTO tickets (title, description, category, priority, status, created_at,"
        " search_title, search_description) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        rows(n, random.Random(42)),
    )
    for _, sql in feeders + indexes:
        db.execute(sql)
    for name in full_text:
        db.execute(f'INSERT INTO "{name}" ("{name}") VALUES (\'rebuild\')')
    for sql in WORD_INDEX_SQL:
        db.execute(sql)
    db.execute("COMMIT")
    db.execute("ANALYZE")
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    count = db.execute("SELECT count(*) FROM tickets").fetchone()[0]
    for name in full_text:  # the full-text index finds what a scan finds
        like = f"%{RARE_WORD}%"
        scanned = db.execute("SELECT count(*) FROM tickets WHERE search_title LIKE ? OR search_description LIKE ?",
                             (like, like)).fetchone()[0]
        indexed = db.execute(f'SELECT count(*) FROM "{name}" WHERE "{name}" MATCH ?', (f'"{RARE_WORD}"',)).fetchone()[0]
        if indexed != scanned:
            sys.exit(f"seed.py: {name} finds {indexed} tickets with {RARE_WORD!r}, a scan {scanned}")
    db.close()
    if count < n:
        sys.exit(f"seed.py: expected at least {n} tickets, found {count}")


def main(argv):
    if len(argv) == 3 and argv[1] == "postgres-sql":
        sys.stdout.write(postgres_sql(int(argv[2])))
    elif len(argv) == 4 and argv[1] == "sqlite":
        seed_sqlite(argv[2], int(argv[3]))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
