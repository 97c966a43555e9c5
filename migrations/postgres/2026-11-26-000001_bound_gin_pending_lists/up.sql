-- New entries of a GIN index wait in a pending list that every search reads in full and that the
-- insert which overflows it merges into the index. With the default 4 MB, that merge set the
-- p99 of creates (80-150 ms at a million tickets) and a rare-word search slowed by a quarter
-- while the list was full. With 1 MB: create p99 40-55 ms, at ~10% fewer creates per second.
ALTER INDEX tickets_search_title_trgm SET (gin_pending_list_limit = 1024);
ALTER INDEX tickets_search_description_trgm SET (gin_pending_list_limit = 1024);
