//! The file's bytes as text.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// How the file's text was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum TextEncoding {
    /// UTF-8, with or without the byte-order mark Excel adds.
    Utf8,
    /// Windows-1252, which older bank exports use (£ is the byte 0xA3).
    Windows1252,
}

/// The bytes as text: UTF-8 when they are (a byte-order mark dropped),
/// otherwise Windows-1252, which every byte sequence decodes as.
pub fn decode(bytes: &[u8]) -> (String, TextEncoding) {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => (text.to_owned(), TextEncoding::Utf8),
        Err(_) => {
            let (text, _, _) = encoding_rs::WINDOWS_1252.decode(bytes);
            (text.into_owned(), TextEncoding::Windows1252)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_1252_pound_signs_and_a_utf8_bom_both_read_as_text() {
        assert_eq!(
            decode(b"\xA312.34"),
            ("£12.34".to_owned(), TextEncoding::Windows1252)
        );
        assert_eq!(
            decode("\u{feff}£12.34".as_bytes()),
            ("£12.34".to_owned(), TextEncoding::Utf8)
        );
    }
}
