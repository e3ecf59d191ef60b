//! Evidence files: receipts, invoices, timesheets and payslips.
//!
//! A file is trusted only by its contents: its first bytes must be those of
//! a PNG, a JPEG or a PDF, and a photo must be of a sensible size and
//! decode. Identical files are stored once, keyed by their SHA-256. Photos
//! get a small PNG thumbnail. [`check_evidence`] does all of this without
//! the store, so the slow part happens before the store is locked.

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

/// An evidence file checked by its contents and ready to keep: the file
/// itself, what it is, its SHA-256 and, for a photo, its thumbnail. Only
/// [`check_evidence`] makes one, so the store can only be handed a file
/// that has been checked. Checking is the slow part (a phone photo is
/// decoded), so it is done before the store is touched, and the store
/// only writes what it is given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedEvidence {
    file_name: Option<String>,
    bytes: Vec<u8>,
    sha256: String,
    media_type: MediaType,
    thumbnail: Option<Vec<u8>>,
    printable: Option<PrintablePhoto>,
}

impl CheckedEvidence {
    /// The name it is kept under: its own name
    /// [cleaned](clean_file_name), or, when nothing of that was left, a
    /// [name from what it is](fallback_file_name).
    pub fn file_name(&self, kind: EvidenceKind) -> String {
        self.file_name
            .clone()
            .unwrap_or_else(|| fallback_file_name(kind, self.media_type))
    }

    /// The file's contents, exactly as offered.
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// Its contents' SHA-256, in lower-case hex: the key it is stored by.
    pub fn sha256(&self) -> &str {
        &self.sha256
    }

    /// What it is.
    pub fn media_type(&self) -> MediaType {
        self.media_type
    }

    /// A PNG thumbnail, for photos.
    /// A photo made ready to print ([`printable_photo`] at
    /// [`PRINT_PIXELS`]), from the same decoding as its thumbnail, so it is
    /// scaled once, when it is added.
    pub fn printable(&self) -> Option<&PrintablePhoto> {
        self.printable.as_ref()
    }

    pub fn thumbnail(&self) -> Option<&[u8]> {
        self.thumbnail.as_deref()
    }
}

/// Checks a file offered as evidence, by its contents: not empty, at most
/// 20 MB, a PNG, a JPEG or a whole PDF, and a photo no larger than
/// [`MAX_PHOTO_PIXELS`] that decodes. `file_name` is the name the person's
/// computer gave it, for messages and to keep. A pure function, with no
/// store: call it before taking the store's lock.
pub fn check_evidence(file_name: &str, bytes: impl Into<Vec<u8>>) -> Result<CheckedEvidence> {
    let bytes = bytes.into();
    let file_name = clean_file_name(file_name);
    let named = file_name.as_deref().unwrap_or("The file");
    if bytes.is_empty() {
        return Err(Error::invalid(
            "evidence",
            format!("{named} is empty. Choose the file again."),
        ));
    }
    if bytes.len() > MAX_EVIDENCE_BYTES {
        return Err(Error::invalid(
            "evidence",
            format!(
                "{named} is {:.1} MB; the most Careledger keeps is 20 MB. Save a smaller copy (a photo at a lower size, or a PDF of just the pages needed) and add that.",
                bytes.len() as f64 / (1024.0 * 1024.0)
            ),
        ));
    }
    let media_type = sniff(&bytes).ok_or_else(|| {
        Error::invalid(
            "evidence",
            format!(
                "{named} is not a photo (PNG or JPEG) or a PDF, whatever its name says, so it was not added. Scan or photograph the receipt, or save it as a PDF."
            ),
        )
    })?;
    let (thumbnail, printable) = match media_type {
        MediaType::Pdf => {
            if !looks_like_whole_pdf(&bytes) {
                return Err(Error::invalid(
                    "evidence",
                    format!("{named} starts like a PDF but is damaged or cut short. Save or download it again."),
                ));
            }
            (None, None)
        }
        MediaType::Png | MediaType::Jpeg => {
            let photo = decode_photo(&bytes, MAX_DECODE_BYTES)
                .map_err(|problem| Error::invalid("evidence", problem.message(named)))?;
            let thumbnail = thumbnail(&photo)
                .map_err(|problem| Error::invalid("evidence", problem.message(named)))?;
            (Some(thumbnail), print_ready(photo, PRINT_PIXELS))
        }
    };
    Ok(CheckedEvidence {
        sha256: sha256_hex(&bytes),
        file_name,
        bytes,
        media_type,
        thumbnail,
        printable,
    })
}

