-- A search no longer asks how many tickets hold each trigram: counting a common trigram's
-- tickets read its whole list (~10 ms at a million tickets). It samples the newest tickets instead.
DROP TABLE tickets_search_vocabulary;
