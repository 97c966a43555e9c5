DROP TRIGGER tickets_counted_on_update ON tickets;
DROP TRIGGER tickets_counted_on_delete ON tickets;
DROP TRIGGER tickets_counted_on_insert ON tickets;
DROP FUNCTION ticket_counts_follow();
DROP FUNCTION ticket_counts_count_inserted();
DROP TABLE ticket_counts;

CREATE TABLE ticket_counts (
    category TEXT NOT NULL,
    priority TEXT NOT NULL,
    status TEXT NOT NULL,
    shard SMALLINT NOT NULL,
    n BIGINT NOT NULL,
    PRIMARY KEY (category, priority, status, shard)
);

CREATE FUNCTION ticket_counts_follow() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        INSERT INTO ticket_counts AS c (category, priority, status, shard, n)
        VALUES (OLD.category, OLD.priority, OLD.status, OLD.id % 16, -1)
        ON CONFLICT (category, priority, status, shard) DO UPDATE SET n = c.n - 1;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO ticket_counts AS c (category, priority, status, shard, n)
        VALUES (NEW.category, NEW.priority, NEW.status, NEW.id % 16, 1)
        ON CONFLICT (category, priority, status, shard) DO UPDATE SET n = c.n + 1;
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER tickets_counted_on_insert_or_delete AFTER INSERT OR DELETE ON tickets
    FOR EACH ROW EXECUTE FUNCTION ticket_counts_follow();
CREATE TRIGGER tickets_counted_on_update AFTER UPDATE OF category, priority, status ON tickets
    FOR EACH ROW
    WHEN ((OLD.category, OLD.priority, OLD.status) IS DISTINCT FROM (NEW.category, NEW.priority, NEW.status))
    EXECUTE FUNCTION ticket_counts_follow();

INSERT INTO ticket_counts (category, priority, status, shard, n)
SELECT category, priority, status, id % 16, count(*) FROM tickets GROUP BY 1, 2, 3, 4;
