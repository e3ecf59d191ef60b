//! What Careledger says about itself: its version, the licence it is
//! shared under and where to report a problem, in the window's footer
//! (through `AppInfo`) and from `careledger --version`.

use std::path::Path;

/// The app's version, as its packages are numbered.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The licence, in words: Cargo.toml's `license` (a test checks they agree).
pub const LICENCE: &str = "GNU Affero General Public License, version 3 or later";

/// Where to report a problem: the issues of the repository Cargo.toml names.
pub const REPORT_A_PROBLEM: &str = concat!(env!("CARGO_PKG_REPOSITORY"), "/issues");

/// What `careledger --version` prints: the version, the data folder the
/// window would open, the licence and where to report a problem.
pub fn version_text(data_dir: &Path) -> String {
    format!(
        "Careledger {VERSION}\n\
         Data folder: {}\n\
         Licence: {LICENCE}. Careledger is free software: you may share and change it under that licence.\n\
         Report a problem: {REPORT_A_PROBLEM}",
        data_dir.display()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_licence_in_words_is_the_one_cargo_toml_names() {
        assert_eq!(
            env!("CARGO_PKG_LICENSE"),
            "AGPL-3.0-or-later",
            "LICENCE names the licence in words: change it with Cargo.toml's"
        );
    }

    #[test]
    fn the_version_text_says_all_four() {
        let text = version_text(Path::new("/media/usb/careledger"));
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(
            lines[0],
            format!("Careledger {}", env!("CARGO_PKG_VERSION"))
        );
        assert_eq!(lines[1], "Data folder: /media/usb/careledger");
        assert!(lines[2].starts_with("Licence: GNU Affero General Public License"));
        assert!(
            lines[3].starts_with("Report a problem: https://"),
            "{}",
            lines[3]
        );
        assert!(lines[3].ends_with("/issues"));
    }
}
