-- Stats read the counts they show and nothing else: one row holding the total, the open tickets
-- and the tickets of each priority and category. The columns are PostgreSQL's, whose writers
-- spread over 64 shards; SQLite has one writer at a time, so one shard (0).
DROP TRIGGER tickets_counted_on_update;
DROP TRIGGER tickets_counted_on_delete;
DROP TRIGGER tickets_counted_on_insert;
DROP TABLE ticket_counts;

CREATE TABLE ticket_counts (
    shard INTEGER PRIMARY KEY,
    total INTEGER NOT NULL DEFAULT 0,
    status_open INTEGER NOT NULL DEFAULT 0,
    priority_low INTEGER NOT NULL DEFAULT 0,
    priority_medium INTEGER NOT NULL DEFAULT 0,
    priority_high INTEGER NOT NULL DEFAULT 0,
    priority_critical INTEGER NOT NULL DEFAULT 0,
    category_billing INTEGER NOT NULL DEFAULT 0,
    category_technical INTEGER NOT NULL DEFAULT 0,
    category_account INTEGER NOT NULL DEFAULT 0,
    category_general INTEGER NOT NULL DEFAULT 0
) STRICT;

INSERT INTO ticket_counts (
    shard, total, status_open, priority_low, priority_medium, priority_high, priority_critical,
    category_billing, category_technical, category_account, category_general
)
SELECT 0, count(*), count(*) FILTER (WHERE status = 'open'),
       count(*) FILTER (WHERE priority = 'low'), count(*) FILTER (WHERE priority = 'medium'),
       count(*) FILTER (WHERE priority = 'high'), count(*) FILTER (WHERE priority = 'critical'),
       count(*) FILTER (WHERE category = 'billing'), count(*) FILTER (WHERE category = 'technical'),
       count(*) FILTER (WHERE category = 'account'), count(*) FILTER (WHERE category = 'general')
FROM tickets;

CREATE TRIGGER tickets_counted_on_insert AFTER INSERT ON tickets BEGIN
    UPDATE ticket_counts SET
        total = total + 1,
        status_open = status_open + (NEW.status = 'open'),
        priority_low = priority_low + (NEW.priority = 'low'),
        priority_medium = priority_medium + (NEW.priority = 'medium'),
        priority_high = priority_high + (NEW.priority = 'high'),
        priority_critical = priority_critical + (NEW.priority = 'critical'),
        category_billing = category_billing + (NEW.category = 'billing'),
        category_technical = category_technical + (NEW.category = 'technical'),
        category_account = category_account + (NEW.category = 'account'),
        category_general = category_general + (NEW.category = 'general')
    WHERE shard = 0;
END;

CREATE TRIGGER tickets_counted_on_delete AFTER DELETE ON tickets BEGIN
    UPDATE ticket_counts SET
        total = total - 1,
        status_open = status_open - (OLD.status = 'open'),
        priority_low = priority_low - (OLD.priority = 'low'),
        priority_medium = priority_medium - (OLD.priority = 'medium'),
        priority_high = priority_high - (OLD.priority = 'high'),
        priority_critical = priority_critical - (OLD.priority = 'critical'),
        category_billing = category_billing - (OLD.category = 'billing'),
        category_technical = category_technical - (OLD.category = 'technical'),
        category_account = category_account - (OLD.category = 'account'),
        category_general = category_general - (OLD.category = 'general')
    WHERE shard = 0;
END;

CREATE TRIGGER tickets_counted_on_update AFTER UPDATE OF category, priority, status ON tickets
WHEN OLD.category IS NOT NEW.category OR OLD.priority IS NOT NEW.priority OR OLD.status IS NOT NEW.status
BEGIN
    UPDATE ticket_counts SET
        status_open = status_open + (NEW.status = 'open') - (OLD.status = 'open'),
        priority_low = priority_low + (NEW.priority = 'low') - (OLD.priority = 'low'),
        priority_medium = priority_medium + (NEW.priority = 'medium') - (OLD.priority = 'medium'),
        priority_high = priority_high + (NEW.priority = 'high') - (OLD.priority = 'high'),
        priority_critical = priority_critical + (NEW.priority = 'critical') - (OLD.priority = 'critical'),
        category_billing = category_billing + (NEW.category = 'billing') - (OLD.category = 'billing'),
        category_technical = category_technical + (NEW.category = 'technical') - (OLD.category = 'technical'),
        category_account = category_account + (NEW.category = 'account') - (OLD.category = 'account'),
        category_general = category_general + (NEW.category = 'general') - (OLD.category = 'general')
    WHERE shard = 0;
END;
