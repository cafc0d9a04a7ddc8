-- The token expiry an account.token_expiring warning was sent for (publisher-service's): one warning per token, and a
-- new one after the account is connected again with a token that will expire too. Nullable, no default: no rewrite.
alter table account add column expiry_warned_for timestamptz;
