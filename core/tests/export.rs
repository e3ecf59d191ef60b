//! "Export everything" and reading an export back: the same data exactly,
//! and nothing but a whole, unchanged Careledger export accepted.

mod common;

use careledger_core::export::Exports;
use careledger_core::records::Records;
use std::collections::BTreeMap;
use std::fs;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use careledger_core::evidence::{check_evidence, EvidenceKind};
use careledger_core::export::{EXPORT_FORMAT, EXPORT_FORMAT_VERSION};
use careledger_core::store::{DATABASE_FILE_NAME, SCHEMA_VERSION};
use careledger_core::{ErrorCode, ErrorReport, Store};
use common::*;
use rusqlite::Connection;
use serde_json::Value as Json;
use zip::write::SimpleFileOptions;
use zip::{ZipArchive, ZipWriter};

fn receipt_png() -> Vec<u8> {
    include_bytes!("fixtures/receipt.png").to_vec()
}

fn invoice_pdf() -> Vec<u8> {
    include_bytes!("fixtures/invoice.pdf").to_vec()
}

/// The demo holder's year, with a photo and a PDF as evidence, one edit
/// and one removal: every kind of row there is.
struct Exported {
    dir: tempfile::TempDir,
    data: PathBuf,
    archive: PathBuf,
}

fn exported() -> Exported {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join(DATABASE_FILE_NAME);
    let mut store = Store::open(&data).unwrap();
    careledger_core::demo::populate(&mut store, today()).unwrap();
    let holder = store.holders().unwrap()[0].id;
    let plan = store.plan_of(holder).unwrap().unwrap().id;
    let david = store.people().unwrap()[0].id;
    let payments = store.payments(plan).unwrap();
    store
        .attach_evidence(
            plan,
            payments[0].key,
            EvidenceKind::Receipt,
            &check_evidence("Receipt 12.png", receipt_png()).unwrap(),
            david,
        )
        .unwrap();
    store
        .attach_evidence(
            plan,
            payments[1].key,
            EvidenceKind::Invoice,
            &check_evidence("Invoice 4471.pdf", invoice_pdf()).unwrap(),
            david,
        )
        .unwrap();
    store
        .attach_evidence(
            plan,
            payments[2].key,
            EvidenceKind::Other,
            &check_evidence("../copy.png", receipt_png()).unwrap(),
            david,
        )
        .unwrap();
    store
        .edit_payment(
            plan,
            payments[3].key,
            &spending("1/11/2026", "Corrected payee", "£12.34", david),
            "The payee was wrong",
            today(),
        )
        .unwrap();
    store
        .void_payment(plan, payments[4].key, "Entered twice", david)
        .unwrap();
    let archive = dir.path().join("Careledger export.zip");
    let summary = store.export_all(&archive).unwrap();
    assert_eq!(summary.size_bytes, fs::metadata(&archive).unwrap().len());
    assert_eq!(
        summary.attachment_count, 2,
        "the same photo twice is one file"
    );
    drop(store);
    Exported { dir, data, archive }
}

/// The archive's files, by name.
fn entries(archive: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut zip = ZipArchive::new(fs::File::open(archive).unwrap()).unwrap();
    (0..zip.len())
        .map(|index| {
            let mut entry = zip.by_index(index).unwrap();
            let mut bytes = Vec::new();
            entry.read_to_end(&mut bytes).unwrap();
            (entry.name().to_owned(), bytes)
        })
        .collect()
}

/// Writes `files` as a zip archive at `path`.
fn write_zip(path: &Path, files: &BTreeMap<String, Vec<u8>>) {
    let mut zip = ZipWriter::new(fs::File::create(path).unwrap());
    for (name, bytes) in files {
        zip.start_file(name.as_str(), SimpleFileOptions::default())
            .unwrap();
        zip.write_all(bytes).unwrap();
    }
    zip.finish().unwrap();
}

fn manifest(files: &BTreeMap<String, Vec<u8>>) -> Json {
    serde_json::from_slice(&files["manifest.json"]).unwrap()
}

