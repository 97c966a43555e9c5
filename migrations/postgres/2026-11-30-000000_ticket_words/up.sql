-- A word index for search (issue 17): for each ticket, one row per distinct word of its title and
-- description (search keys), keyed by word and category in list order. A search looks up the
-- words that can hold its term (domain::SearchTerm::word_piece) in `search_words`, then walks
-- their rows newest first and reads only those tickets, so a page costs what its tickets and the
-- rarity of term and category together cost, where the trigram indexes name every ticket with
-- the term and the filters throw most of them away after reading them. The LIKE comparison of
-- every candidate still decides. Words are runs of ASCII letters and digits, exactly
-- domain::is_word_char; status and priority are not here, so a status change never touches it.
-- A word longer than 64 characters is held as '~' (domain::LONG_WORD; an index key has a size
-- limit), and every search reads those tickets too.
CREATE FUNCTION words_of(key TEXT) RETURNS SETOF TEXT LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT DISTINCT CASE WHEN length(word) > 64 THEN '~' ELSE word END
          FROM regexp_split_to_table(key, '[^0-9a-z]+') AS word WHERE word <> '' $$;

CREATE TABLE search_words (
    word TEXT COLLATE "C" PRIMARY KEY
);

CREATE TABLE ticket_words (
    word TEXT COLLATE "C" NOT NULL,
    category TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    ticket_id BIGINT NOT NULL
);

SET LOCAL maintenance_work_mem = '256MB';
INSERT INTO ticket_words (word, category, created_at, ticket_id)
    SELECT word, category, created_at, id FROM tickets, words_of(search_title || ' ' || search_description) AS word;
ALTER TABLE ticket_words ADD PRIMARY KEY (word, category, created_at, ticket_id);
INSERT INTO search_words (word) SELECT DISTINCT word FROM ticket_words;
-- Finds the words holding a part or an end of a term; a start or a whole word uses the key.
CREATE INDEX search_words_trgm ON search_words USING gin (word gin_trgm_ops);

-- One pass over the new tickets' words fills both tables. Only words the vocabulary lacks are
-- added, sorted, so two creates adding the same new words wait for each other in one order and
-- cannot deadlock; probing first spares the insert's conflict check, which reads the table.
CREATE FUNCTION index_new_ticket_words() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    WITH words AS MATERIALIZED (
        SELECT new_word, category, created_at, id
        FROM new_tickets, words_of(search_title || ' ' || search_description) AS new_word
    ), vocabulary AS (
        INSERT INTO search_words (word)
            SELECT DISTINCT new_word FROM words
            WHERE NOT EXISTS (SELECT FROM search_words WHERE search_words.word = new_word)
            ORDER BY new_word
            ON CONFLICT DO NOTHING
    )
    INSERT INTO ticket_words (word, category, created_at, ticket_id) SELECT new_word, category, created_at, id FROM words;
    RETURN NULL;
END $$;

CREATE TRIGGER tickets_index_new_words AFTER INSERT ON tickets
    REFERENCING NEW TABLE AS new_tickets FOR EACH STATEMENT EXECUTE FUNCTION index_new_ticket_words();

CREATE FUNCTION reindex_ticket_words() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM ticket_words
        WHERE (word, category, created_at, ticket_id) IN
            (SELECT word, OLD.category, OLD.created_at, OLD.id FROM words_of(OLD.search_title || ' ' || OLD.search_description) AS word);
    IF TG_OP = 'UPDATE' THEN
        WITH words AS MATERIALIZED (
            SELECT new_word FROM words_of(NEW.search_title || ' ' || NEW.search_description) AS new_word
        ), vocabulary AS (
            INSERT INTO search_words (word)
                SELECT new_word FROM words WHERE NOT EXISTS (SELECT FROM search_words WHERE search_words.word = new_word)
                ORDER BY new_word
                ON CONFLICT DO NOTHING
        )
        INSERT INTO ticket_words (word, category, created_at, ticket_id) SELECT new_word, NEW.category, NEW.created_at, NEW.id FROM words;
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER tickets_reindex_words AFTER UPDATE OF search_title, search_description, category, created_at, id ON tickets
    FOR EACH ROW
    WHEN (OLD.search_title IS DISTINCT FROM NEW.search_title OR OLD.search_description IS DISTINCT FROM NEW.search_description
          OR OLD.category IS DISTINCT FROM NEW.category OR OLD.created_at IS DISTINCT FROM NEW.created_at
          OR OLD.id IS DISTINCT FROM NEW.id)
    EXECUTE FUNCTION reindex_ticket_words();

CREATE TRIGGER tickets_unindex_words AFTER DELETE ON tickets
    FOR EACH ROW EXECUTE FUNCTION reindex_ticket_words();

CREATE FUNCTION unindex_all_ticket_words() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    TRUNCATE ticket_words;
    RETURN NULL;
END $$;

CREATE TRIGGER tickets_unindex_all_words AFTER TRUNCATE ON tickets
    FOR EACH STATEMENT EXECUTE FUNCTION unindex_all_ticket_words();

-- The word index narrows every search with a word of three characters or more; the trigram
-- indexes over the text made every create and every status change (never a HOT update) write
-- ~150 GIN entries. Without them a status change costs a third, a create less than with them and
-- the word index together (pgbench at a million tickets, ARCHITECTURE.md "Search"). A search the
-- word index cannot narrow reads in list order, bounded by the statement timeout.
DROP INDEX tickets_search_title_trgm;
DROP INDEX tickets_search_description_trgm;

-- A search that reads in list order with a priority filter (and its first stretch, which always
-- does) walks the tickets of that priority in order, as status and the three filters together
-- have an index to do; without it PostgreSQL walked every ticket, ~12 for each critical one.
CREATE INDEX tickets_priority_created_at_id ON tickets (priority, created_at DESC, id DESC);
