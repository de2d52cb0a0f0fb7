//! The decoding pipeline: every distinct QR payload in a grey image.
//!
//! Steps run cheapest first and stop at the first one that finds a code;
//! `scripts/bench-qr --steps` shows what each one buys. The whole image is
//! always searched, so several codes side by side are found together.

use std::collections::HashSet;

use crate::import::image::guarded;
use image::{GrayImage, imageops};
use rxing::common::{GlobalHistogramBinarizer, HybridBinarizer};
use rxing::multi::MultipleBarcodeReader;
use rxing::qrcode::cpp_port::QrReader;
use rxing::{BarcodeFormat, Binarizer, BinaryBitmap, DecodeHints, Luma8Source};

/// One way of looking at an image, in the order they are tried.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// rxing (ZXing's finder) with a global and a local threshold, on the
    /// image and on its negative (light modules on dark: dark mode).
    Rxing,
    /// Grey levels stretched to the full range when the image uses few.
    Contrast,
    /// Blurred, for noise and dithering.
    Denoised,
    /// Half size for large images (over 1600 px a side), double size for
    /// small ones (under 800 px).
    Rescaled,
}

impl Step {
    /// Every step, in the order they run.
    pub const ALL: [Step; 4] = [Step::Rxing, Step::Contrast, Step::Denoised, Step::Rescaled];

    /// A short lower-case name (for the benchmark).
    pub fn name(self) -> &'static str {
        match self {
            Step::Rxing => "rxing",
            Step::Contrast => "contrast",
            Step::Denoised => "denoised",
            Step::Rescaled => "rescaled",
        }
    }
}

/// Above this many pixels the blur works on a half-size copy.
const LARGE_PIXELS: u64 = 4096 * 2160;
/// Below this side an image is also tried at double size.
const SMALL_SIDE: u32 = 800;

/// Larger images are first shrunk to this many pixels (a 5K screen), which
/// bounds time and memory.
const MAX_PIXELS: u64 = 5120 * 2880;

/// Every distinct QR payload in `luma`, in reading order.
pub fn decode(luma: &GrayImage) -> Vec<String> {
    let (w, h) = luma.dimensions();
    let pixels = u64::from(w) * u64::from(h);
    if pixels > MAX_PIXELS {
        let f = (MAX_PIXELS as f64 / pixels as f64).sqrt();
        let side = |n: u32| ((f64::from(n) * f) as u32).max(1);
        return decode_steps(&imageops::thumbnail(luma, side(w), side(h)), &Step::ALL).0;
    }
    decode_steps(luma, &Step::ALL).0
}

/// Runs `steps` in order until one finds a payload; returns the payloads
/// and the step that found them.
pub fn decode_steps(luma: &GrayImage, steps: &[Step]) -> (Vec<String>, Option<Step>) {
    if luma.width() == 0 || luma.height() == 0 {
        return (Vec::new(), None);
    }
    let mut found = Found::default();
    for &step in steps {
        run(step, luma, &mut found);
        if !found.0.is_empty() {
            return (found.in_reading_order(), Some(step));
        }
    }
    (Vec::new(), None)
}

fn run(step: Step, luma: &GrayImage, found: &mut Found) {
    let (w, h) = luma.dimensions();
    match step {
        Step::Rxing => with_rxing(luma, 1.0, found),
        Step::Contrast => {
            if let Some(stretched) = stretch(luma) {
                with_rxing(&stretched, 1.0, found);
            }
        }
        Step::Denoised if u64::from(w) * u64::from(h) > LARGE_PIXELS => {
            with_rxing(&box_blur(&half(luma)), 0.5, found);
        }
        Step::Denoised => with_rxing(&box_blur(luma), 1.0, found),
        Step::Rescaled if w.max(h) > 2 * SMALL_SIDE => with_rxing(&half(luma), 0.5, found),
        Step::Rescaled if w.max(h) < SMALL_SIDE => with_rxing(&double(luma), 2.0, found),
        Step::Rescaled => {}
    }
}

/// Payloads with where their symbol is, in original pixels:
/// (text, left, top, height).
#[derive(Default)]
struct Found(Vec<(String, f32, f32, f32)>);

impl Found {
    fn add(&mut self, text: String, points: impl Iterator<Item = (f32, f32)>, scale: f32) {
        if self.0.iter().any(|(t, ..)| *t == text) {
            return;
        }
        let (mut x0, mut y0, mut y1) = (f32::MAX, f32::MAX, f32::MIN);
        for (x, y) in points {
            x0 = x0.min(x);
            y0 = y0.min(y);
            y1 = y1.max(y);
        }
        self.0
            .push((text, x0 / scale, y0 / scale, (y1 - y0).max(0.0) / scale));
    }

