-- Direct uploads (POST /v1/media/uploads): the client declares a file's type and size, PUTs the bytes to a signed URL
-- (a bucket's presigned URL, or posts-api's own with local storage), then completes the upload, which checks the bytes
-- against what was declared and makes the media. An upload not completed is deleted, with its bytes, a day after its
-- URL expired (MediaUploadCleanup); a completed one keeps media_id, so a second completion answers the same media.
create table media_upload (
  id            text primary key,
  workspace_id  text not null references workspace (id),
  content_type  text not null,
  size_bytes    bigint not null,
  alt_text      text,
  storage_key   text not null,
  expires_at    timestamptz not null,
  media_id      text,
  created_at    timestamptz not null default now()
);
create index media_upload_by_expiry on media_upload (expires_at);
