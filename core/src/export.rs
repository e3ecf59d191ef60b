//! "Export everything": all of Careledger's data in one .zip file that any
//! computer can open without Careledger, and reading such a file back into
//! a new database.
//!
//! The archive holds:
//!
//! - `README.txt`: what the files are, in plain English;
//! - `manifest.json`: the format's name and version, the data version,
//!   every table with its number of rows, and every other file with its
//!   size and SHA-256, so that any change or damage is found on import;
//! - `tables/<table>.json`: each table of the database as a list of rows,
//!   each row an object keyed by column name. Integers and text are JSON
//!   numbers and strings; other binary values are `{"base64": "…"}`;
//! - `attachments/<sha256>-<file name>`: each evidence file, byte for byte.
//!   Its row in `tables/carried_file.json` (in `tables/attachment.json`
//!   before data version 9) names it: `{"file": "…"}`.
//!
//! An import builds the database at the export's data version, fills in
//! every row with its original id, checking each value by the rules typed
//! input is held to, checks every reference, and only then brings the
//! schema up to date: the result holds exactly what was exported, and
//! nothing Careledger would not have written itself.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::fs::{self, File};
use std::io::{BufReader, BufWriter, Read, Seek, Write};
use std::path::Path;

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine;
use chrono::{Datelike, Timelike, Utc};
use rusqlite::types::Value;
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value as Json};
use sha2::{Digest, Sha256};
use ts_rs::TS;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipArchive, ZipWriter};

use crate::disk::{file_error, folder_of, publish, staging_beside};
use crate::error::{Error, Result};
use crate::progress::Progress;
use crate::store::{SnapshotReader, TableWriter};
use crate::store::{Store, SCHEMA_VERSION};

/// The `format` every Careledger export's manifest names.
pub const EXPORT_FORMAT: &str = "careledger-export";

/// The version of the archive's layout this build writes and reads.
pub const EXPORT_FORMAT_VERSION: u32 = 1;

const MANIFEST: &str = "manifest.json";
const README: &str = "README.txt";
const TABLES_FOLDER: &str = "tables";
const ATTACHMENTS_FOLDER: &str = "attachments";

/// Evidence files' contents are kept as files of their own, not as base64
/// inside the table.
const ATTACHMENT_TABLE: &str = "attachment";
/// From data version 9, the files are rows of `carried_file` in an export
/// (see the store's `files.rs`), each original as its file, each thumbnail
/// as base64.
const CARRIED_TABLE: &str = "carried_file";
const ATTACHMENT_BODY: &str = "content";

// Limits on what an import reads, so that a hostile or broken archive (a
// "zip bomb") cannot fill the memory or the disk. Each is far above what
// real data reaches: a table of 10 years' payments is a few megabytes.
/// All files together, uncompressed.
const MAX_TOTAL_BYTES: u64 = 4 << 30;
/// The manifest.
const MAX_MANIFEST_BYTES: u64 = 16 << 20;
/// One table's JSON.
const MAX_TABLE_BYTES: u64 = 512 << 20;
/// One evidence file: above the 20 MB Careledger accepts as evidence.
const MAX_ATTACHMENT_BYTES: u64 = 32 << 20;
/// The README.
const MAX_README_BYTES: u64 = 1 << 20;
/// Files in the archive.
const MAX_ENTRIES: usize = 1_000_000;

/// An export just saved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ExportSummary {
    /// Where it was saved.
    pub path: String,
    /// Its size in bytes.
    pub size_bytes: u64,
    /// How many tables it holds.
    pub table_count: u32,
    /// How many rows, in all the tables together.
    pub row_count: u64,
    /// How many evidence files.
    pub attachment_count: u32,
}

