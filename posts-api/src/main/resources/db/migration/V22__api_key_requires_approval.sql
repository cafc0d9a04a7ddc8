-- API keys whose posts always wait for approval (an AI agent's, an intern's): what they create or reschedule is
-- pending_approval until a key without the restriction approves it. A constant default: no table rewrite.
alter table api_key add column requires_approval boolean not null default false;