fn code_of(result: careledger_core::Result<Store>) -> (ErrorCode, String) {
    let Err(error) = result else {
        panic!("should be refused");
    };
    let report = ErrorReport::from(&error);
    (report.code, report.message)
}

/// Fails unless importing `archive` is refused with `expected`, leaving no
/// database and no temporary files behind.
fn assert_refused(archive: &Path, expected: ErrorCode) {
    let folder = tempfile::tempdir().unwrap();
    let into = folder.path().join("imported.sqlite3");
    let (code, message) = code_of(Store::import_all(archive, &into));
    assert_eq!(code, expected, "{message}");
    assert!(message.contains("Nothing has been changed."), "{message}");
    assert_eq!(
        fs::read_dir(folder.path()).unwrap().count(),
        0,
        "nothing left behind"
    );
}

#[test]
fn an_export_imports_to_exactly_the_same_data() {
    let export = exported();
    let into = export.dir.path().join("imported.sqlite3");
    let store = Store::import_all(&export.archive, &into).unwrap();
    assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION as i64);
    let holder = store.holders().unwrap()[0].clone();
    assert_eq!(holder.name, "Margaret Ellis");
    let plan = store.plan_of(holder.id).unwrap().unwrap().id;
    let payments = store.payments(plan).unwrap();
    let photo = payments[0].evidence[0].attachment_id;
    let pdf = payments[1].evidence[0].attachment_id;
    assert_eq!(store.evidence_file(photo).unwrap().1, receipt_png());
    assert_eq!(store.evidence_file(pdf).unwrap().1, invoice_pdf());
    drop(store);

    let original = dump(&export.data);
    let imported = dump(&into);
    assert_eq!(
        original.keys().collect::<Vec<_>>(),
        imported.keys().collect::<Vec<_>>()
    );
    for (table, rows) in &original {
        assert_eq!(&imported[table], rows, "table {table}");
    }
    assert!(original["spending"].len() > 50);
    assert_eq!(original["attachment"].len(), 2);
    let application_id = |path: &Path| -> i32 {
        Connection::open(path)
            .unwrap()
            .query_row("PRAGMA application_id", [], |row| row.get(0))
            .unwrap()
    };
    assert_eq!(application_id(&into), application_id(&export.data));
    assert_eq!(
        fs::read_dir(export.dir.path())
            .unwrap()
            .filter(|entry| entry
                .as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .starts_with('.'))
            .count(),
        0,
        "no temporary folders left"
    );
}

