-- GET /api/tickets/{id}/ for a random id; run.sh passes -D n=N.
\set id random(1, :n)
SELECT id, title, description, category, priority, status, created_at FROM tickets WHERE id = :id LIMIT 1;
