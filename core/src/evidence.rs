//! Evidence files: receipts, invoices, timesheets and payslips.
//!
//! A file is trusted only by its contents: its first bytes must be those of
//! a PNG, a JPEG or a PDF, and a photo must decode. Identical files are
//! stored once, keyed by their SHA-256. Photos get a small PNG thumbnail.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::input::without_hidden;

/// The largest evidence file accepted: 20 MB.
pub const MAX_EVIDENCE_BYTES: usize = 20 * 1024 * 1024;

/// The longest evidence file name kept, in characters.
pub const MAX_FILE_NAME_CHARS: usize = 255;

/// The longest side of a thumbnail, in pixels.
const THUMBNAIL_SIZE: u32 = 320;

/// What kind of evidence a file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum EvidenceKind {
    /// A till receipt.
    Receipt,
    /// An invoice.
    Invoice,
    /// A personal assistant's timesheet.
    Timesheet,
    /// A payslip.
    Payslip,
    /// A bank or card statement.
    Statement,
    /// Anything else.
    Other,
}

/// The kinds of file accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
pub enum MediaType {
    /// A PNG image.
    #[serde(rename = "image/png")]
    Png,
    /// A JPEG photo.
    #[serde(rename = "image/jpeg")]
    Jpeg,
    /// A PDF document.
    #[serde(rename = "application/pdf")]
    Pdf,
}

impl MediaType {
    /// The MIME type, as stored.
    pub fn mime(self) -> &'static str {
        match self {
            MediaType::Png => "image/png",
            MediaType::Jpeg => "image/jpeg",
            MediaType::Pdf => "application/pdf",
        }
    }

    /// Reads a stored MIME type.
    pub fn from_mime(mime: &str) -> Option<MediaType> {
        match mime {
            "image/png" => Some(MediaType::Png),
            "image/jpeg" => Some(MediaType::Jpeg),
            "application/pdf" => Some(MediaType::Pdf),
            _ => None,
        }
    }
}

impl MediaType {
    /// The usual ending of a file of this type, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            MediaType::Png => "png",
            MediaType::Jpeg => "jpg",
            MediaType::Pdf => "pdf",
        }
    }
}

/// The name an evidence file is kept under, from the name the person's
/// computer gave it: its own name without the folders, with control
/// characters and characters that cannot be seen taken out (see
/// [`crate::input::is_hidden`]: a right-to-left override would make
/// "Invoice fdp.exe" show as "Invoice exe.pdf"), trimmed, and at most
/// [`MAX_FILE_NAME_CHARS`] characters. The name is not typed, so it is
/// cleaned rather than refused. `None` when nothing is left; the file is
/// then named with [`fallback_file_name`].
pub fn clean_file_name(name: &str) -> Option<String> {
    let own = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let visible = without_hidden(own);
    let short: String = visible.trim().chars().take(MAX_FILE_NAME_CHARS).collect();
    let clean = short.trim_end();
    (!clean.is_empty()).then(|| clean.to_owned())
}

/// The name for an evidence file whose own name had nothing to keep:
/// what it is and its usual ending, "Receipt.jpg".
pub fn fallback_file_name(kind: EvidenceKind, media_type: MediaType) -> String {
    let what = match kind {
        EvidenceKind::Other => "Evidence",
        kind => kind.label(),
    };
    format!("{what}.{}", media_type.extension())
}

/// A file checked and ready to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedFile {
    /// Its contents' SHA-256, in lower-case hex.
    pub sha256: String,
    /// What it is.
    pub media_type: MediaType,
    /// A PNG thumbnail, for photos.
    pub thumbnail: Option<Vec<u8>>,
}