#[test]
fn an_export_is_readable_without_careledger() {
    let export = exported();
    let files = entries(&export.archive);
    let readme = String::from_utf8(files["README.txt"].clone()).unwrap();
    assert!(readme.contains("Amounts are whole pence"));
    let manifest = manifest(&files);
    assert_eq!(manifest["format"], EXPORT_FORMAT);
    assert_eq!(manifest["formatVersion"], EXPORT_FORMAT_VERSION);
    assert_eq!(manifest["schemaVersion"], SCHEMA_VERSION as i64);
    assert_eq!(manifest["appVersion"], env!("CARGO_PKG_VERSION"));
    assert!(manifest["createdAt"].as_str().unwrap().ends_with('Z'));

    let original = dump(&export.data);
    // The data file carries no evidence file inside: each is in the
    // receipts folder, and the export holds each (two files and a photo's
    // thumbnail) as a row of carried_file.
    assert!(original["carried_file"].is_empty());
    let files_named = Store::open(&export.data)
        .unwrap()
        .evidence_files_needed()
        .unwrap();
    assert_eq!(files_named.len(), 3);
    let tables = manifest["tables"].as_array().unwrap();
    assert_eq!(tables.len(), original.len(), "every table");
    for table in tables {
        let name = table["name"].as_str().unwrap();
        let rows: Vec<Json> =
            serde_json::from_slice(&files[&format!("tables/{name}.json")]).unwrap();
        let expected = match name {
            "carried_file" => files_named.len(),
            _ => original[name].len(),
        };
        assert_eq!(rows.len(), expected, "{name}");
        assert_eq!(table["rows"], rows.len());
    }
    let listed = manifest["files"].as_array().unwrap();
    assert_eq!(listed.len(), files.len() - 1, "every file but the manifest");
    for file in listed {
        let bytes = &files[file["path"].as_str().unwrap()];
        let hash: String = <sha2::Sha256 as sha2::Digest>::digest(bytes)
            .iter()
            .map(|byte| format!("{byte:02x}"))
            .collect();
        assert_eq!(file["sha256"], hash);
        assert_eq!(file["bytes"], bytes.len());
    }

    let holder: Vec<Json> = serde_json::from_slice(&files["tables/holder.json"]).unwrap();
    assert_eq!(holder[0]["name"], "Margaret Ellis");
    assert!(holder[0]["nhs_number"].as_str().unwrap().contains("476"));
    let attachments: Vec<Json> = serde_json::from_slice(&files["tables/attachment.json"]).unwrap();
    let carried: Vec<Json> = serde_json::from_slice(&files["tables/carried_file.json"]).unwrap();
    let file_of = |sha256: &Json| {
        carried
            .iter()
            .find(|row| row["sha256"] == *sha256)
            .map(|row| row["content"].clone())
            .unwrap()
    };
    let photo = &attachments[0];
    let photo_content = file_of(&photo["sha256"]);
    let photo_file = photo_content["file"].as_str().unwrap();
    assert_eq!(
        photo_file,
        format!(
            "attachments/{}-Receipt 12.png",
            photo["sha256"].as_str().unwrap()
        )
    );
    assert_eq!(files[photo_file], receipt_png(), "the photo, byte for byte");
    assert!(file_of(&photo["thumbnail_sha256"])["base64"].is_string());
    let pdf_content = file_of(&attachments[1]["sha256"]);
    let pdf_file = pdf_content["file"].as_str().unwrap();
    assert!(pdf_file.ends_with("-Invoice 4471.pdf"));
    assert_eq!(files[pdf_file], invoice_pdf());
}

#[test]
fn an_empty_store_round_trips() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join(DATABASE_FILE_NAME)).unwrap();
    let archive = dir.path().join("empty.zip");
    let summary = store.export_all(&archive).unwrap();
    assert_eq!((summary.row_count, summary.attachment_count), (0, 0));
    let imported = Store::import_all(&archive, &dir.path().join("again.sqlite3")).unwrap();
    assert!(imported.holders().unwrap().is_empty());
}

#[test]
fn export_never_writes_over_the_data_file() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join(DATABASE_FILE_NAME);
    let store = Store::open(&data).unwrap();
    let Err(error) = store.export_all(&data) else {
        panic!("should be refused");
    };
    assert_eq!(error.code(), ErrorCode::WouldOverwrite);
    assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION as i64);
}

#[test]
fn import_never_writes_over_an_existing_file() {
    let export = exported();
    let before = fs::read(&export.data).unwrap();
    let (code, message) = code_of(Store::import_all(&export.archive, &export.data));
    assert_eq!(code, ErrorCode::WouldOverwrite, "{message}");
    assert!(message.contains("will not write over"), "{message}");
    assert_eq!(fs::read(&export.data).unwrap(), before);
}

