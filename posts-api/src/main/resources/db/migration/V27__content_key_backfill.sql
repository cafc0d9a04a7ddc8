-- The duplicate content guard (V26) compares new posts with targets that have a content key. Targets stored before it
-- have none; those a new post can still meet get one here: every target still to go out (scheduled, waiting for
-- approval, publishing, being edited, unconfirmed) and those published in the last two days (the window is 24 h around
-- a new post's time, which is never in the past). content_key() is the key Duplicates.key computes in Java: SHA-256 of
-- the text (trimmed, runs of white space as one space), a zero byte and the media ids joined by commas, the first 16
-- bytes in hex. For text with white space beyond ASCII's, the two may differ: that only misses a duplicate.
create or replace function content_key(content text, media_ids text) returns text
language sql immutable as $$
  select encode(substring(sha256(
           convert_to(regexp_replace(btrim(coalesce(content, ''), E' \t\n\r\f' || chr(11)), '\s+', ' ', 'g'), 'UTF8')
           || '\x00'::bytea
           || convert_to(coalesce((select string_agg(id, ',' order by n)
                                     from jsonb_array_elements_text(coalesce(media_ids, '[]')::jsonb) with ordinality as m(id, n)), ''), 'UTF8'))
         from 1 for 16), 'hex')
$$;

update post_target t
   set content_key = content_key(coalesce(t.text, p.text), coalesce(t.media_ids, p.media_ids))
  from post p
 where p.id = t.post_id and t.content_key is null
   and (t.status in ('scheduled', 'pending_approval', 'publishing', 'editing', 'unconfirmed')
        or t.status = 'published' and t.published_at > now() - interval '2 days');
