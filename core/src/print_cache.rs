//! Receipts made ready to print, kept: a phone photo is decoded and scaled
//! once (when it is added, or the first time a statement prints it), and
//! every statement after uses the kept copy, which prints without decoding.
//! The copies are derived from the stored files, so they live in a cache
//! folder, not in the data, backups or exports; a missing or unreadable
//! copy is made again, and failing to keep one only makes the next
//! statement slower.

use std::fs;
use std::path::{Path, PathBuf};

use crate::evidence::{printable_photo, MediaType, PrintablePhoto, PRINT_PIXELS};
use crate::statement_pdf::ReceiptFile;

/// A folder of print-ready receipt photos, each named by its original's
/// SHA-256.
#[derive(Debug, Clone)]
pub struct PrintCache {
    dir: PathBuf,
}

impl PrintCache {
    /// The copies kept in `dir` (made when first needed, private to the
    /// person).
    pub fn new(dir: &Path) -> PrintCache {
        PrintCache {
            dir: dir.to_path_buf(),
        }
    }

    /// Where the copy of the file with this SHA-256 is kept; `None` for a
    /// name that is not a SHA-256 (never from Careledger, so never a path).
    fn path_of(&self, sha256: &str) -> Option<PathBuf> {
        let is_sha256 = sha256.len() == 64
            && sha256
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
        is_sha256.then(|| self.dir.join(format!("{sha256}-{PRINT_PIXELS}.jpg")))
    }

    /// Keeps a print-ready copy of the file with this SHA-256.
    pub fn keep(&self, sha256: &str, photo: &PrintablePhoto) {
        let Some(path) = self.path_of(sha256) else {
            return;
        };
        if fs::create_dir_all(&self.dir).is_err() {
            return;
        }
        crate::private::make_folder_private(&self.dir);
        // Written whole under another name, then renamed: a copy is never
        // seen half-written.
        let partial = path.with_extension("partial");
        if fs::write(&partial, &photo.jpeg).is_ok() && fs::rename(&partial, &path).is_err() {
            let _ = fs::remove_file(&partial);
        }
    }

    /// Makes ready to print every photo of `sha256s` not kept yet, reading
    /// each with `read` and resting `pause` between them, so that work
    /// done in the background leaves the computer to the person. For
    /// photos added before copies were kept: their first statement is then
    /// as quick as any. Returns how many were made; a photo that cannot be
    /// read or decoded is passed over (its statement says so).
    pub fn prepare<E>(
        &self,
        sha256s: &[String],
        mut read: impl FnMut(&str) -> Result<Vec<u8>, E>,
        pause: std::time::Duration,
    ) -> usize {
        let mut made = 0;
        for sha256 in sha256s {
            let Some(path) = self.path_of(sha256) else {
                continue;
            };
            if path.exists() {
                continue;
            }
            let Ok(bytes) = read(sha256) else {
                continue;
            };
            if let Some(ready) = printable_photo(&bytes, PRINT_PIXELS) {
                self.keep(sha256, &ready);
                made += 1;
            }
            std::thread::sleep(pause);
        }
        made
    }