#[test]
fn import_refuses_an_archive_changed_after_it_was_made() {
    let export = exported();
    let files = entries(&export.archive);

    // One character of a payment changed, the manifest left as it was.
    let mut changed = files.clone();
    let spending = changed.get_mut("tables/spending.json").unwrap();
    let at = spending.iter().position(|byte| *byte == b'7').unwrap();
    spending[at] = b'8';
    let tampered = export.dir.path().join("tampered.zip");
    write_zip(&tampered, &changed);
    assert_refused(&tampered, ErrorCode::DamagedExport);

    // A receipt swapped for another file.
    let mut swapped = files.clone();
    let photo = swapped
        .keys()
        .find(|name| name.ends_with("Receipt 12.png"))
        .unwrap()
        .clone();
    swapped.insert(photo, invoice_pdf());
    let swapped_path = export.dir.path().join("swapped.zip");
    write_zip(&swapped_path, &swapped);
    assert_refused(&swapped_path, ErrorCode::DamagedExport);

    // A file added that the manifest does not list.
    let mut extra = files.clone();
    extra.insert("attachments/extra.png".into(), receipt_png());
    let extra_path = export.dir.path().join("extra.zip");
    write_zip(&extra_path, &extra);
    assert_refused(&extra_path, ErrorCode::DamagedExport);

    // A table taken out.
    let mut missing = files.clone();
    missing.remove("tables/money_in.json");
    let missing_path = export.dir.path().join("missing.zip");
    write_zip(&missing_path, &missing);
    assert_refused(&missing_path, ErrorCode::DamagedExport);

    // A row breaking the schema's rules, with the manifest made to match:
    // still refused, by the database.
    let mut forged = files.clone();
    let mut rows: Vec<Json> = serde_json::from_slice(&forged["tables/spending.json"]).unwrap();
    rows[0]["amount_pence"] = Json::from(-500);
    let bytes = serde_json::to_vec(&rows).unwrap();
    let mut manifest = manifest(&forged);
    for file in manifest["files"].as_array_mut().unwrap() {
        if file["path"] == "tables/spending.json" {
            file["bytes"] = Json::from(bytes.len());
            file["sha256"] = Json::from(
                <sha2::Sha256 as sha2::Digest>::digest(&bytes)
                    .iter()
                    .map(|byte| format!("{byte:02x}"))
                    .collect::<String>(),
            );
        }
    }
    forged.insert("tables/spending.json".into(), bytes);
    forged.insert(
        "manifest.json".into(),
        serde_json::to_vec(&manifest).unwrap(),
    );
    let forged_path = export.dir.path().join("forged.zip");
    write_zip(&forged_path, &forged);
    assert_refused(&forged_path, ErrorCode::DamagedExport);
}

#[test]
fn import_refuses_a_damaged_archive_file() {
    let export = exported();
    let mut bytes = fs::read(&export.archive).unwrap();
    // A byte in the middle of the stored photo (stored, not compressed, so
    // the archive still opens; its check must catch it).
    let photo = receipt_png();
    let at = bytes
        .windows(photo.len())
        .position(|window| window == photo.as_slice())
        .unwrap()
        + photo.len() / 2;
    bytes[at] ^= 0xFF;
    let damaged = export.dir.path().join("damaged.zip");
    fs::write(&damaged, &bytes).unwrap();
    assert_refused(&damaged, ErrorCode::DamagedExport);

    // Cut short.
    let cut = export.dir.path().join("cut.zip");
    fs::write(&cut, &fs::read(&export.archive).unwrap()[..bytes.len() / 2]).unwrap();
    assert_refused(&cut, ErrorCode::NotAnExport);
}

#[test]
fn import_refuses_names_that_point_outside_the_archive() {
    let export = exported();
    for hostile in [
        "../evil.txt",
        "tables/../../evil.json",
        "/etc/evil.json",
        "attachments/..",
        "attachments\\..\\evil.png",
        "C:/evil.png",
    ] {
        let mut files = entries(&export.archive);
        files.insert(hostile.into(), b"evil".to_vec());
        let path = export.dir.path().join("hostile.zip");
        write_zip(&path, &files);
        assert_refused(&path, ErrorCode::DamagedExport);
    }
    assert!(!export.dir.path().join("evil.txt").exists());
    assert!(!export
        .dir
        .path()
        .parent()
        .unwrap()
        .join("evil.txt")
        .exists());
}

