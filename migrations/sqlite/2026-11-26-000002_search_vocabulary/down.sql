DROP TABLE tickets_search_vocabulary;