    /// Top to bottom in rows (symbols whose tops are within half a symbol
    /// of the row's first), left to right within a row.
    fn in_reading_order(mut self) -> Vec<String> {
        self.0.sort_by(|a, b| a.2.total_cmp(&b.2));
        let mut rows: Vec<Vec<(String, f32, f32, f32)>> = Vec::new();
        for item in self.0 {
            match rows.last_mut() {
                Some(row) if item.2 - row[0].2 <= row[0].3.max(item.3) / 2.0 => row.push(item),
                _ => rows.push(vec![item]),
            }
        }
        rows.into_iter()
            .flat_map(|mut row| {
                row.sort_by(|a, b| a.1.total_cmp(&b.1));
                row.into_iter().map(|(text, ..)| text)
            })
            .collect()
    }
}

/// rxing's multi-symbol QR reader with a global and a local threshold
/// (each reads some the other misses), each on the image and its negative.
fn with_rxing(luma: &GrayImage, scale: f32, found: &mut Found) {
    let hints = DecodeHints {
        TryHarder: Some(true),
        PossibleFormats: Some(HashSet::from([BarcodeFormat::QR_CODE])),
        ..DecodeHints::default()
    };
    let (w, h) = luma.dimensions();
    let source = || Luma8Source::new_with_slice(luma.as_raw(), w, h).ok();
    if let Some(src) = source() {
        read_both(
            BinaryBitmap::new(GlobalHistogramBinarizer::new(src)),
            &hints,
            scale,
            found,
        );
    }
    if let Some(src) = source() {
        read_both(
            BinaryBitmap::new(HybridBinarizer::new(src)),
            &hints,
            scale,
            found,
        );
    }
}

fn read_both<B: Binarizer>(
    mut bitmap: BinaryBitmap<B>,
    hints: &DecodeHints,
    scale: f32,
    found: &mut Found,
) {
    for pass in 0..2 {
        let results = guarded(|| {
            if pass == 1 {
                bitmap.invert();
            }
            QrReader.decode_multiple_with_hints(&mut bitmap, hints)
        });
        for r in results.into_iter().flatten().flatten() {
            let points = r.getPoints().iter().map(|p| (p.x, p.y));
            found.add(r.getText().to_string(), points, scale);
        }
    }
}

/// The image with its grey levels (1st to 99th percentile) stretched to
/// 0..=255, or `None` when it already spans more than half the range.
fn stretch(luma: &GrayImage) -> Option<GrayImage> {
    let mut histogram = [0u64; 256];
    for &p in luma.as_raw() {
        histogram[usize::from(p)] += 1;
    }
    let total = luma.as_raw().len() as u64;
    let level = |share: u64| {
        let mut seen = 0;
        histogram.iter().position(|&n| {
            seen += n;
            seen * 100 > total * share
        })
    };
    let (lo, hi) = (level(1)?, level(99)?);
    if hi <= lo || hi - lo > 128 {
        return None;
    }
    let span = (hi - lo) as f32;
    let mut out = luma.clone();
    for p in out.iter_mut() {
        *p = ((f32::from(*p) - lo as f32) * 255.0 / span).clamp(0.0, 255.0) as u8;
    }
    Some(out)
}

/// Each pixel the mean of its 3x3 neighbourhood (edges repeated).
fn box_blur(luma: &GrayImage) -> GrayImage {
    let (w, h) = (luma.width() as usize, luma.height() as usize);
    let src = luma.as_raw();
    let at = |i: usize, d: isize, n: usize| (i as isize + d).clamp(0, n as isize - 1) as usize;
    let mut rows = vec![0u16; w * h];
    for y in 0..h {
        for x in 0..w {
            rows[y * w + x] = (-1..=1).map(|d| u16::from(src[y * w + at(x, d, w)])).sum();
        }
    }
    GrayImage::from_fn(w as u32, h as u32, |x, y| {
        let (x, y) = (x as usize, y as usize);
        let sum: u16 = (-1..=1).map(|d| rows[at(y, d, h) * w + x]).sum();
        image::Luma([(sum / 9) as u8])
    })
}

/// Half size: each pixel the mean of a 2x2 block.
fn half(luma: &GrayImage) -> GrayImage {
    let (w, h) = ((luma.width() / 2).max(1), (luma.height() / 2).max(1));
    let px = |x: u32, y: u32| {
        u16::from(luma.get_pixel((x).min(luma.width() - 1), (y).min(luma.height() - 1))[0])
    };
    GrayImage::from_fn(w, h, |x, y| {
        let (x, y) = (2 * x, 2 * y);
        let sum = px(x, y) + px(x + 1, y) + px(x, y + 1) + px(x + 1, y + 1);
        image::Luma([(sum / 4) as u8])
    })
}

/// Double size, bilinear.
fn double(luma: &GrayImage) -> GrayImage {
    let (w, h) = luma.dimensions();
    imageops::resize(luma, w * 2, h * 2, imageops::FilterType::Triangle)
}