#[test]
fn import_refuses_what_is_not_an_export() {
    let dir = tempfile::tempdir().unwrap();
    // Random bytes (a fixed pattern, so the test is the same every run).
    let mut state = 0x2545_F491_4F6C_DD1Du64;
    let noise: Vec<u8> = (0..50_000)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state.to_le_bytes()[0]
        })
        .collect();
    let random = dir.path().join("random.zip");
    fs::write(&random, noise).unwrap();
    assert_refused(&random, ErrorCode::NotAnExport);

    let text = dir.path().join("letter.zip");
    fs::write(&text, "Dear Sir or Madam").unwrap();
    assert_refused(&text, ErrorCode::NotAnExport);

    // A zip, but someone else's.
    let other = dir.path().join("photos.zip");
    write_zip(
        &other,
        &BTreeMap::from([("holiday.png".to_owned(), receipt_png())]),
    );
    assert_refused(&other, ErrorCode::NotAnExport);

    // A zip with a manifest of another format.
    let other_format = dir.path().join("other-format.zip");
    write_zip(
        &other_format,
        &BTreeMap::from([(
            "manifest.json".to_owned(),
            br#"{"format": "something-else"}"#.to_vec(),
        )]),
    );
    assert_refused(&other_format, ErrorCode::NotAnExport);

    assert_refused(&dir.path().join("no such file.zip"), ErrorCode::File);
}

#[test]
fn import_refuses_an_export_from_a_newer_careledger() {
    let export = exported();
    let files = entries(&export.archive);
    for (field, value) in [
        ("formatVersion", Json::from(EXPORT_FORMAT_VERSION + 1)),
        ("schemaVersion", Json::from(SCHEMA_VERSION + 1)),
    ] {
        let mut newer = files.clone();
        let mut manifest = manifest(&newer);
        manifest[field] = value;
        newer.insert(
            "manifest.json".into(),
            serde_json::to_vec(&manifest).unwrap(),
        );
        let path = export.dir.path().join("newer.zip");
        write_zip(&path, &newer);
        assert_refused(&path, ErrorCode::NewerExport);
    }
}

#[test]
fn import_refuses_an_archive_that_unpacks_too_large() {
    let export = exported();
    let files = entries(&export.archive);
    // 64 MB of zeros squeezes to a few hundred kilobytes. In place of a
    // table, with the manifest as it was: refused after a byte too many.
    let bomb = export.dir.path().join("bomb.zip");
    let mut zip = ZipWriter::new(fs::File::create(&bomb).unwrap());
    let options = SimpleFileOptions::default();
    for (name, bytes) in &files {
        zip.start_file(name.as_str(), options).unwrap();
        if name == "tables/recurring_due.json" {
            let zeros = vec![0u8; 1 << 20];
            for _ in 0..64 {
                zip.write_all(&zeros).unwrap();
            }
        } else {
            zip.write_all(bytes).unwrap();
        }
    }
    zip.finish().unwrap();
    assert_refused(&bomb, ErrorCode::DamagedExport);

    // With a manifest that claims a huge table: refused before reading it.
    let mut claims = files.clone();
    let mut manifest = manifest(&claims);
    for file in manifest["files"].as_array_mut().unwrap() {
        if file["path"] == "tables/recurring_due.json" {
            file["bytes"] = Json::from(5_000_000_000u64);
        }
    }
    claims.insert(
        "manifest.json".into(),
        serde_json::to_vec(&manifest).unwrap(),
    );
    let path = export.dir.path().join("claims.zip");
    write_zip(&path, &claims);
    assert_refused(&path, ErrorCode::DamagedExport);
}

/// `files` with the rows of `table` changed by `change`, and the manifest
/// made to match: a tampered export whose checks all pass.
fn forged(
    files: &BTreeMap<String, Vec<u8>>,
    table: &str,
    change: impl FnOnce(&mut Vec<Json>),
) -> BTreeMap<String, Vec<u8>> {
    let path = format!("tables/{table}.json");
    let mut forged = files.clone();
    let mut rows: Vec<Json> = serde_json::from_slice(&forged[&path]).unwrap();
    change(&mut rows);
    let bytes = serde_json::to_vec_pretty(&rows).unwrap();
    let mut manifest = manifest(&forged);
    for file in manifest["files"].as_array_mut().unwrap() {
        if file["path"] == path.as_str() {
            file["bytes"] = Json::from(bytes.len());
            file["sha256"] = Json::from(
                <sha2::Sha256 as sha2::Digest>::digest(&bytes)
                    .iter()
                    .map(|byte| format!("{byte:02x}"))
                    .collect::<String>(),
            );
        }
    }
    for entry in manifest["tables"].as_array_mut().unwrap() {
        if entry["name"] == table {
            entry["rows"] = Json::from(rows.len());
        }
    }
    forged.insert(path, bytes);
    forged.insert(
        "manifest.json".into(),
        serde_json::to_vec(&manifest).unwrap(),
    );
    forged
}

