-- The duplicate guard's key (Duplicates.key) now treats every Unicode White_Space character as white space, named one
-- by one: a no-break space (U+00A0, U+202F), an em space, an ideographic space. Before, Java trimmed with strip() and
-- then collapsed Unicode white space, so "sale\u00A0" and "sale" had different keys, and V27's SQL relied on the
-- database locale's \s, which on glibc leaves out the no-break spaces. Both now collapse the same characters, then trim
-- one space at each end. The regular expression is a standard string in a function body, so \t, \v (vertical tab)
-- and \uXXXX reach the regular expression engine as escapes.
create or replace function content_key(content text, media_ids text) returns text
language sql immutable as $$
  select encode(substring(sha256(
           convert_to(btrim(regexp_replace(coalesce(content, ''),
                                           '[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+', ' ', 'g'), ' '), 'UTF8')
           || '\x00'::bytea
           || convert_to(coalesce((select string_agg(id, ',' order by n)
                                     from jsonb_array_elements_text(coalesce(media_ids, '[]')::jsonb) with ordinality as m(id, n)), ''), 'UTF8'))
         from 1 for 16), 'hex')
$$;

-- Only texts with such a character (or U+001C-U+001F, which strip() took off the ends) can have a key that changed;
-- the targets a new post can still meet (as in V27) get theirs again.
update post_target t
   set content_key = content_key(coalesce(t.text, p.text), coalesce(t.media_ids, p.media_ids))
  from post p
 where p.id = t.post_id and t.content_key is not null
   and coalesce(t.text, p.text) ~ '[\u001c-\u001f\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]'
   and (t.status in ('scheduled', 'pending_approval', 'publishing', 'editing', 'unconfirmed')
        or t.status = 'published' and t.published_at > now() - interval '2 days');
