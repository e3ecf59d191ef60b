//! How long checking a 12-megapixel phone photo takes as evidence, in the
//! profile it is built with. `cargo run -p careledger-core --example
//! check_photo` builds it as `cargo xtask run` builds the app (debug), so
//! it shows how long a person waits when they attach a photo there.
//! Prints a figure; it passes or fails nothing.

use std::time::Instant;

fn main() {
    let began = Instant::now();
    let photo = careledger_core::generate::phone_photo(4000, 3000, 1);
    println!(
        "make a 4000 × 3000 JPEG ({:.1} MB): {:.2} s",
        photo.len() as f64 / (1024.0 * 1024.0),
        began.elapsed().as_secs_f64()
    );
    for round in 1..=3 {
        let began = Instant::now();
        let checked = careledger_core::evidence::check_evidence("IMG_2041.jpg", photo.as_slice())
            .expect("a photo");
        println!(
            "check it as evidence (round {round}): {:.2} s (thumbnail {} KB)",
            began.elapsed().as_secs_f64(),
            checked.thumbnail().map_or(0, |t| t.len() / 1024)
        );
    }
}
