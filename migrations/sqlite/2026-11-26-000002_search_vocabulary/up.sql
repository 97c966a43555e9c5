-- How many tickets hold each trigram: tells a search whether the trigram index or a scan in
-- created_at order will find its page sooner.
CREATE VIRTUAL TABLE tickets_search_vocabulary USING fts5vocab(tickets_search, 'row');