/// The file's type from its first bytes, if it is one Careledger accepts.
pub fn sniff(bytes: &[u8]) -> Option<MediaType> {
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

/// The most pixels a photo may have: 50 megapixels. Every phone takes
/// smaller photos than this by default, and even a 48-megapixel one fits;
/// a bigger picture would take seconds to check and hundreds of megabytes
/// to decode, and prints no better than a small one.
pub const MAX_PHOTO_PIXELS: u64 = 50_000_000;

/// The most memory decoding one photo may take: enough for
/// [`MAX_PHOTO_PIXELS`] at the most bytes a pixel can have (a 16-bit PNG
/// with transparency, 8), so a crafted file cannot ask for gigabytes.
const MAX_DECODE_BYTES: u64 = 400 * 1024 * 1024;
const _: () = assert!(MAX_PHOTO_PIXELS * 8 <= MAX_DECODE_BYTES);

/// Why a photo could not be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PhotoProblem {
    /// More than [`MAX_PHOTO_PIXELS`], as its header says.
    TooLarge { width: u32, height: u32 },
    /// It does not decode: damaged, cut short, or lying about its size.
    Unreadable,
}

impl PhotoProblem {
    fn message(self, file_name: &str) -> String {
        match self {
            PhotoProblem::TooLarge { width, height } => format!(
                "{file_name} is too large to keep ({} × {} pixels; the most Careledger keeps is {} megapixels). Take it again at a lower size, or save it as a smaller JPEG.",
                thousands(width),
                thousands(height),
                MAX_PHOTO_PIXELS / 1_000_000
            ),
            PhotoProblem::Unreadable => format!(
                "{file_name} looks like a photo but could not be read; it may be damaged. Take or save the photo again."
            ),
        }
    }
}

