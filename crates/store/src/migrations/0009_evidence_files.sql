-- Evidence files leave the data file for the receipts folder beside it,
-- each named by its SHA-256 (the store's `files.rs`), so that backups share
-- the files they have in common instead of copying every receipt every day.
--
-- carried_file holds files a database carries inside itself: the data file
-- only until the store writes them out to the receipts folder (as it opens,
-- straight after this update), a backup saved by hand (so that it is one
-- file to carry), and a database kept in memory.
CREATE TABLE carried_file (
    sha256   TEXT PRIMARY KEY CHECK (length(sha256) = 64),
    content  BLOB NOT NULL
) STRICT;

INSERT INTO carried_file (sha256, content) SELECT sha256, content FROM attachment;

-- A photo's thumbnail is a file of its own too, named by its own SHA-256.
-- The hook that follows this step (in the store's `mod.rs`) fills it in
-- and takes the old columns away.
ALTER TABLE attachment ADD COLUMN thumbnail_sha256 TEXT
    CHECK (thumbnail_sha256 IS NULL OR length(thumbnail_sha256) = 64);