/// Checks a file offered as evidence. `file_name` is only for messages.
pub fn check_file(file_name: &str, bytes: &[u8]) -> Result<CheckedFile> {
    if bytes.is_empty() {
        return Err(Error::invalid(
            "evidence",
            format!("{file_name} is empty. Choose the file again."),
        ));
    }
    if bytes.len() > MAX_EVIDENCE_BYTES {
        return Err(Error::invalid(
            "evidence",
            format!(
                "{file_name} is {:.1} MB; the most Careledger keeps is 20 MB. Save a smaller copy (a photo at a lower size, or a PDF of just the pages needed) and add that.",
                bytes.len() as f64 / (1024.0 * 1024.0)
            ),
        ));
    }
    let media_type = sniff(bytes).ok_or_else(|| {
        Error::invalid(
            "evidence",
            format!(
                "{file_name} is not a photo (PNG or JPEG) or a PDF, whatever its name says, so it was not added. Scan or photograph the receipt, or save it as a PDF."
            ),
        )
    })?;
    let thumbnail = match media_type {
        MediaType::Pdf => {
            if !looks_like_whole_pdf(bytes) {
                return Err(Error::invalid(
                    "evidence",
                    format!("{file_name} starts like a PDF but is damaged or cut short. Save or download it again."),
                ));
            }
            None
        }
        MediaType::Png | MediaType::Jpeg => Some(thumbnail(bytes).ok_or_else(|| {
            Error::invalid(
                "evidence",
                format!("{file_name} looks like a photo but could not be read; it may be damaged. Take or save the photo again."),
            )
        })?),
    };
    Ok(CheckedFile {
        sha256: sha256_hex(bytes),
        media_type,
        thumbnail,
    })
}

/// The file's type from its first bytes, if it is one Careledger accepts.
pub(crate) fn sniff(bytes: &[u8]) -> Option<MediaType> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some(MediaType::Png)
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some(MediaType::Jpeg)
    } else if bytes.starts_with(b"%PDF-") {
        Some(MediaType::Pdf)
    } else {
        None
    }
}

/// A PDF ends with "%%EOF" (followed perhaps by a line break or two); a
/// download cut short does not.
fn looks_like_whole_pdf(bytes: &[u8]) -> bool {
    let tail = &bytes[bytes.len().saturating_sub(1024)..];
    tail.windows(5).any(|window| window == b"%%EOF")
}

/// A photo decoded and turned upright (phones store the camera's rotation
/// separately), or `None` if it does not decode. Decoding is capped (a
/// phone photo is about 50 megapixels at most), so a small file that claims
/// to be an enormous picture cannot exhaust memory.
fn decode_photo(bytes: &[u8]) -> Option<image::DynamicImage> {
    use image::ImageDecoder;
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(20_000);
    limits.max_image_height = Some(20_000);
    limits.max_alloc = Some(400 * 1024 * 1024);
    let mut reader = image::ImageReader::new(std::io::Cursor::new(bytes))
        .with_guessed_format()
        .ok()?;
    reader.limits(limits);
    let mut decoder = reader.into_decoder().ok()?;
    let orientation = decoder.orientation().ok();
    let mut image = image::DynamicImage::from_decoder(decoder).ok()?;
    if let Some(orientation) = orientation {
        image.apply_orientation(orientation);
    }
    Some(image)
}

/// A PNG thumbnail of a photo, or `None` if it does not decode.
fn thumbnail(bytes: &[u8]) -> Option<Vec<u8>> {
    let small = decode_photo(bytes)?.thumbnail(THUMBNAIL_SIZE, THUMBNAIL_SIZE);
    let mut out = std::io::Cursor::new(Vec::new());
    small.write_to(&mut out, image::ImageFormat::Png).ok()?;
    Some(out.into_inner())
}

/// A photo made ready to print: upright, no more than `max_side` pixels
/// on its longer side (enough to read a receipt on A4), as a JPEG so a
/// statement with many receipts stays a sensible size. `None` if it does
/// not decode.
pub(crate) fn printable_photo(bytes: &[u8], max_side: u32) -> Option<PrintablePhoto> {
    let photo = decode_photo(bytes)?;
    let photo = if photo.width().max(photo.height()) > max_side {
        photo.resize(max_side, max_side, image::imageops::FilterType::Triangle)
    } else {
        photo
    };
    let rgb = photo.to_rgb8();
    let mut jpeg = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 80)
        .encode_image(&rgb)
        .ok()?;
    Some(PrintablePhoto {
        jpeg,
        width: rgb.width(),
        height: rgb.height(),
    })
}

/// A photo as a JPEG, with its size in pixels.
pub(crate) struct PrintablePhoto {
    pub(crate) jpeg: Vec<u8>,
    pub(crate) width: u32,
    pub(crate) height: u32,
}

