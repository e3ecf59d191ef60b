//! A made-up phone photo for the timings: a 4000 × 3000 (12-megapixel)
//! JPEG of a receipt-like scene, lit unevenly, with sensor noise, so it
//! compresses about as a real photo does (a few megabytes).

use std::io::Cursor;

/// A `width` × `height` photo as a JPEG at a phone's usual quality. `seed`
/// varies the noise, so photos made with different seeds are different
/// files.
pub fn phone_photo(width: u32, height: u32, seed: u32) -> Vec<u8> {
    let mut state = seed.wrapping_mul(2_654_435_761).wrapping_add(1);
    let photo = image::RgbImage::from_fn(width, height, |x, y| {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        let noise = (state % 24) as i32 - 12;
        // A sheet of paper in the middle, with "lines of print" on it.
        let on_paper = x > width / 4 && x < width * 3 / 4 && y > height / 10 && y < height * 9 / 10;
        let print = on_paper && (y / 40) % 2 == 0 && (x / 13 + y / 40) % 7 != 0 && y % 40 < 22;
        let light = 160 + (80 * x / width.max(1)) as i32 - (40 * y / height.max(1)) as i32;
        let base = match (on_paper, print) {
            (true, true) => [40, 40, 45],
            (true, false) => [light + 20, light + 18, light + 10],
            _ => [light / 2, light / 3 + 20, light / 4 + 30],
        };
        image::Rgb(base.map(|channel| (channel + noise).clamp(0, 255) as u8))
    });
    let mut jpeg = Cursor::new(Vec::new());
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 90)
        .encode_image(&photo)
        .expect("encode the photo");
    jpeg.into_inner()
}
