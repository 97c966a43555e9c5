-- Stats without scanning the tickets: a count per (category, priority, status), kept by triggers
-- in the same transaction as every write, so the counts always agree with the tickets. Each
-- count is split over 16 shards (by id) so that concurrent creates rarely wait for the same row.
CREATE TABLE ticket_counts (
    category TEXT NOT NULL,
    priority TEXT NOT NULL,
    status TEXT NOT NULL,
    shard SMALLINT NOT NULL,
    n BIGINT NOT NULL,
    PRIMARY KEY (category, priority, status, shard)
);

-- The statements sit in PL/pgSQL itself, which keeps their plans; a helper SQL function would be
-- planned again on every row.
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

-- Search by substring at any size: trigram indexes serve LIKE '%term%' on the lower-cased copies.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX tickets_search_title_trgm ON tickets USING gin (search_title gin_trgm_ops);
CREATE INDEX tickets_search_description_trgm ON tickets USING gin (search_description gin_trgm_ops);
