-- GET /api/tickets/?search=password&limit=20 (adapters-sql: LIKE on the lower-cased copies)
SELECT id, title, description, category, priority, status, created_at FROM tickets
WHERE (search_title LIKE '%password%' ESCAPE '\' OR search_description LIKE '%password%' ESCAPE '\')
ORDER BY created_at DESC, id DESC LIMIT 21;
