//! No panic on any input: byte mutations of the QR fixture images
//! (../shared/fixtures/qr, read at test time; skipped when absent) go through
//! the whole scan (format sniffing, bounded decoding, every QR step, parsing).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use proptest::prelude::*;
use tessera::import::{self, Options, Report};

fn scan_bytes(bytes: &[u8], name: Option<&str>) -> Report {
    import::read(bytes, &Options::links_only(name)).unwrap_or_default()
}

fn fixtures() -> Option<Vec<(String, Vec<u8>)>> {
    let dir = common::qr_fixtures()?;
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "png" || x == "jpg"))
        .filter_map(|p| {
            let name = p.file_name()?.to_str()?.to_string();
            Some((name, std::fs::read(&p).ok()?))
        })
        // Large screenshots make each case slow in a debug build.
        .filter(|(_, bytes)| bytes.len() < 40_000)
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no images in {}", dir.display());
    Some(files)
}

#[derive(Debug, Clone)]
enum Mutation {
    /// Overwrite the byte at this fraction of the file.
    Set(f64, u8),
    /// Flip one bit.
    Flip(f64, u8),
    /// Cut the file at this fraction.
    Truncate(f64),
    /// Insert bytes.
    Insert(f64, Vec<u8>),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        4 => (0.0..1.0, any::<u8>()).prop_map(|(at, b)| Mutation::Set(at, b)),
        4 => (0.0..1.0, 0u8..8).prop_map(|(at, bit)| Mutation::Flip(at, bit)),
        1 => (0.0..1.0).prop_map(Mutation::Truncate),
        1 => (0.0..1.0, prop::collection::vec(any::<u8>(), 1..16))
            .prop_map(|(at, b)| Mutation::Insert(at, b)),
    ]
}

fn apply(bytes: &mut Vec<u8>, m: &Mutation) {
    let at = |f: f64| ((bytes.len() as f64 * f) as usize).min(bytes.len().saturating_sub(1));
    match m {
        Mutation::Set(f, b) if !bytes.is_empty() => {
            let i = at(*f);
            bytes[i] = *b;
        }
        Mutation::Flip(f, bit) if !bytes.is_empty() => {
            let i = at(*f);
            bytes[i] ^= 1 << bit;
        }
        Mutation::Truncate(f) => bytes.truncate(at(*f)),
        Mutation::Insert(f, b) => {
            let i = at(*f);
            bytes.splice(i..i, b.iter().copied());
        }
        _ => {}
    }
}

proptest! {
    // PROPTEST_CASES=5000 for a longer hunt.
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(256),
        ..ProptestConfig::default()
    })]

    #[test]
    fn mutated_fixture_images_never_panic(
        pick in any::<prop::sample::Index>(),
        mutations in prop::collection::vec(mutation(), 1..8),
    ) {
        let Some(files) = fixtures() else {
            return Ok(());
        };
        let (name, original) = &files[pick.index(files.len())];
        let mut bytes = original.clone();
        for m in &mutations {
            apply(&mut bytes, m);
        }
        let out = scan_bytes(&bytes, Some(name));
        // Something is always said: accounts or a reason.
        prop_assert!(!out.accounts.is_empty() || !out.errors.is_empty());
    }
}

/// The pipeline reads every valid fixture image exactly, and refuses the
/// invalid ones with their error code.
#[test]
fn fixture_images_decode_exactly() {
    let Some(dir) = common::qr_fixtures() else {
        return;
    };
    let manifest = std::fs::read(dir.join("manifest.json")).unwrap();
    let cases: serde_json::Value = serde_json::from_slice(&manifest).unwrap();
    let mut failures = Vec::new();
    for case in cases.as_array().unwrap() {
        let file = case["file"].as_str().unwrap();
        let bytes = std::fs::read(dir.join(file)).unwrap();
        let want: Vec<&str> = case["payloads"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p.as_str().unwrap())
            .collect();
        match tessera::import::qr::decode_bytes(&bytes) {
            Ok(got) if got == want => {}
            Err(e) if want.is_empty() && case["error_code"] == e.code().as_str() => {}
            other => failures.push(format!("{file}: {other:?}")),
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Damaged pixels (rectangles of any grey) reach every decoding step.
    #[test]
    fn damaged_pixels_never_panic(
        pick in any::<prop::sample::Index>(),
        rects in prop::collection::vec((0.0..1.0f64, 0.0..1.0f64, 0.0..0.5f64, 0.0..0.5f64, any::<u8>()), 1..12),
    ) {
        let Some(files) = fixtures() else {
            return Ok(());
        };
        let (_, bytes) = &files[pick.index(files.len())];
        let Ok(image) = tessera::import::image::load_image(bytes) else {
            return Ok(());
        };
        let mut luma = tessera::import::image::to_luma(&image);
        let (w, h) = (f64::from(luma.width()), f64::from(luma.height()));
        for (x, y, rw, rh, grey) in rects {
            for py in (y * h) as u32..((y + rh) * h).min(h) as u32 {
                for px in (x * w) as u32..((x + rw) * w).min(w) as u32 {
                    luma.put_pixel(px, py, image::Luma([grey]));
                }
            }
        }
        let _ = tessera::import::qr::decode_luma(&luma);
    }
}

#[test]
fn degenerate_sizes_decode_to_nothing() {
    for (w, h) in [(1, 1), (1, 900), (900, 1), (2, 2), (3, 5000)] {
        for grey in [0, 255] {
            let luma = image::GrayImage::from_pixel(w, h, image::Luma([grey]));
            assert!(
                tessera::import::qr::decode_luma(&luma).is_empty(),
                "{w}x{h}"
            );
        }
    }
}