/// The message an import of `files` is refused with (as a damaged export,
/// with nothing left behind).
fn refusal(dir: &Path, files: &BTreeMap<String, Vec<u8>>) -> String {
    let path = dir.join("forged.zip");
    write_zip(&path, files);
    let folder = tempfile::tempdir().unwrap();
    let into = folder.path().join("imported.sqlite3");
    let (code, message) = code_of(Store::import_all(&path, &into));
    assert_eq!(code, ErrorCode::DamagedExport, "{message}");
    assert_eq!(
        fs::read_dir(folder.path()).unwrap().count(),
        0,
        "nothing left behind: {message}"
    );
    message
}

#[test]
fn import_checks_every_value_like_typed_input() {
    let export = exported();
    let files = entries(&export.archive);
    let dir = export.dir.path();
    let refused = |table: &str, row: usize, column: &str, value: Json| {
        refusal(
            dir,
            &forged(&files, table, |rows| rows[row - 1][column] = value),
        )
    };

    // A date that is not a date: before, this was let in and failed later
    // with "Conversion error from type Text at index: 0".
    assert_eq!(
        refused("spending", 12, "paid_on", Json::from("2026-02-31")),
        "This export cannot be brought back: in the payments table, row 12, the date \
         \u{201c}2026-02-31\u{201d} in paid_on is not a real date. Nothing has been changed."
    );
    assert_eq!(
        refused("spending", 3, "how_paid", Json::from("teleport")),
        "This export cannot be brought back: in the payments table, row 3, \u{201c}teleport\u{201d} \
         in how_paid is not one of the choices Careledger knows. Nothing has been changed."
    );
    assert_eq!(
        refused("spending", 1, "amount_pence", Json::from(-500)),
        "This export cannot be brought back: in the payments table, row 1, amount_pence is \
         -500, which is not an amount Careledger keeps (whole pence, from 1 to 1000000000, \
         which is £10,000,000.00). Nothing has been changed."
    );
    let too_much = refused("money_in", 1, "amount_pence", Json::from(1_000_000_001));
    assert!(
        too_much.contains("in the money in table, row 1, amount_pence is 1000000001"),
        "{too_much}"
    );
    let hidden = refused("spending", 2, "payee", Json::from("Tes\u{200B}co"));
    assert!(
        hidden.contains("row 2, the text in payee has a hidden character in it"),
        "{hidden}"
    );
    let flipped = refused("holder", 1, "name", Json::from("Margaret \u{202E}sillE"));
    assert!(flipped.contains("budget holders table, row 1"), "{flipped}");
    let long = refused("spending", 2, "note", Json::from("a".repeat(2_001)));
    assert!(
        long.contains("the text in note is 2001 characters long, more than the 2000"),
        "{long}"
    );
    let category = refused("budget_line", 1, "category", Json::from("holidays"));
    assert!(
        category.contains("in the budget lines table, row 1, \u{201c}holidays\u{201d} in category"),
        "{category}"
    );
    let time = refused("spending", 1, "recorded_at", Json::from("yesterday"));
    assert!(time.contains("is not a real date and time"), "{time}");
    let wrong_kind = refused("spending", 1, "amount_pence", Json::from("12.50"));
    assert!(
        wrong_kind.contains("amount_pence should be a whole number but is text"),
        "{wrong_kind}"
    );

    // A reference to a row that is not there, by a declared key and by a
    // line's key.
    let orphan = refused("spending", 5, "plan_id", Json::from(999));
    assert_eq!(
        orphan,
        "This export cannot be brought back: in the payments table, row 5, plan_id is 999, \
         but the plans table has no row with that id. Nothing has been changed."
    );
    let no_line = refused("spending_split", 4, "line_key", Json::from(999));
    assert!(
        no_line.contains(
            "payments' budget lines table, row 4, line_key is 999, which is not a budget line"
        ),
        "{no_line}"
    );

    // A column taken out of a row.
    let missing = refusal(
        dir,
        &forged(&files, "spending", |rows| {
            rows[6].as_object_mut().unwrap().remove("payee");
        }),
    );
    assert!(missing.contains("row 7, there is no payee"), "{missing}");

    // The export as made still comes back.
    let into = dir.join("untouched.sqlite3");
    Store::import_all(&export.archive, &into).unwrap();
}

