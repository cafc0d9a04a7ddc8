-- The sandbox platform's delete (what POST /v1/posts/{id}/unpublish calls): a deleted post stays in the record, so a
-- test can see that it was published once and when it was taken down. No rewrite: a nullable column without default.
alter table sandbox_post add column deleted_at timestamptz;