pub(crate) fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A real 2×2 PNG made by the `image` crate.
    pub(crate) fn tiny_png() -> Vec<u8> {
        let image = image::RgbImage::from_pixel(2, 2, image::Rgb([200, 30, 30]));
        let mut out = std::io::Cursor::new(Vec::new());
        image::DynamicImage::ImageRgb8(image)
            .write_to(&mut out, image::ImageFormat::Png)
            .unwrap();
        out.into_inner()
    }

    pub(crate) fn tiny_pdf() -> Vec<u8> {
        b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
            .to_vec()
    }

    fn message(result: Result<CheckedFile>) -> String {
        result.expect_err("refused").to_string()
    }

    #[test]
    fn accepts_photos_and_pdfs_by_their_contents() {
        let png = check_file("receipt.png", &tiny_png()).unwrap();
        assert_eq!(png.media_type, MediaType::Png);
        assert!(png.thumbnail.unwrap().starts_with(b"\x89PNG"));
        let pdf = check_file("invoice.pdf", &tiny_pdf()).unwrap();
        assert_eq!((pdf.media_type, pdf.thumbnail), (MediaType::Pdf, None));
        assert_eq!(pdf.sha256.len(), 64);
        assert_eq!(
            pdf.sha256,
            check_file("copy.pdf", &tiny_pdf()).unwrap().sha256,
            "same file, same key"
        );
    }

    #[test]
    fn a_small_file_claiming_a_huge_picture_is_refused_not_decoded() {
        // A PNG header saying 100,000 × 100,000 pixels, and nothing behind it.
        let mut png = tiny_png();
        png[16..20].copy_from_slice(&100_000u32.to_be_bytes());
        png[20..24].copy_from_slice(&100_000u32.to_be_bytes());
        assert!(message(check_file("huge.png", &png)).contains("could not be read"));
    }

    #[test]
    fn file_names_keep_only_what_can_be_seen() {
        assert_eq!(
            clean_file_name("C:\\Users\\jo\\Invoice \u{202E}fdp.exe").as_deref(),
            Some("Invoice fdp.exe")
        );
        assert_eq!(
            clean_file_name("/home/jo/Re\u{200B}ceipt\u{0}\u{FEFF}.png").as_deref(),
            Some("Receipt.png")
        );
        assert_eq!(
            clean_file_name(" \u{200B} Receipt 12.png\u{2069} ").as_deref(),
            Some("Receipt 12.png")
        );
        assert_eq!(
            clean_file_name("Zoë’s café receipt.pdf").as_deref(),
            Some("Zoë’s café receipt.pdf")
        );
        for nothing in ["", "   ", "\u{200B}\u{202E}", "folder/", "\u{0}\u{7}"] {
            assert_eq!(clean_file_name(nothing), None, "{nothing:?}");
        }
        let long = format!("{}.pdf", "a".repeat(300));
        assert_eq!(
            clean_file_name(&long).unwrap().chars().count(),
            MAX_FILE_NAME_CHARS
        );
        assert_eq!(
            fallback_file_name(EvidenceKind::Receipt, MediaType::Jpeg),
            "Receipt.jpg"
        );
        assert_eq!(
            fallback_file_name(EvidenceKind::Other, MediaType::Pdf),
            "Evidence.pdf"
        );
    }

    #[test]
    fn refuses_what_is_not_evidence_with_a_reason() {
        assert!(
            message(check_file("big.jpg", &vec![0xFF; MAX_EVIDENCE_BYTES + 1]))
                .contains("the most Careledger keeps is 20 MB")
        );
        assert!(message(check_file(
            "fake.pdf",
            b"Just some text pretending to be a PDF"
        ))
        .contains("is not a photo (PNG or JPEG) or a PDF"));
        assert!(message(check_file(
            "setup.jpg",
            b"MZ\x90\x00\x03\x00\x00\x00 a Windows program"
        ))
        .contains("is not a photo"));
        assert!(message(check_file(
            "tool.jpg",
            b"\x7fELF\x02\x01\x01 a Linux program"
        ))
        .contains("is not a photo"));
        assert!(message(check_file("cut.pdf", b"%PDF-1.4\n1 0 obj << >>"))
            .contains("damaged or cut short"));
        let mut broken = tiny_png();
        broken.truncate(20);
        assert!(message(check_file("broken.png", &broken)).contains("could not be read"));
        assert!(message(check_file("empty.png", &[])).contains("is empty"));
    }
}