/// The archive's table of contents.
#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct Manifest {
    format: String,
    format_version: u32,
    schema_version: i64,
    app_version: String,
    created_at: String,
    tables: Vec<TableEntry>,
    files: Vec<FileEntry>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct TableEntry {
    name: String,
    file: String,
    rows: u64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct FileEntry {
    path: String,
    bytes: u64,
    sha256: String,
}

/// Exporting everything and bringing an export back, as methods of
/// [`Store`] (`use careledger_core::export::Exports;`): the archive is
/// this layer's business, the rows it holds the store's.
pub trait Exports: Sized {
    /// Writes everything the store holds to one .zip archive at `dest`.
    fn export_all(&self, dest: &Path) -> Result<ExportSummary> {
        self.export_all_with(dest, &Progress::default())
    }
    /// As [`Exports::export_all`], saying how far it has gone in
    /// `progress`, and stopping with nothing written when asked there.
    fn export_all_with(&self, dest: &Path, progress: &Progress) -> Result<ExportSummary>;
    /// Rebuilds an export at `archive` as a new database at `into`.
    fn import_all(archive: &Path, into: &Path) -> Result<Self> {
        Self::import_all_with(archive, into, &Progress::default())
    }
    /// As [`Exports::import_all`], saying how far it has gone in
    /// `progress`, and stopping with nothing left at `into` when asked.
    fn import_all_with(archive: &Path, into: &Path, progress: &Progress) -> Result<Self>;
}

impl Exports for Store {
    /// Writes everything this store holds to one .zip archive at `dest`
    /// (see the module's documentation for what is in it). The archive is
    /// built beside `dest` under a temporary name and renamed into place
    /// when complete; a file already at `dest` is replaced, but never the
    /// data file itself.
    fn export_all_with(&self, dest: &Path, progress: &Progress) -> Result<ExportSummary> {
        self.refuse_overwriting_data(dest)?;
        let saving = || format!("save the export in {}", folder_of(dest).display());
        let staging = staging_beside(dest)?;
        let temporary = staging.path().join("export.zip");
        let file = File::create(&temporary).map_err(|error| file_error(saving(), error))?;
        let created_at = Utc::now();
        let mut archive = ArchiveWriter::new(BufWriter::new(file), created_at, saving());
        let app_version = env!("CARGO_PKG_VERSION");
        let created_at_text = created_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        archive.add(
            README,
            readme_text(app_version, &created_at_text).as_bytes(),
            CompressionMethod::Deflated,
        )?;
        let (schema_version, tables, attachment_count) =
            self.read_snapshot(|snapshot| write_tables(snapshot, &mut archive, progress))?;
        let manifest = Manifest {
            format: EXPORT_FORMAT.into(),
            format_version: EXPORT_FORMAT_VERSION,
            schema_version,
            app_version: app_version.into(),
            created_at: created_at_text,
            tables,
            files: archive.files.clone(),
        };
        let manifest_json = serde_json::to_vec_pretty(&manifest)
            .map_err(|error| file_error(saving(), error.into()))?;
        archive.start(MANIFEST, CompressionMethod::Deflated)?;
        archive.write(&manifest_json)?;
        let table_count = u32::try_from(manifest.tables.len()).map_err(|_| Error::Overflow)?;
        let row_count = manifest.tables.iter().map(|table| table.rows).sum();
        archive
            .zip
            .finish()
            .map_err(|error| file_error(saving(), zip_io_error(error)))?
            .into_inner()
            .map_err(|error| file_error(saving(), error.into_error()))?;
        publish(&temporary, dest)?;
        let size_bytes = fs::metadata(dest)
            .map_err(|error| file_error(saving(), error))?
            .len();
        Ok(ExportSummary {
            path: dest.display().to_string(),
            size_bytes,
            table_count,
            row_count,
            attachment_count,
        })
    }

    /// Reads an archive made by [`Store::export_all`] and builds a new
    /// database at `into` holding exactly its data, then opens it.
    ///
    /// Refuses, with nothing written: a file at `into` already; an archive
    /// that is not a Careledger export; one from a newer Careledger; one
    /// where any file does not match the manifest's SHA-256 or a row breaks
    /// a rule of the schema; one with a file name that could point outside
    /// the archive, or that would unpack to more than 4 GB. Every value is
    /// checked as typed input is (real dates, amounts in range, known
    /// choices, text with nothing hidden and within its length, references
    /// to rows that are there), and the first that is not as Careledger
    /// writes it is refused with [`Error::UnusableExport`], naming its
    /// table and row. The database is
    /// built under a temporary name beside `into` and renamed when whole.
    fn import_all_with(archive: &Path, into: &Path, progress: &Progress) -> Result<Store> {
        refuse_existing(into)?;
        let mut reader = ArchiveReader::open(archive)?;
        let manifest = reader.manifest()?;
        let schema_version = usize::try_from(manifest.schema_version)
            .ok()
            .filter(|&version| version >= 1)
            .ok_or_else(|| reader.damaged("its data version is not a version"))?;
        let staging = staging_beside(into)?;
        let building = staging.path().join("import.sqlite3");
        let shown = reader.shown.clone();
        Store::build_from_export(&building, schema_version, &shown, |writer| {
            reader.fill(&manifest, writer, progress)
        })?;
        // Checked again: the build may take a while, and a file that
        // appeared at `into` meanwhile must not be replaced.
        refuse_existing(into)?;
        publish(&building, into)?;
        Store::open(into)
    }
}

/// Writes every table, and each evidence file it meets, into the archive.
/// Returns the data version, the tables written and how many evidence
/// files.
fn write_tables<W: Write + Seek>(
    snapshot: &dyn SnapshotReader,
    archive: &mut ArchiveWriter<W>,
    progress: &Progress,
) -> Result<(i64, Vec<TableEntry>, u32)> {
    let schema_version = snapshot.schema_version()?;
    let evidence_names = snapshot.evidence_file_names()?;
    let tables = snapshot.tables()?;
    progress.stage("Exporting everything: table by table", tables.len() as u64);
    let mut used_names = HashSet::new();
    let mut attachment_count = 0u32;
    let mut entries = Vec::new();
    for table in tables {
        let mut rows = Vec::new();
        let count = snapshot.each_row(&table, &mut |columns, values| {
            progress.check()?;
            // Only a table that holds the files' contents names them.
            let holds_files = columns.iter().any(|column| column == ATTACHMENT_BODY);
            let body_name = match table.as_str() {
                ATTACHMENT_TABLE | CARRIED_TABLE if holds_files => attachment_name(
                    columns,
                    &values,
                    &evidence_names,
                    table == CARRIED_TABLE,
                    &mut used_names,
                ),
                _ => None,
            };
            let mut object = Map::new();
            for (column, value) in columns.iter().zip(values) {
                let json = match (&body_name, value) {
                    (Some(name), Value::Blob(bytes)) if column == ATTACHMENT_BODY => {
                        archive.add(name, &bytes, CompressionMethod::Stored)?;
                        attachment_count =
                            attachment_count.checked_add(1).ok_or(Error::Overflow)?;
                        json!({ "file": name })
                    }
                    (_, value) => to_json(value),
                };
                object.insert(column.clone(), json);
            }
            rows.push(Json::Object(object));
            Ok(())
        })?;
        let file = format!("{TABLES_FOLDER}/{table}.json");
        let bytes = serde_json::to_vec_pretty(&rows)
            .map_err(|error| file_error(archive.saving.clone(), error.into()))?;
        archive.add(&file, &bytes, CompressionMethod::Deflated)?;
        entries.push(TableEntry {
            name: table,
            file,
            rows: count,
        });
        progress.step()?;
    }
    Ok((schema_version, entries, attachment_count))
}

/// The archive path for an evidence file's contents, from its row of the
/// attachment table (before data version 9) or of `carried_file`:
/// `attachments/<sha256>-<name it was first added under>`. `None` (so the
/// contents go inline as base64) if the row is not as expected, or, in
/// `carried_file`, for a file no evidence is named for: a thumbnail.
fn attachment_name(
    columns: &[String],
    values: &[Value],
    evidence_names: &HashMap<String, String>,
    only_named: bool,
    used: &mut HashSet<String>,
) -> Option<String> {
    let column = |name: &str| {
        columns
            .iter()
            .position(|column| column == name)
            .and_then(|index| values.get(index))
    };
    let Some(Value::Text(sha256)) = column("sha256") else {
        return None;
    };
    let original = match evidence_names.get(sha256) {
        Some(name) => name.as_str(),
        None if only_named => return None,
        None => "evidence",
    };
    let hash: String = sha256
        .chars()
        .filter(char::is_ascii_hexdigit)
        .take(64)
        .collect();
    let mut name = format!("{ATTACHMENTS_FOLDER}/{hash}-{}", plain_file_name(original));
    let mut number = 2u32;
    while !used.insert(name.clone()) {
        // Only if two rows had the same hash, which the schema forbids.
        name = format!(
            "{ATTACHMENTS_FOLDER}/{hash}-{number}-{}",
            plain_file_name(original)
        );
        number += 1;
    }
    Some(name)
}

/// `name` made safe as one file name on any computer: no folders, no
/// characters Windows refuses, none that cannot be seen, not too long.
fn plain_file_name(name: &str) -> String {
    let clean: String = name
        .chars()
        .filter(|&c| !crate::input::is_hidden(c))
        .map(|c| {
            if c.is_control() || "/\\:*?\"<>|".contains(c) {
                '_'
            } else {
                c
            }
        })
        .take(120)
        .collect();
    let clean = clean.trim().trim_start_matches('.').to_owned();
    if clean.is_empty() {
        "evidence".into()
    } else {
        clean
    }
}

/// A failure of the zip writer as the file error behind it: the disk's own
/// problem when there is one, otherwise a reason in plain words (the zip
/// crate's text would mean nothing to the person reading it).
fn zip_io_error(error: zip::result::ZipError) -> std::io::Error {
    match error {
        zip::result::ZipError::Io(error) => error,
        _ => crate::error::plain_io_error("the export could not be put together"),
    }
}

/// A stored value as JSON. Integers and text stay themselves; binary is
/// base64 in an object, so it cannot be mistaken for text.
fn to_json(value: Value) -> Json {
    match value {
        Value::Null => Json::Null,
        Value::Integer(number) => Json::from(number),
        Value::Real(number) => serde_json::Number::from_f64(number).map_or_else(
            // SQLite stores infinities (never NaN); JSON has no word for them.
            || json!({ "real": if number > 0.0 { "inf" } else { "-inf" } }),
            Json::Number,
        ),
        Value::Text(text) => Json::String(text),
        Value::Blob(bytes) => json!({ "base64": BASE64.encode(bytes) }),
    }
}

/// Builds the archive, noting each file's size and SHA-256 for the
/// manifest.
struct ArchiveWriter<W: Write + Seek> {
    zip: ZipWriter<W>,
    files: Vec<FileEntry>,
    modified: zip::DateTime,
    /// "save the export in …", for errors.
    saving: String,
    current: Option<(String, u64, Sha256)>,
}

impl<W: Write + Seek> ArchiveWriter<W> {
    fn new(inner: W, created_at: chrono::DateTime<Utc>, saving: String) -> Self {
        // Files unpacked from the archive show when it was made, not 1980.
        let modified = u16::try_from(created_at.year())
            .ok()
            .and_then(|year| {
                let part = |value: u32| u8::try_from(value).ok();
                zip::DateTime::from_date_and_time(
                    year,
                    part(created_at.month())?,
                    part(created_at.day())?,
                    part(created_at.hour())?,
                    part(created_at.minute())?,
                    part(created_at.second())?,
                )
                .ok()
            })
            .unwrap_or_default();
        ArchiveWriter {
            zip: ZipWriter::new(inner),
            files: Vec::new(),
            modified,
            saving,
            current: None,
        }
    }

    fn failed(&self, error: zip::result::ZipError) -> Error {
        file_error(self.saving.clone(), zip_io_error(error))
    }

    /// Adds a whole file.
    fn add(&mut self, path: &str, bytes: &[u8], method: CompressionMethod) -> Result<()> {
        self.start(path, method)?;
        self.write(bytes)?;
        self.end()
    }

    fn start(&mut self, path: &str, method: CompressionMethod) -> Result<()> {
        self.end()?;
        let options = SimpleFileOptions::default()
            .compression_method(method)
            .last_modified_time(self.modified);
        self.zip
            .start_file(path, options)
            .map_err(|error| self.failed(error))?;
        self.current = Some((path.to_owned(), 0, Sha256::new()));
        Ok(())
    }

    fn write(&mut self, bytes: &[u8]) -> Result<()> {
        self.zip
            .write_all(bytes)
            .map_err(|error| file_error(self.saving.clone(), error))?;
        if let Some((_, length, hash)) = &mut self.current {
            *length += bytes.len() as u64;
            hash.update(bytes);
        }
        Ok(())
    }

    /// Records the file just written for the manifest (not the manifest
    /// itself, which cannot list its own hash).
    fn end(&mut self) -> Result<()> {
        if let Some((path, bytes, hash)) = self.current.take() {
            if path != MANIFEST {
                self.files.push(FileEntry {
                    path,
                    bytes,
                    sha256: hex(&hash.finalize()),
                });
            }
        }
        Ok(())
    }
}

/// Reads an archive, checking every file against the manifest as it goes.
struct ArchiveReader {
    zip: ZipArchive<BufReader<File>>,
    /// The archive's path, for errors.
    shown: String,
    listed: HashMap<String, FileEntry>,
    verified: HashSet<String>,
    total_read: u64,
}

impl ArchiveReader {
    /// Opens `path` as a zip archive and checks every file name in it.
    fn open(path: &Path) -> Result<ArchiveReader> {
        let shown = path.display().to_string();
        let not_an_export = || Error::NotAnExport {
            path: shown.clone(),
        };
        let metadata =
            fs::metadata(path).map_err(|error| file_error(format!("open {shown}"), error))?;
        if !metadata.is_file() {
            return Err(not_an_export());
        }
        let file = File::open(path).map_err(|error| file_error(format!("open {shown}"), error))?;
        let zip = ZipArchive::new(BufReader::new(file)).map_err(|_| not_an_export())?;
        let mut reader = ArchiveReader {
            zip,
            shown: shown.clone(),
            listed: HashMap::new(),
            verified: HashSet::new(),
            total_read: 0,
        };
        // Without a manifest it is some other zip file, whatever is in it.
        if reader.zip.index_for_name(MANIFEST).is_none() {
            return Err(not_an_export());
        }
        if reader.zip.len() > MAX_ENTRIES {
            return Err(reader.damaged("it holds too many files"));
        }
        let mut names = HashSet::new();
        let mut declared = 0u64;
        for index in 0..reader.zip.len() {
            let entry = reader
                .zip
                .by_index_raw(index)
                .map_err(|error| reader_damaged(&shown, format!("file {index}: {error}")))?;
            let name = entry.name().to_owned();
            declared = declared.saturating_add(entry.size());
            drop(entry);
            if !is_safe_entry_name(&name) {
                return Err(reader.damaged(format!("it holds a file named {name:?}")));
            }
            if !names.insert(name.clone()) {
                return Err(reader.damaged(format!("it holds {name} twice")));
            }
        }
        if declared > MAX_TOTAL_BYTES {
            return Err(reader.damaged("it would unpack to more than 4 GB"));
        }
        Ok(reader)
    }

    fn damaged(&self, detail: impl Into<String>) -> Error {
        reader_damaged(&self.shown, detail.into())
    }

    /// Reads and checks the manifest, and that it lists exactly the other
    /// files in the archive.
    fn manifest(&mut self) -> Result<Manifest> {
        let bytes = self.read_entry(MANIFEST, MAX_MANIFEST_BYTES)?;
        let not_an_export = || Error::NotAnExport {
            path: self.shown.clone(),
        };
        let json: Json = serde_json::from_slice(&bytes).map_err(|_| not_an_export())?;
        if json.get("format").and_then(Json::as_str) != Some(EXPORT_FORMAT) {
            return Err(not_an_export());
        }
        let format_version = json.get("formatVersion").and_then(Json::as_u64);
        if format_version.is_some_and(|version| version > u64::from(EXPORT_FORMAT_VERSION)) {
            return Err(Error::NewerExport {
                found: format!("format {}", format_version.unwrap_or_default()),
            });
        }
        let schema_version = json.get("schemaVersion").and_then(Json::as_i64);
        if schema_version.is_some_and(|version| version > SCHEMA_VERSION as i64) {
            return Err(Error::NewerExport {
                found: format!("data version {}", schema_version.unwrap_or_default()),
            });
        }
        let manifest: Manifest = serde_json::from_value(json)
            .map_err(|error| self.damaged(format!("its manifest does not read: {error}")))?;
        if manifest.format_version != EXPORT_FORMAT_VERSION {
            return Err(self.damaged("its format version is not one Careledger wrote"));
        }
        let in_archive: BTreeSet<String> = self
            .zip
            .file_names()
            .filter(|name| *name != MANIFEST)
            .map(str::to_owned)
            .collect();
        let mut listed = HashMap::new();
        for file in &manifest.files {
            if listed.insert(file.path.clone(), file.clone()).is_some() {
                return Err(self.damaged(format!("its manifest lists {} twice", file.path)));
            }
        }
        let listed_names: BTreeSet<String> = listed.keys().cloned().collect();
        if listed_names != in_archive {
            return Err(self.damaged("its files are not the ones its manifest lists"));
        }
        let mut table_names = HashSet::new();
        for table in &manifest.tables {
            if table.file != format!("{TABLES_FOLDER}/{}.json", table.name)
                || !listed.contains_key(&table.file)
                || !table_names.insert(table.name.clone())
            {
                return Err(self.damaged(format!("its table {} is not listed right", table.name)));
            }
        }
        self.listed = listed;
        Ok(manifest)
    }

    /// Writes every table's rows, then checks that every listed file was
    /// read and matched.
    fn fill(
        &mut self,
        manifest: &Manifest,
        writer: &mut dyn TableWriter,
        progress: &Progress,
    ) -> Result<()> {
        let expected: BTreeSet<String> = manifest
            .tables
            .iter()
            .map(|table| table.name.clone())
            .collect();
        if writer.tables() != expected {
            return Err(self.damaged(format!(
                "its tables are not those of data version {}",
                manifest.schema_version
            )));
        }
        progress.stage(
            "Checking the export and rebuilding its data: row by row",
            manifest.tables.iter().map(|table| table.rows).sum(),
        );
        for table in &manifest.tables {
            let bytes = self.read_verified(&table.file, MAX_TABLE_BYTES)?;
            let rows: Vec<Map<String, Json>> = serde_json::from_slice(&bytes)
                .map_err(|error| self.damaged(format!("{} does not read: {error}", table.file)))?;
            drop(bytes);
            if rows.len() as u64 != table.rows {
                return Err(self.damaged(format!(
                    "{} has {} rows, not the {} its manifest says",
                    table.file,
                    rows.len(),
                    table.rows
                )));
            }
            for row in rows {
                let values = row
                    .into_iter()
                    .map(|(column, json)| Ok((column, self.stored_value(json)?)))
                    .collect::<Result<Vec<_>>>()?;
                writer.insert(&table.name, values)?;
                progress.step()?;
            }
        }
        if self.listed.contains_key(README) {
            self.read_verified(README, MAX_README_BYTES)?;
        }
        let unread = self
            .listed
            .keys()
            .find(|path| !self.verified.contains(*path));
        if let Some(path) = unread {
            return Err(self.damaged(format!("{path} belongs to no row")));
        }
        Ok(())
    }

    /// A JSON value from a table file as the value to store.
    fn stored_value(&mut self, json: Json) -> Result<Value> {
        match json {
            Json::Null => Ok(Value::Null),
            Json::String(text) => Ok(Value::Text(text)),
            Json::Number(number) => {
                if let Some(integer) = number.as_i64() {
                    Ok(Value::Integer(integer))
                } else if number.is_f64() {
                    number
                        .as_f64()
                        .map(Value::Real)
                        .ok_or_else(|| self.damaged("a number does not read"))
                } else {
                    Err(self.damaged(format!("{number} is too large to store")))
                }
            }
            Json::Object(object) if object.len() == 1 => match object.into_iter().next() {
                Some((kind, Json::String(text))) => match kind.as_str() {
                    "base64" => BASE64
                        .decode(text.as_bytes())
                        .map(Value::Blob)
                        .map_err(|_| self.damaged("some binary data does not read")),
                    "file" if text.starts_with(&format!("{ATTACHMENTS_FOLDER}/")) => self
                        .read_verified(&text, MAX_ATTACHMENT_BYTES)
                        .map(Value::Blob),
                    "real" if text == "inf" => Ok(Value::Real(f64::INFINITY)),
                    "real" if text == "-inf" => Ok(Value::Real(f64::NEG_INFINITY)),
                    _ => Err(self.damaged(format!("a value of kind {kind} does not read"))),
                },
                _ => Err(self.damaged("a value does not read")),
            },
            Json::Bool(_) | Json::Array(_) | Json::Object(_) => {
                Err(self.damaged("a value is not one Careledger writes"))
            }
        }
    }

    /// Reads a listed file and checks its size and SHA-256 against the
    /// manifest.
    fn read_verified(&mut self, path: &str, limit: u64) -> Result<Vec<u8>> {
        let Some(entry) = self.listed.get(path).cloned() else {
            return Err(self.damaged(format!("{path} is not in its manifest")));
        };
        if entry.bytes > limit {
            return Err(self.damaged(format!("{path} is too large")));
        }
        // Anything past the size the manifest gives is a mismatch anyway,
        // so a file that unpacks larger is refused after a byte too many.
        let bytes = self.read_entry(path, entry.bytes)?;
        if bytes.len() as u64 != entry.bytes || hex(&Sha256::digest(&bytes)) != entry.sha256 {
            return Err(self.damaged(format!("{path} does not match its check")));
        }
        self.verified.insert(path.to_owned());
        Ok(bytes)
    }

    /// Reads one file of the archive, stopping at `limit` bytes and at the
    /// total limit whatever the archive claims its size is.
    fn read_entry(&mut self, path: &str, limit: u64) -> Result<Vec<u8>> {
        let room = MAX_TOTAL_BYTES.saturating_sub(self.total_read).min(limit);
        let shown = self.shown.clone();
        let mut entry = self
            .zip
            .by_name(path)
            .map_err(|error| reader_damaged(&shown, format!("{path}: {error}")))?;
        let mut bytes = Vec::new();
        (&mut entry)
            .take(room.saturating_add(1))
            .read_to_end(&mut bytes)
            .map_err(|error| reader_damaged(&shown, format!("{path}: {error}")))?;
        drop(entry);
        if bytes.len() as u64 > room {
            return Err(self.damaged(format!("{path} is larger than Careledger will read")));
        }
        self.total_read = self.total_read.saturating_add(bytes.len() as u64);
        Ok(bytes)
    }
}

fn reader_damaged(shown: &str, detail: String) -> Error {
    Error::DamagedExport {
        path: shown.to_owned(),
        detail,
    }
}

/// Whether a name in the archive is one an export can have: the README,
/// the manifest, or a plain file name inside `tables/` or `attachments/`.
/// Anything else, such as `../x` or `/etc/x`, could point outside the
/// archive if unpacked, and is refused.
fn is_safe_entry_name(name: &str) -> bool {
    let plain = |file: &str| {
        !file.is_empty()
            && file != "."
            && file != ".."
            && file.len() <= 300
            && !file
                .chars()
                .any(|c| c.is_control() || c == '\\' || c == ':')
    };
    let mut parts = name.split('/');
    match (parts.next(), parts.next(), parts.next()) {
        (Some(file), None, None) => file == README || file == MANIFEST,
        (Some(TABLES_FOLDER), Some(file), None) => plain(file) && file.ends_with(".json"),
        (Some(ATTACHMENTS_FOLDER), Some(file), None) => plain(file),
        _ => false,
    }
}

/// Refuses to build a database where a file already is.
fn refuse_existing(into: &Path) -> Result<()> {
    if fs::symlink_metadata(into).is_ok() {
        return Err(Error::WouldOverwrite {
            path: into.display().to_string(),
            message: format!(
                "There is already a file at {}. Careledger will not write over it. Choose a new \
                 name or another folder. Nothing has been changed.",
                into.display()
            ),
        });
    }
    Ok(())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

fn readme_text(app_version: &str, created_at: &str) -> String {
    format!(
        "\
Careledger export
=================

This file holds everything Careledger knew when it was made: every person,
plan, payment, money in, regular payment and piece of evidence. It was made
by Careledger {app_version} on {created_at} (UTC).

Careledger can read it back in to make a new copy of the data. You can also
open the files in it without Careledger:

- manifest.json lists the other files, with a check (SHA-256) for each, so
  that Careledger can tell if anything was changed or damaged.

- tables/ has one file for each table of Careledger's data, in JSON (a text
  format most spreadsheet programs can import). Each file is a list of rows,
  and each row names its columns. Amounts are whole pence: 12345 means
  £123.45. Dates are year-month-day.

- attachments/ has the receipts, invoices and other evidence, exactly as
  they were added. Each is named by its check and the name it was added
  under. In tables/carried_file.json, each file's row names its file; a
  photo's small preview picture is there too, as base64.

Nothing in a record is ever deleted: an edited payment keeps its earlier
versions, and a removed one is marked as removed, with the reason.
"
    )
}
