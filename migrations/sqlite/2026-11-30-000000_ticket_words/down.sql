DROP TRIGGER ticket_words_on_update;
DROP TRIGGER ticket_words_on_delete;
DROP TRIGGER ticket_words_on_insert;
DROP TABLE ticket_words;
DROP TRIGGER search_words_on_insert;
DROP TABLE search_words_trigrams;
DROP TABLE search_words;
