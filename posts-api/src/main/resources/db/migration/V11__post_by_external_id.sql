-- A caller finds its post by its own id: GET /v1/posts?external_id=cms-4711. Without this index the list read the
-- workspace's posts in list order until it found it (16.9 ms at 30,000 posts in the workspace, 0.05 ms with it;
-- growing with the workspace). Partial: posts without an external id cost nothing. external_id is not written by the
-- publish path, so the post's updates there stay HOT.
create index if not exists post_by_external_id on post (workspace_id, external_id) where external_id is not null;
