-- Duplicate content guard: each target keeps a key of the content it posts (its text, trimmed and with runs of white
-- space as one, and its media), so that a create finds an account's posts with the same content by index
-- (Duplicates). Nullable, no default: no table rewrite; targets stored before this version have none and are not
-- compared. The index names no column a publish changes, so status updates stay HOT updates.
alter table post_target add column content_key text;
create index post_target_by_content on post_target (account_id, content_key) where content_key is not null;
