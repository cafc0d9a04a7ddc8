-- atproto OAuth (Bluesky): we are a confidential client. Its signing key is made on first use and kept here (the
-- private JWK encrypted); the client metadata document (/oauth/bluesky/client-metadata.json) publishes its public half.
create table atproto_client_key (
  kid          text primary key,
  private_jwk  text not null,
  created_at   timestamptz not null default now()
);
-- An account connected with atproto OAuth has its own DPoP key (private JWK, encrypted): its tokens are bound to it.
alter table account add column dpop_key text;
-- A connect in flight keeps its session's DPoP key (encrypted) and what was resolved (DID, PDS, authorization server).
alter table oauth_state add column dpop_key text, add column atproto text;
