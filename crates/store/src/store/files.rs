//! Where the store finds and keeps evidence files: in the receipts folder
//! beside the data file (`crate::files`), or, for a database with no
//! folder (in memory, or a private copy of a backup), inside it in
//! `carried_file` (migration 0009).

use rusqlite::{params, OptionalExtension};

use super::Store;
use crate::error::{Error, Result};
use crate::files::EvidenceFiles;

impl Store {
    /// The receipts folder this store keeps evidence files in, if it has
    /// one.
    pub fn evidence_files(&self) -> Option<&EvidenceFiles> {
        self.files.as_ref()
    }

    /// Keeps an evidence file (or a thumbnail) named by its SHA-256: in the
    /// receipts folder, or inside the database when there is none. Called
    /// before the row that names it is written, so no row ever names a
    /// file that is not kept.
    pub(super) fn keep_file(&self, sha256: &str, bytes: &[u8]) -> Result<()> {
        match &self.files {
            Some(files) => files.keep(sha256, bytes).map(|_| ()),
            None => {
                self.conn.execute(
                    "INSERT INTO carried_file (sha256, content) VALUES (?1, ?2)
                     ON CONFLICT (sha256) DO NOTHING",
                    params![sha256, bytes],
                )?;
                Ok(())
            }
        }
    }

    /// An evidence file's contents by their SHA-256, checked: carried
    /// inside the database, or from the receipts folder.
    pub(super) fn file_content(&self, sha256: &str) -> Result<Vec<u8>> {
        let carried: Option<Vec<u8>> = self
            .conn
            .query_row(
                "SELECT content FROM carried_file WHERE sha256 = ?1",
                [sha256],
                |row| row.get(0),
            )
            .optional()?;
        if let Some(bytes) = carried {
            return Ok(bytes);
        }
        let missing = |folder: String| Error::MissingEvidenceFile {
            sha256: sha256.to_owned(),
            folder,
        };
        match &self.files {
            Some(files) => files
                .read(sha256)?
                .ok_or_else(|| missing(files.folder().display().to_string())),
            None => Err(missing("this data".into())),
        }
    }

    /// The SHA-256 of every file the data's evidence names (each original
    /// and each thumbnail) that it does not carry inside: the files a
    /// backup of it needs beside it. Sorted, each once.
    pub fn evidence_files_needed(&self) -> Result<Vec<String>> {
        super::backup::files_needed(&self.conn)
    }

    /// Writes every file the database carries inside out to its receipts
    /// folder, then takes them out of the database and gives the space
    /// back: the data file then holds records, and the receipts folder the
    /// files. A file that does not match its name stays carried (and is
    /// refused when read), so nothing is lost. Files are written, whole,
    /// before any row goes, so a kill part-way leaves both.
    pub(super) fn write_out_carried_files(&mut self) -> Result<()> {
        let Some(files) = self.files.clone() else {
            return Ok(());
        };
        let carried: Vec<String> = {
            let mut statement = self
                .conn
                .prepare("SELECT sha256 FROM carried_file ORDER BY rowid")?;
            let found = statement
                .query_map([], |row| row.get(0))?
                .collect::<rusqlite::Result<Vec<String>>>()?;
            found
        };
        if carried.is_empty() {
            return Ok(());
        }
        let mut written = Vec::with_capacity(carried.len());
        for sha256 in carried {
            // One file in memory at a time.
            let content: Vec<u8> = self.conn.query_row(
                "SELECT content FROM carried_file WHERE sha256 = ?1",
                [&sha256],
                |row| row.get(0),
            )?;
            if crate::evidence::sha256_hex(&content) == sha256 {
                files.keep(&sha256, &content)?;
                written.push(sha256);
            }
        }
        let tx = self.conn.transaction()?;
        {
            let mut delete = tx.prepare("DELETE FROM carried_file WHERE sha256 = ?1")?;
            for sha256 in &written {
                delete.execute([sha256])?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// Gives the space files took back to the disk when more than half of
    /// the data file is free pages: after its files have gone out to the
    /// receipts folder (the first open of data from before version 9, or a
    /// restored backup saved by hand). Otherwise does nothing.
    pub(super) fn give_back_free_space(&self) -> Result<()> {
        let (free, pages): (i64, i64) = self.conn.query_row(
            "SELECT (SELECT freelist_count FROM pragma_freelist_count),
                    (SELECT page_count FROM pragma_page_count)",
            [],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )?;
        if free * 2 > pages && pages > 0 {
            // In WAL mode the file shrinks only once the rewritten pages
            // are checkpointed into it.
            self.conn
                .execute_batch("VACUUM; PRAGMA wal_checkpoint(TRUNCATE);")?;
        }
        Ok(())
    }
}
