-- GET /api/tickets/?status=open&search=zeppelin&limit=20
SELECT id, title, description, category, priority, status, created_at FROM tickets
WHERE status = 'open'
  AND (search_title LIKE '%zeppelin%' ESCAPE '\' OR search_description LIKE '%zeppelin%' ESCAPE '\')
ORDER BY created_at DESC, id DESC LIMIT 21;
