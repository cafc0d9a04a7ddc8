-- Reposts: a post published with "repost" is published again every_days later, times more times. Each repeat is a post
-- of its own (repost_of: the first post of the chain), made once its predecessor is out (reposted_as: that repeat).
-- Nullable, no default: no table rewrite. The index holds only posts with a repeat still to make; it names neither
-- status nor any column a publish changes, so status changes stay HOT updates.
alter table post add column repost_times int;
alter table post add column repost_every_days int;
alter table post add column repost_of text;
alter table post add column reposted_as text;
create index post_repost_pending on post (id) where repost_times > 0 and reposted_as is null;
-- GET /v1/posts?repost_of=…: a chain's repeats in time order (repost_of never changes once set).
create index post_by_repost_of on post (repost_of, scheduled_at) where repost_of is not null;
-- JSON array: the text of each repeat in turn (platforms such as X and LinkedIn refuse the same text twice).
alter table post add column repost_texts text;
