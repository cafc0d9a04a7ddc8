-- What one POST /v1/posts (scheduled, one target) writes, as raw SQL in one transaction: the post, its target,
-- and one outbox row holding two messages (the schedule request and the post.scheduled event; posts-api writes one
-- outbox row for all the messages of a group insert).
\set n random(1, 1000000000)
BEGIN;
INSERT INTO bench.post (id, workspace_id, status, version, schedule_version, text, media_ids, platform_options, scheduled_at, metadata, created_at, updated_at)
  VALUES ('post_' || :n || '_' || :client_id || '_' || txid_current(), 'ws_bench', 'scheduled', 1, 1, 'load', '[]', '{}', now() + interval '1 day', '{}', now(), now());
INSERT INTO bench.post_target (id, post_id, position, account_id, platform, status, updated_at, content_key)
  VALUES ('tgt_' || :n || '_' || :client_id || '_' || txid_current(), 'post_' || :n || '_' || :client_id || '_' || txid_current(), 0, 'acc_bench', 'sandbox', 'scheduled', now(),
          md5(:n || '_' || :client_id || '_' || txid_current()));
INSERT INTO bench.outbox_message (batch, message_count) VALUES (ARRAY['postflow.schedule-requests', 'k',
  '{"post_id":"x","schedule_version":1,"due_at":"2026-06-01T09:00:00Z"}', NULL, 'postflow.events', 'k', repeat('x', 900),
  '{"ce_type":"post.scheduled"}'], 2);
COMMIT;
