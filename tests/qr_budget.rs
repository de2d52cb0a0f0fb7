//! The QR pipeline's budget: a decode never pays more than its budget,
//! stops early when it runs out and keeps what it found until then.
//! Deterministic (work is counted, never timed).

#![allow(clippy::expect_used)]

use image::{GrayImage, Luma};
use qrcode::QrCode;
use tessera::import::qr::{Budget, Decoded, decode_with};

const LINK: &str = "otpauth://totp/Example:alice?secret=JBSWY3DPEHPK3PXP&issuer=Example";
const OTHER: &str = "otpauth://totp/Other:bob?secret=KRSXG5CTMVRXEZLU&issuer=Other";

/// A QR code of `text`, `module` pixels a module, with a 4-module margin.
fn symbol(text: &str, module: u32) -> GrayImage {
    let code = QrCode::new(text.as_bytes()).expect("encodable");
    let n = code.width() as u32;
    let colors = code.to_colors();
    let side = (n + 8) * module;
    GrayImage::from_fn(side, side, |x, y| {
        let (mx, my) = ((x / module) as i64 - 4, (y / module) as i64 - 4);
        let dark = mx >= 0
            && my >= 0
            && (mx as u32) < n
            && (my as u32) < n
            && colors[my as usize * n as usize + mx as usize] == qrcode::Color::Dark;
        Luma([if dark { 0 } else { 255 }])
    })
}

/// Two codes side by side.
fn two_symbols() -> GrayImage {
    let (a, b) = (symbol(LINK, 4), symbol(OTHER, 4));
    let mut out = GrayImage::from_pixel(
        a.width() + b.width(),
        a.height().max(b.height()),
        Luma([255]),
    );
    image::imageops::replace(&mut out, &a, 0, 0);
    image::imageops::replace(&mut out, &b, i64::from(a.width()), 0);
    out
}

/// A grid of QR finder patterns (7x7 modules, one light module apart):
/// thousands of sets of three to sample, none a code.
fn finder_grid(side: u32, module: u32) -> GrayImage {
    let period = 8 * module;
    GrayImage::from_fn(side, side, |x, y| {
        let (mx, my) = ((x % period) / module, (y % period) / module);
        let ring = mx
            .min(my)
            .min(6u32.saturating_sub(mx))
            .min(6u32.saturating_sub(my));
        let dark = mx <= 6 && my <= 6 && ring != 1;
        Luma([if dark { 0 } else { 255 }])
    })
}

#[test]
fn the_default_budget_reads_clean_codes_without_running_out() {
    let decoded = decode_with(&two_symbols(), &Budget::default());
    assert_eq!(decoded.payloads, [LINK, OTHER]);
    assert!(!decoded.ran_out);
    assert!(decoded.spent <= Budget::DEFAULT_WORK);
}

#[test]
fn no_budget_runs_nothing() {
    let decoded = decode_with(&two_symbols(), &Budget::with_work(0));
    assert_eq!(
        decoded,
        Decoded {
            ran_out: true,
            ..Decoded::default()
        }
    );
}

#[test]
fn a_smaller_budget_stops_early_and_keeps_what_it_found() {
    let image = two_symbols();
    let full = decode_with(&image, &Budget::default());
    let mut partial_finds = 0;
    for i in 0..40 {
        let work = full.spent * i / 40;
        let decoded = decode_with(&image, &Budget::with_work(work));
        assert!(decoded.ran_out, "budget {work} of {}", full.spent);
        assert!(decoded.spent <= work);
        assert!(decoded.payloads.iter().all(|p| full.payloads.contains(p)));
        if !decoded.payloads.is_empty() {
            partial_finds += 1;
        }
    }
    // The budget ran out in the middle of the step that reads the codes,
    // and what that step had read is reported.
    assert!(partial_finds > 0);
    let exact = decode_with(&image, &Budget::with_work(full.spent));
    assert_eq!(exact.payloads, full.payloads);
}

#[test]
fn a_grid_of_finder_patterns_ends_within_the_budget() {
    // 100x100 patterns: far more sets of three than the budget samples.
    let grid = finder_grid(800, 1);
    let budget = Budget::with_work(Budget::DEFAULT_WORK / 10);
    let decoded = decode_with(&grid, &budget);
    assert!(decoded.payloads.is_empty());
    assert!(decoded.ran_out);
    assert!(decoded.spent <= budget.work);
}

#[test]
fn a_cancelled_decode_stops() {
    use std::sync::Arc;
    use std::sync::atomic::AtomicBool;
    let budget = Budget {
        cancel: Some(Arc::new(AtomicBool::new(true))),
        ..Budget::default()
    };
    let decoded = decode_with(&two_symbols(), &budget);
    assert!(decoded.payloads.is_empty());
    assert!(decoded.ran_out);
}

#[test]
fn finder_patterns_beyond_the_cap_are_dropped_before_the_sets() {
    // With at most 2 patterns per pass no set of three exists: nothing is
    // sampled, so a clean code is not read (and the work is tiny).
    let image = symbol(LINK, 4);
    let budget = Budget {
        max_finders: 2,
        ..Budget::default()
    };
    let decoded = decode_with(&image, &budget);
    assert!(decoded.payloads.is_empty());
    assert!(!decoded.ran_out);
    let budget = Budget {
        max_finders: 3,
        ..Budget::default()
    };
    assert_eq!(decode_with(&image, &budget).payloads, [LINK]);
}
