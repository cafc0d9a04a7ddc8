-- Who reviewed a post for approval, and when: the API key that approved or rejected it (POST /approve, /reject).
-- Cleared when the post is submitted again. Nullable, no default: no table rewrite.
alter table post add column reviewed_by text;
alter table post add column reviewed_at timestamptz;
