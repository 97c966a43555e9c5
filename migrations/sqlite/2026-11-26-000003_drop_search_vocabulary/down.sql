CREATE VIRTUAL TABLE tickets_search_vocabulary USING fts5vocab(tickets_search, 'row');