    /// The file to print for `receipt`: its kept print-ready copy, or else
    /// its stored file from `original`, made ready and kept when it is a
    /// photo.
    pub fn file_to_print<E>(
        &self,
        receipt: &ReceiptFile,
        original: impl FnOnce() -> Result<Vec<u8>, E>,
    ) -> Result<Vec<u8>, E> {
        if receipt.media_type == MediaType::Pdf {
            return original();
        }
        if let Some(kept) = self
            .path_of(&receipt.sha256)
            .and_then(|path| fs::read(path).ok())
            // Only a copy that is print-ready as it is; anything else (a
            // damaged file, one from another size) is made again.
            .filter(|kept| {
                printable_photo(kept, PRINT_PIXELS).is_some_and(|ready| ready.jpeg == *kept)
            })
        {
            return Ok(kept);
        }
        let bytes = original()?;
        match printable_photo(&bytes, PRINT_PIXELS) {
            Some(ready) => {
                self.keep(&receipt.sha256, &ready);
                Ok(ready.jpeg)
            }
            // Printed as "could not be read".
            None => Ok(bytes),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evidence::check_evidence;
    use crate::Money;

    fn photo(width: u32, height: u32) -> Vec<u8> {
        let image = image::RgbImage::from_fn(width, height, |x, y| {
            image::Rgb([(x % 251) as u8, (y % 241) as u8, 90])
        });
        let mut out = std::io::Cursor::new(Vec::new());
        image::DynamicImage::ImageRgb8(image)
            .write_to(&mut out, image::ImageFormat::Jpeg)
            .unwrap();
        out.into_inner()
    }

    fn receipt_of(sha256: &str, media_type: MediaType) -> ReceiptFile {
        ReceiptFile {
            paid_on: chrono::NaiveDate::from_ymd_opt(2026, 11, 3).unwrap(),
            payee: "Aqua Physio".into(),
            amount: Money::from_pence(4_500),
            label: "Receipt: IMG_2041.jpg".into(),
            media_type,
            sha256: sha256.into(),
        }
    }

    #[test]
    fn a_photo_is_scaled_once_and_the_kept_copy_printed_after() {
        let dir = tempfile::tempdir().unwrap();
        let cache = PrintCache::new(&dir.path().join("print"));
        let original = photo(3_000, 2_000);
        let checked = check_evidence("IMG_2041.jpg", original.clone()).unwrap();
        let receipt = receipt_of(checked.sha256(), MediaType::Jpeg);

        // Not kept yet: made from the original, and kept.
        let mut reads = 0;
        let first = cache
            .file_to_print(&receipt, || -> Result<_, ()> {
                reads += 1;
                Ok(original.clone())
            })
            .unwrap();
        assert_eq!(reads, 1);
        assert_eq!(
            first,
            checked.printable().unwrap().jpeg,
            "as when it was added"
        );
        // Kept: the original is not read again.
        let second = cache
            .file_to_print(&receipt, || -> Result<Vec<u8>, ()> { panic!("read again") })
            .unwrap();
        assert_eq!(second, first);

        // A damaged copy is made again.
        let kept = cache.path_of(checked.sha256()).unwrap();
        fs::write(&kept, b"not a jpeg").unwrap();
        let again = cache
            .file_to_print(&receipt, || -> Result<_, ()> { Ok(original.clone()) })
            .unwrap();
        assert_eq!(again, first);

        // A PDF prints as it is, and a name that is not a SHA-256 is
        // never a path.
        let pdf = cache
            .file_to_print(
                &receipt_of(checked.sha256(), MediaType::Pdf),
                || -> Result<_, ()> { Ok(b"%PDF".to_vec()) },
            )
            .unwrap();
        assert_eq!(pdf, b"%PDF");
        assert!(cache.path_of("../../etc/passwd").is_none());
    }

    #[test]
    fn photos_added_before_are_made_ready_once_in_the_background() {
        let dir = tempfile::tempdir().unwrap();
        let cache = PrintCache::new(&dir.path().join("print"));
        let photos: Vec<Vec<u8>> = vec![photo(2_000, 1_500), photo(1_600, 1_200)];
        let shas: Vec<String> = photos
            .iter()
            .map(|bytes| crate::evidence::sha256_hex(bytes))
            .collect();
        let read = |sha: &str| -> Result<Vec<u8>, ()> {
            let at = shas.iter().position(|known| known == sha).ok_or(())?;
            Ok(photos[at].clone())
        };
        let mut asked = shas.clone();
        asked.push("f".repeat(64)); // not stored: passed over
        assert_eq!(cache.prepare(&asked, read, std::time::Duration::ZERO), 2);
        assert_eq!(
            cache.prepare(&asked, read, std::time::Duration::ZERO),
            0,
            "once"
        );
        // The statement then prints the kept copy without reading the photo.
        let kept = cache
            .file_to_print(
                &receipt_of(&shas[0], MediaType::Jpeg),
                || -> Result<Vec<u8>, ()> { panic!("read again") },
            )
            .unwrap();
        assert_eq!(
            kept,
            printable_photo(&photos[0], PRINT_PIXELS).unwrap().jpeg
        );
    }
}
