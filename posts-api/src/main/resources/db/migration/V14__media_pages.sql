-- A document's page count (PDFs, for LinkedIn's document posts: at most 300 pages), read from the file itself; null for
-- images and videos. Adding a nullable column rewrites nothing.
alter table media add column if not exists pages int;
