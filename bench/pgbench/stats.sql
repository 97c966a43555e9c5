-- GET /api/tickets/stats/: STATS_SQL of adapters-sql/src/rows.rs (run.sh warns when they differ).
SELECT CAST(coalesce(sum(n), 0) AS BIGINT) AS total,
       CAST(coalesce(sum(n) FILTER (WHERE status = 'open'), 0) AS BIGINT) AS open,
       (SELECT min(created_at) FROM tickets) AS earliest,
       CAST(coalesce(sum(n) FILTER (WHERE priority = 'low'), 0) AS BIGINT) AS priority_low,
       CAST(coalesce(sum(n) FILTER (WHERE priority = 'medium'), 0) AS BIGINT) AS priority_medium,
       CAST(coalesce(sum(n) FILTER (WHERE priority = 'high'), 0) AS BIGINT) AS priority_high,
       CAST(coalesce(sum(n) FILTER (WHERE priority = 'critical'), 0) AS BIGINT) AS priority_critical,
       CAST(coalesce(sum(n) FILTER (WHERE category = 'billing'), 0) AS BIGINT) AS category_billing,
       CAST(coalesce(sum(n) FILTER (WHERE category = 'technical'), 0) AS BIGINT) AS category_technical,
       CAST(coalesce(sum(n) FILTER (WHERE category = 'account'), 0) AS BIGINT) AS category_account,
       CAST(coalesce(sum(n) FILTER (WHERE category = 'general'), 0) AS BIGINT) AS category_general
FROM ticket_counts;
