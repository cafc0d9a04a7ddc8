-- Media files uploaded or imported by a workspace. The bytes live in the media storage (local disk or S3-compatible),
-- under storage_key; what is known about a file was read from the file itself.
create table media (
  id            text primary key,
  workspace_id  text not null references workspace (id),
  status        text not null,               -- ready | failed
  mime_type     text,
  size_bytes    bigint not null default 0,
  width         int,
  height        int,
  duration_ms   bigint,
  sha256        text,
  alt_text      text,
  source_url    text,
  storage_key   text,
  error         text,
  created_at    timestamptz not null default now()
);
create index media_by_workspace on media (workspace_id, id);
