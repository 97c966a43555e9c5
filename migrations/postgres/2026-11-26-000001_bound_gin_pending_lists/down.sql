ALTER INDEX tickets_search_description_trgm RESET (gin_pending_list_limit);
ALTER INDEX tickets_search_title_trgm RESET (gin_pending_list_limit);
