-- GET /api/tickets/?limit=20: the server asks for one row more than the page (21).
SELECT id, title, description, category, priority, status, created_at FROM tickets
ORDER BY created_at DESC, id DESC LIMIT 21;
