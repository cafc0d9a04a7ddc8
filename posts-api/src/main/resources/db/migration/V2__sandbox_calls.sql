-- How many times the sandbox platform was called per client_ref, so "…_then_published" behaviours are deterministic.
create table sandbox_call (
  client_ref  text primary key,
  calls       int not null
);
