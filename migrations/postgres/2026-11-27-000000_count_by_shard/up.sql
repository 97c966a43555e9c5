-- Stats read the counts they show and nothing else: per shard, one row holding the total, the open
-- tickets and the tickets of each priority and category. Stats sum 64 rows instead of one row per
-- (category, priority, status, shard); a write changes one row, so concurrent writers rarely wait
-- for the same row.
DROP TRIGGER tickets_counted_on_update ON tickets;
DROP TRIGGER tickets_counted_on_insert_or_delete ON tickets;
DROP FUNCTION ticket_counts_follow();
DROP TABLE ticket_counts;

CREATE TABLE ticket_counts (
    shard SMALLINT PRIMARY KEY,
    total BIGINT NOT NULL DEFAULT 0,
    status_open BIGINT NOT NULL DEFAULT 0,
    priority_low BIGINT NOT NULL DEFAULT 0,
    priority_medium BIGINT NOT NULL DEFAULT 0,
    priority_high BIGINT NOT NULL DEFAULT 0,
    priority_critical BIGINT NOT NULL DEFAULT 0,
    category_billing BIGINT NOT NULL DEFAULT 0,
    category_technical BIGINT NOT NULL DEFAULT 0,
    category_account BIGINT NOT NULL DEFAULT 0,
    category_general BIGINT NOT NULL DEFAULT 0
);
INSERT INTO ticket_counts (shard) SELECT generate_series(0, 63);

-- Creates are counted once per INSERT statement, from its transition table: a statement that
-- writes a batch of tickets changes one row, the shard of its first id. Updates and deletes, one
-- ticket at a time, are counted per row: the change is NEW's counts minus OLD's, where the
-- missing one (NEW on delete) is NULL and counts nothing. PL/pgSQL keeps the plans.
CREATE FUNCTION ticket_counts_count_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE ticket_counts AS c SET
        total = c.total + i.total, status_open = c.status_open + i.status_open,
        priority_low = c.priority_low + i.priority_low, priority_medium = c.priority_medium + i.priority_medium,
        priority_high = c.priority_high + i.priority_high,
        priority_critical = c.priority_critical + i.priority_critical,
        category_billing = c.category_billing + i.category_billing,
        category_technical = c.category_technical + i.category_technical,
        category_account = c.category_account + i.category_account,
        category_general = c.category_general + i.category_general
    FROM (
        SELECT min(id) % 64 AS shard, count(*) AS total, count(*) FILTER (WHERE status = 'open') AS status_open,
               count(*) FILTER (WHERE priority = 'low') AS priority_low,
               count(*) FILTER (WHERE priority = 'medium') AS priority_medium,
               count(*) FILTER (WHERE priority = 'high') AS priority_high,
               count(*) FILTER (WHERE priority = 'critical') AS priority_critical,
               count(*) FILTER (WHERE category = 'billing') AS category_billing,
               count(*) FILTER (WHERE category = 'technical') AS category_technical,
               count(*) FILTER (WHERE category = 'account') AS category_account,
               count(*) FILTER (WHERE category = 'general') AS category_general
        FROM inserted
    ) AS i
    WHERE c.shard = i.shard;
    RETURN NULL;
END;
$$;

CREATE FUNCTION ticket_counts_follow() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE ticket_counts SET
        total = total - 1 + (NEW.id IS NOT NULL)::int,
        status_open = status_open + coalesce((NEW.status = 'open')::int, 0) - (OLD.status = 'open')::int,
        priority_low = priority_low + coalesce((NEW.priority = 'low')::int, 0) - (OLD.priority = 'low')::int,
        priority_medium = priority_medium
            + coalesce((NEW.priority = 'medium')::int, 0) - (OLD.priority = 'medium')::int,
        priority_high = priority_high + coalesce((NEW.priority = 'high')::int, 0) - (OLD.priority = 'high')::int,
        priority_critical = priority_critical
            + coalesce((NEW.priority = 'critical')::int, 0) - (OLD.priority = 'critical')::int,
        category_billing = category_billing
            + coalesce((NEW.category = 'billing')::int, 0) - (OLD.category = 'billing')::int,
        category_technical = category_technical
            + coalesce((NEW.category = 'technical')::int, 0) - (OLD.category = 'technical')::int,
        category_account = category_account
            + coalesce((NEW.category = 'account')::int, 0) - (OLD.category = 'account')::int,
        category_general = category_general
            + coalesce((NEW.category = 'general')::int, 0) - (OLD.category = 'general')::int
    WHERE shard = OLD.id % 64;
    RETURN NULL;
END;
$$;

CREATE TRIGGER tickets_counted_on_insert AFTER INSERT ON tickets
    REFERENCING NEW TABLE AS inserted
    FOR EACH STATEMENT EXECUTE FUNCTION ticket_counts_count_inserted();
CREATE TRIGGER tickets_counted_on_delete AFTER DELETE ON tickets
    FOR EACH ROW EXECUTE FUNCTION ticket_counts_follow();
CREATE TRIGGER tickets_counted_on_update AFTER UPDATE OF category, priority, status ON tickets
    FOR EACH ROW
    WHEN ((OLD.category, OLD.priority, OLD.status) IS DISTINCT FROM (NEW.category, NEW.priority, NEW.status))
    EXECUTE FUNCTION ticket_counts_follow();

UPDATE ticket_counts AS c SET
    total = t.total, status_open = t.status_open,
    priority_low = t.priority_low, priority_medium = t.priority_medium,
    priority_high = t.priority_high, priority_critical = t.priority_critical,
    category_billing = t.category_billing, category_technical = t.category_technical,
    category_account = t.category_account, category_general = t.category_general
FROM (
    SELECT id % 64 AS shard, count(*) AS total, count(*) FILTER (WHERE status = 'open') AS status_open,
           count(*) FILTER (WHERE priority = 'low') AS priority_low,
           count(*) FILTER (WHERE priority = 'medium') AS priority_medium,
           count(*) FILTER (WHERE priority = 'high') AS priority_high,
           count(*) FILTER (WHERE priority = 'critical') AS priority_critical,
           count(*) FILTER (WHERE category = 'billing') AS category_billing,
           count(*) FILTER (WHERE category = 'technical') AS category_technical,
           count(*) FILTER (WHERE category = 'account') AS category_account,
           count(*) FILTER (WHERE category = 'general') AS category_general
    FROM tickets GROUP BY 1
) AS t
WHERE c.shard = t.shard;
