-- Edits of published posts (POST /v1/posts/{id}/edit): edit_text is the text being sent to the platform while the
-- target is editing; once the platform took it, it becomes the target's text and edited_at is set. The sandbox
-- platform records its edits (the last one's time and how many). Nullable, no default: no table rewrite.
alter table post_target add column edit_text text;
alter table post_target add column edited_at timestamptz;
alter table sandbox_post add column edited_at timestamptz;
alter table sandbox_post add column edits int not null default 0;