#[test]
fn evidence_names_keep_only_what_can_be_seen_and_come_back() {
    let dir = tempfile::tempdir().unwrap();
    let (mut store, david, _, plan) = {
        let data = dir.path().join(DATABASE_FILE_NAME);
        let mut store = Store::open(&data).unwrap();
        let david = person(&mut store, "David Ellis");
        let holder = store
            .add_holder(&new_holder("Margaret Ellis", david), today())
            .unwrap()
            .id;
        let plan = store
            .create_plan(holder, &simple_plan("£1,000"), david)
            .unwrap()
            .plan_id;
        (store, david, holder, plan)
    };
    let paid = store
        .record_payment(
            plan,
            &spending("1/5/2026", "Jo Pike", "£12.50", david),
            today(),
        )
        .unwrap();
    // Shown as "Invoice exe.pdf" by the right-to-left override; kept as
    // what it really is.
    let flipped = store
        .attach_evidence(
            plan,
            paid.key,
            EvidenceKind::Invoice,
            &check_evidence("C:\\Downloads\\Invoice \u{202E}fdp.exe", invoice_pdf()).unwrap(),
            david,
        )
        .unwrap();
    assert_eq!(flipped.file_name, "Invoice fdp.exe");
    // Nothing to see at all: named for what it is.
    let nameless = store
        .attach_evidence(
            plan,
            paid.key,
            EvidenceKind::Receipt,
            &check_evidence("\u{200B}\u{FEFF}\u{7}", receipt_png()).unwrap(),
            david,
        )
        .unwrap();
    assert_eq!(nameless.file_name, "Receipt.png");

    let archive = dir.path().join("export.zip");
    store.export_all(&archive).unwrap();
    let back = Store::import_all(&archive, &dir.path().join("back.sqlite3")).unwrap();
    let names: Vec<String> = back.payments(plan).unwrap()[0]
        .evidence
        .iter()
        .map(|evidence| evidence.file_name.clone())
        .collect();
    assert_eq!(names, ["Invoice fdp.exe", "Receipt.png"]);
}

#[test]
fn exporting_and_importing_count_their_progress_and_stop_when_asked_leaving_nothing() {
    use careledger_core::progress::Progress;
    let exported = exported();
    // Rebuilding counts every row, so the window's bar ends full.
    let progress = Progress::new("Restoring");
    let into = exported.dir.path().join("rebuilt.sqlite3");
    drop(Store::import_all_with(&exported.archive, &into, &progress).unwrap());
    let done = progress.now();
    assert!(done.total > 100, "{done:?}");
    assert_eq!(done.done, done.total);

    // Asked to stop, neither leaves a file behind, nor anything beside it.
    let store = Store::open(&exported.data).unwrap();
    let files = || {
        let mut names: Vec<_> = fs::read_dir(exported.dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        names.sort();
        names
    };
    let before = files();
    let stopping = Progress::new("Exporting");
    stopping.stop();
    let dest = exported.dir.path().join("stopped.zip");
    let error = store.export_all_with(&dest, &stopping).unwrap_err();
    assert_eq!(ErrorReport::from(error).code, ErrorCode::Cancelled);
    assert!(!dest.exists());
    let into = exported.dir.path().join("stopped.sqlite3");
    let error = Store::import_all_with(&exported.archive, &into, &stopping)
        .map(drop)
        .unwrap_err();
    assert_eq!(ErrorReport::from(error).code, ErrorCode::Cancelled);
    assert!(!into.exists());
    let after = files();
    assert_eq!(before, after, "no temporary files are left");
}
