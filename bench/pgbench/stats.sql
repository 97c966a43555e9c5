-- GET /api/tickets/stats/: STATS_SQL of adapters-sql/src/rows.rs (run.sh warns when they differ).
SELECT CAST(coalesce(sum(total), 0) AS BIGINT) AS total,
       CAST(coalesce(sum(status_open), 0) AS BIGINT) AS open,
       (SELECT min(created_at) FROM tickets) AS earliest,
       CAST(coalesce(sum(priority_low), 0) AS BIGINT) AS priority_low,
       CAST(coalesce(sum(priority_medium), 0) AS BIGINT) AS priority_medium,
       CAST(coalesce(sum(priority_high), 0) AS BIGINT) AS priority_high,
       CAST(coalesce(sum(priority_critical), 0) AS BIGINT) AS priority_critical,
       CAST(coalesce(sum(category_billing), 0) AS BIGINT) AS category_billing,
       CAST(coalesce(sum(category_technical), 0) AS BIGINT) AS category_technical,
       CAST(coalesce(sum(category_account), 0) AS BIGINT) AS category_account,
       CAST(coalesce(sum(category_general), 0) AS BIGINT) AS category_general
FROM ticket_counts;
