-- GET /api/tickets/?category=technical&priority=high&status=open&limit=20
SELECT id, title, description, category, priority, status, created_at FROM tickets
WHERE category = 'technical' AND priority = 'high' AND status = 'open'
ORDER BY created_at DESC, id DESC LIMIT 21;
