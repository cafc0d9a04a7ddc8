-- X's OAuth 1.0a user context: the access token's secret, encrypted like the token (null for everything else).
-- A nullable column without default: no table rewrite.
alter table account add column token_secret text;