/// A count written the en-GB way, with commas between the thousands.
fn thousands(number: u32) -> String {
    let digits = number.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

/// A photo decoded and turned upright (phones store the camera's rotation
/// separately). Its size is read from its header first, and a picture over
/// [`MAX_PHOTO_PIXELS`] is refused before any of it is decoded; decoding
/// may then take at most `max_alloc` bytes.
fn decode_photo(
    bytes: &[u8],
    max_alloc: u64,
) -> std::result::Result<image::DynamicImage, PhotoProblem> {
    use image::ImageDecoder;
    fn unreadable<E>(_: E) -> PhotoProblem {
        PhotoProblem::Unreadable
    }
    let mut limits = image::Limits::default();
    limits.max_alloc = Some(max_alloc);
    let mut reader = image::ImageReader::new(std::io::Cursor::new(bytes))
        .with_guessed_format()
        .map_err(unreadable)?;
    reader.limits(limits.clone());
    // Reads the header only.
    let mut decoder = reader.into_decoder().map_err(unreadable)?;
    let (width, height) = decoder.dimensions();
    if u64::from(width) * u64::from(height) > MAX_PHOTO_PIXELS {
        return Err(PhotoProblem::TooLarge { width, height });
    }
    // `from_decoder` allocates the whole picture without asking the limits.
    limits.reserve(decoder.total_bytes()).map_err(unreadable)?;
    let orientation = decoder.orientation().ok();
    let mut image = image::DynamicImage::from_decoder(decoder).map_err(unreadable)?;
    if let Some(orientation) = orientation {
        image.apply_orientation(orientation);
    }
    Ok(image)
}

/// A PNG thumbnail of a photo.
fn thumbnail(photo: &image::DynamicImage) -> std::result::Result<Vec<u8>, PhotoProblem> {
    let small = photo.thumbnail(THUMBNAIL_SIZE, THUMBNAIL_SIZE);
    let mut out = std::io::Cursor::new(Vec::new());
    small
        .write_to(&mut out, image::ImageFormat::Png)
        .map_err(|_| PhotoProblem::Unreadable)?;
    Ok(out.into_inner())
}

/// A receipt photo is printed at most this many pixels on its longer side:
/// about 180 dots an inch across A4, plenty to read a till receipt.
pub const PRINT_PIXELS: u32 = 1_400;

/// A photo made ready to print: upright, no more than `max_side` pixels
/// on its longer side (enough to read a receipt on A4), as a JPEG so a
/// statement with many receipts stays a sensible size. `None` if it does
/// not decode. A JPEG already upright and no bigger is passed through as it
/// is, without decoding: a photo made ready when it was added prints at
/// once.
pub fn printable_photo(bytes: &[u8], max_side: u32) -> Option<PrintablePhoto> {
    if let Some((width, height)) = ready_jpeg_size(bytes, max_side) {
        return Some(PrintablePhoto {
            jpeg: bytes.to_vec(),
            width,
            height,
        });
    }
    print_ready(decode_photo(bytes, MAX_DECODE_BYTES).ok()?, max_side)
}

/// The size of a JPEG that needs no turning and fits `max_side`, read from
/// its header alone; `None` for anything else.
fn ready_jpeg_size(bytes: &[u8], max_side: u32) -> Option<(u32, u32)> {
    use image::ImageDecoder;
    if sniff(bytes) != Some(MediaType::Jpeg) {
        return None;
    }
    let mut decoder = image::codecs::jpeg::JpegDecoder::new(std::io::Cursor::new(bytes)).ok()?;
    let (width, height) = decoder.dimensions();
    let upright = matches!(
        decoder.orientation(),
        Ok(image::metadata::Orientation::NoTransforms)
    );
    // Only the colour a PDF's DCT filter shows as it is.
    let plain_colour = matches!(
        decoder.color_type(),
        image::ColorType::Rgb8 | image::ColorType::L8
    );
    (upright && plain_colour && width.max(height) <= max_side && width > 0 && height > 0)
        .then_some((width, height))
}

/// A decoded photo scaled to print.
fn print_ready(photo: image::DynamicImage, max_side: u32) -> Option<PrintablePhoto> {
    let longer = photo.width().max(photo.height());
    let photo = if longer >= 2 * max_side {
        // Averaging each block of pixels: as sharp as a filter when the
        // photo shrinks to half or less (a phone photo to a third), and
        // twice as quick, which tells over hundreds of receipts.
        photo.thumbnail(max_side, max_side)
    } else if longer > max_side {
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
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrintablePhoto {
    pub jpeg: Vec<u8>,
    pub width: u32,
    pub height: u32,
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

#[cfg(test)]
pub mod tests {
    use super::*;

    /// A real 2×2 PNG made by the `image` crate.
    pub fn tiny_png() -> Vec<u8> {
        let image = image::RgbImage::from_pixel(2, 2, image::Rgb([200, 30, 30]));
        let mut out = std::io::Cursor::new(Vec::new());
        image::DynamicImage::ImageRgb8(image)
            .write_to(&mut out, image::ImageFormat::Png)
            .unwrap();
        out.into_inner()
    }

    pub fn tiny_pdf() -> Vec<u8> {
        b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
            .to_vec()
    }

    fn message(result: Result<CheckedEvidence>) -> String {
        result.expect_err("refused").to_string()
    }

    /// A real JPEG of `width` × `height` pixels, of one colour.
    fn jpeg(width: u32, height: u32) -> Vec<u8> {
        let image = image::RgbImage::from_pixel(width, height, image::Rgb([240, 240, 230]));
        let mut out = std::io::Cursor::new(Vec::new());
        image::DynamicImage::ImageRgb8(image)
            .write_to(&mut out, image::ImageFormat::Jpeg)
            .unwrap();
        out.into_inner()
    }

    /// A small real JPEG whose header says it is `width` × `height`.
    fn jpeg_claiming(width: u16, height: u16) -> Vec<u8> {
        let mut jpeg = jpeg(16, 16);
        // The frame header: FF C0, its length (2 bytes), the precision
        // (1 byte), then the height and the width.
        let frame = jpeg
            .windows(2)
            .position(|pair| pair == [0xFF, 0xC0])
            .expect("a baseline frame header");
        jpeg[frame + 5..frame + 7].copy_from_slice(&height.to_be_bytes());
        jpeg[frame + 7..frame + 9].copy_from_slice(&width.to_be_bytes());
        jpeg
    }

    /// A small real PNG whose header says it is `width` × `height`, with
    /// the header's checksum made right again.
    fn png_claiming(width: u32, height: u32) -> Vec<u8> {
        let mut png = tiny_png();
        png[16..20].copy_from_slice(&width.to_be_bytes());
        png[20..24].copy_from_slice(&height.to_be_bytes());
        let crc = crc32(&png[12..29]);
        png[29..33].copy_from_slice(&crc.to_be_bytes());
        png
    }

    /// PNG's CRC-32, bit by bit.
    fn crc32(bytes: &[u8]) -> u32 {
        let mut crc = !0u32;
        for &byte in bytes {
            crc ^= u32::from(byte);
            for _ in 0..8 {
                crc = if crc & 1 == 1 {
                    (crc >> 1) ^ 0xEDB8_8320
                } else {
                    crc >> 1
                };
            }
        }
        !crc
    }

    #[test]
    fn accepts_photos_and_pdfs_by_their_contents() {
        let png = check_evidence("receipt.png", tiny_png()).unwrap();
        assert_eq!(png.media_type(), MediaType::Png);
        assert!(png.thumbnail().unwrap().starts_with(b"\x89PNG"));
        assert_eq!(png.bytes(), tiny_png());
        assert_eq!(png.file_name(EvidenceKind::Receipt), "receipt.png");
        let pdf = check_evidence("invoice.pdf", tiny_pdf()).unwrap();
        assert_eq!((pdf.media_type(), pdf.thumbnail()), (MediaType::Pdf, None));
        assert_eq!(pdf.sha256().len(), 64);
        assert_eq!(
            pdf.sha256(),
            check_evidence("copy.pdf", tiny_pdf()).unwrap().sha256(),
            "same file, same key"
        );
        let unnamed = check_evidence("\u{200B}", tiny_pdf()).unwrap();
        assert_eq!(unnamed.file_name(EvidenceKind::Invoice), "Invoice.pdf");
    }

    #[test]
    fn a_phone_photo_passes_with_a_thumbnail() {
        // 4000 × 3000 is a 12-megapixel phone photo.
        let photo = check_evidence("IMG_2041.jpg", jpeg(4000, 3000)).unwrap();
        assert_eq!(photo.media_type(), MediaType::Jpeg);
        let thumbnail = image::load_from_memory(photo.thumbnail().unwrap()).unwrap();
        assert_eq!((thumbnail.width(), thumbnail.height()), (320, 240));
    }

    #[test]
    fn a_picture_too_large_is_refused_from_its_header_before_decoding() {
        // Headers alone, with a few hundred bytes behind them: a decoder
        // would find nothing to decode, so "too large" can only have come
        // from the header.
        assert!(message(check_evidence("scan.jpg", jpeg_claiming(10_000, 10_000))).starts_with(
            "scan.jpg is too large to keep (10,000 × 10,000 pixels; the most Careledger keeps is 50 megapixels). \
             Take it again at a lower size, or save it as a smaller JPEG."
        ));
        assert!(
            message(check_evidence("huge.png", png_claiming(100_000, 100_000)))
                .contains("(100,000 × 100,000 pixels")
        );
        assert!(
            message(check_evidence("strip.png", png_claiming(50_000_001, 1)))
                .contains("(50,000,001 × 1 pixels")
        );
    }

    #[test]
    fn phone_sizes_are_within_the_pixel_limit() {
        // 12 and 48 megapixels (a 48-megapixel camera's full size), either
        // way up, and just under 50 get past the header check: these
        // headers have no picture behind them, so they fail only after it.
        for (width, height) in [(4000, 3000), (8000, 6000), (6000, 8000), (7071, 7071)] {
            assert_eq!(
                decode_photo(&png_claiming(width, height), MAX_DECODE_BYTES).unwrap_err(),
                PhotoProblem::Unreadable,
                "{width} × {height}"
            );
        }
        assert_eq!(
            decode_photo(&png_claiming(7072, 7071), MAX_DECODE_BYTES).unwrap_err(),
            PhotoProblem::TooLarge {
                width: 7072,
                height: 7071
            },
            "50,006,112 pixels: over the limit"
        );
    }

    #[test]
    fn decoding_keeps_to_its_memory_limit() {
        let photo = jpeg(100, 100);
        assert!(decode_photo(&photo, MAX_DECODE_BYTES).is_ok());
        // 100 × 100 RGB is 30,000 bytes.
        assert_eq!(
            decode_photo(&photo, 20_000).unwrap_err(),
            PhotoProblem::Unreadable
        );
    }

    #[test]
    fn counts_are_written_with_commas() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1_000), "1,000");
        assert_eq!(thousands(10_000), "10,000");
        assert_eq!(thousands(123_456_789), "123,456,789");
        assert_eq!(thousands(u32::MAX), "4,294,967,295");
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
        assert!(message(check_evidence(
            "big.jpg",
            vec![0xFF; MAX_EVIDENCE_BYTES + 1]
        ))
        .contains("the most Careledger keeps is 20 MB"));
        assert!(message(check_evidence(
            "fake.pdf",
            b"Just some text pretending to be a PDF"
        ))
        .contains("is not a photo (PNG or JPEG) or a PDF"));
        assert!(message(check_evidence(
            "setup.jpg",
            b"MZ\x90\x00\x03\x00\x00\x00 a Windows program"
        ))
        .contains("is not a photo"));
        assert!(message(check_evidence(
            "tool.jpg",
            b"\x7fELF\x02\x01\x01 a Linux program"
        ))
        .contains("is not a photo"));
        assert!(
            message(check_evidence("cut.pdf", &b"%PDF-1.4\n1 0 obj << >>"[..]))
                .contains("damaged or cut short")
        );
        let mut broken = tiny_png();
        broken.truncate(20);
        assert!(message(check_evidence("broken.png", broken)).contains("could not be read"));
        assert!(message(check_evidence("empty.png", Vec::new())).contains("is empty"));
    }

    #[test]
    fn a_photo_is_made_ready_to_print_once_when_it_is_added() {
        let big = check_evidence("receipt.jpg", jpeg(3_000, 2_000)).unwrap();
        let ready = big.printable().expect("a photo has a print-ready copy");
        assert_eq!((ready.width, ready.height), (PRINT_PIXELS, 933));
        // The print-ready copy prints as it is: no decoding, same bytes.
        let again = printable_photo(&ready.jpeg, PRINT_PIXELS).unwrap();
        assert_eq!(again, *ready);
        // A small upright JPEG is already ready; a PNG or a big JPEG is not.
        let small = jpeg(800, 600);
        assert_eq!(printable_photo(&small, PRINT_PIXELS).unwrap().jpeg, small);
        assert_ne!(
            printable_photo(&tiny_png(), PRINT_PIXELS).unwrap().jpeg,
            tiny_png()
        );
        assert!(check_evidence("invoice.pdf", tiny_pdf())
            .unwrap()
            .printable()
            .is_none());
    }
}
