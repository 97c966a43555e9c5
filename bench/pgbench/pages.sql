-- One page of the 10-page walk (limit=20): a random page 1..10, each after the keyset cursor the
-- server would put in the Link header. run.sh passes the last row of pages 1..9 as -D us1..us9
-- (created_at in microseconds since the epoch) and id1..id9; page 1 uses a cursor above every row
-- (us0, id0), which reads the same index range as the server's cursor-less first page.
\set p random(0, 9)
\set us case when :p = 0 then :us0 when :p = 1 then :us1 when :p = 2 then :us2 when :p = 3 then :us3 when :p = 4 then :us4 when :p = 5 then :us5 when :p = 6 then :us6 when :p = 7 then :us7 when :p = 8 then :us8 else :us9 end
\set cid case when :p = 0 then :id0 when :p = 1 then :id1 when :p = 2 then :id2 when :p = 3 then :id3 when :p = 4 then :id4 when :p = 5 then :id5 when :p = 6 then :id6 when :p = 7 then :id7 when :p = 8 then :id8 else :id9 end
SELECT id, title, description, category, priority, status, created_at FROM tickets
WHERE created_at <= to_timestamp(:us / 1000000.0)
  AND (created_at < to_timestamp(:us / 1000000.0) OR id < :cid)
ORDER BY created_at DESC, id DESC LIMIT 21;
