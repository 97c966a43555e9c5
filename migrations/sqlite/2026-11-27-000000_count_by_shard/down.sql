DROP TRIGGER tickets_counted_on_update;
DROP TRIGGER tickets_counted_on_delete;
DROP TRIGGER tickets_counted_on_insert;
DROP TABLE ticket_counts;

CREATE TABLE ticket_counts (
    category TEXT NOT NULL,
    priority TEXT NOT NULL,
    status TEXT NOT NULL,
    shard INTEGER NOT NULL,
    n INTEGER NOT NULL,
    PRIMARY KEY (category, priority, status, shard)
) STRICT;

CREATE TRIGGER tickets_counted_on_insert AFTER INSERT ON tickets BEGIN
    INSERT INTO ticket_counts (category, priority, status, shard, n) VALUES (NEW.category, NEW.priority, NEW.status, 0, 1)
    ON CONFLICT (category, priority, status, shard) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER tickets_counted_on_delete AFTER DELETE ON tickets BEGIN
    UPDATE ticket_counts SET n = n - 1
    WHERE category = OLD.category AND priority = OLD.priority AND status = OLD.status AND shard = 0;
END;

CREATE TRIGGER tickets_counted_on_update AFTER UPDATE OF category, priority, status ON tickets
WHEN OLD.category IS NOT NEW.category OR OLD.priority IS NOT NEW.priority OR OLD.status IS NOT NEW.status
BEGIN
    UPDATE ticket_counts SET n = n - 1
    WHERE category = OLD.category AND priority = OLD.priority AND status = OLD.status AND shard = 0;
    INSERT INTO ticket_counts (category, priority, status, shard, n) VALUES (NEW.category, NEW.priority, NEW.status, 0, 1)
    ON CONFLICT (category, priority, status, shard) DO UPDATE SET n = n + 1;
END;

INSERT INTO ticket_counts (category, priority, status, shard, n)
SELECT category, priority, status, 0, count(*) FROM tickets WHERE true GROUP BY 1, 2, 3;
