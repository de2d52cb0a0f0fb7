//! The decoding pipeline: every distinct QR payload in a grey image.
//!
//! Steps run cheapest first and stop at the first one that finds a code;
//! `scripts/bench-qr --steps` shows what each one buys. The whole image is
//! always searched, so several codes side by side are found together.
//!
//! Every piece of work is paid from a [`Budget`] before it runs, so any
//! image ends in bounded time (`scripts/bench-qr-hostile`): a large image
//! is read on a copy of at most [`PREVIEW_PIXELS`] first, and at full
//! resolution only when that copy shows finder patterns but no code and
//! the budget can pay for a whole pass.

use image::{GrayImage, imageops};
use rxing::common::{GlobalHistogramBinarizer, HybridBinarizer};
use rxing::{BinaryBitmap, Luma8Source};

use super::budget::{Budget, Meter, cost};
use super::finder;
use crate::import::image::guarded;

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

/// Larger images are read on a copy of this many pixels first (a 1440p
/// screen): every step fits in the budget there.
pub const PREVIEW_PIXELS: u64 = 2560 * 1440;
/// Larger images are shrunk to this many pixels (a 5K screen) for the
/// full-resolution pass, which bounds its time and memory.
pub const MAX_PIXELS: u64 = 5120 * 2880;

/// What a decode found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Decoded {
    /// Every distinct payload, in reading order.
    pub payloads: Vec<String>,
    /// The step that found them.
    pub step: Option<Step>,
    /// The budget ran out (or the decode was cancelled) before every step
    /// ran: `payloads` are what was found until then.
    pub ran_out: bool,
    /// The work paid (never more than the budget's).
    pub spent: u64,
}

/// Every distinct QR payload in `luma`, in reading order, within the
/// default [`Budget`].
pub fn decode(luma: &GrayImage) -> Vec<String> {
    decode_with(luma, &Budget::default()).payloads
}

/// Every distinct QR payload in `luma` that `budget` pays for.
pub fn decode_with(luma: &GrayImage, budget: &Budget) -> Decoded {
    decode_steps_with(luma, &Step::ALL, budget)
}

/// Runs `steps` in order until one finds a payload (default budget);
/// returns the payloads and the step that found them.
pub fn decode_steps(luma: &GrayImage, steps: &[Step]) -> (Vec<String>, Option<Step>) {
    let decoded = decode_steps_with(luma, steps, &Budget::default());
    (decoded.payloads, decoded.step)
}

/// [`decode_steps`] within `budget`.
pub fn decode_steps_with(luma: &GrayImage, steps: &[Step], budget: &Budget) -> Decoded {
    let mut meter = Meter::new(budget);
    let (w, h) = luma.dimensions();
    let pixels = u64::from(w) * u64::from(h);
    if pixels == 0 {
        return Decoded::default();
    }
    if pixels <= PREVIEW_PIXELS {
        let mut found = Found::default();
        let step = run_steps(luma, 1.0, steps, budget, &mut meter, &mut found);
        return found.into_decoded(step, &meter);
    }
    let mut found = Found::default();
    let Some((preview, f)) = shrink(luma, PREVIEW_PIXELS, &mut meter) else {
        return found.into_decoded(None, &meter);
    };
    let step = run_steps(&preview, f, steps, budget, &mut meter, &mut found);
    if step.is_some() || found.finders == 0 || !steps.contains(&Step::Rxing) {
        return found.into_decoded(step, &meter);
    }
    // Finder patterns but no code: small modules may need every pixel.
    let full_pixels = pixels.min(MAX_PIXELS);
    let pass = full_pixels * (cost::GLOBAL_PIXEL + cost::HYBRID_PIXEL + 4 * cost::ROW_PIXEL / 3);
    let resized = if pixels > MAX_PIXELS {
        meter.affords(pass + pixels * cost::SHRINK_PIXEL)
    } else {
        meter.affords(pass)
    };
    if !resized {
        meter.ran_out = true;
        return found.into_decoded(None, &meter);
    }
    let step = if pixels > MAX_PIXELS {
        shrink(luma, MAX_PIXELS, &mut meter).and_then(|(full, f)| {
            run_steps(&full, f, &[Step::Rxing], budget, &mut meter, &mut found)
        })
    } else {
        run_steps(luma, 1.0, &[Step::Rxing], budget, &mut meter, &mut found)
    };
    found.into_decoded(step, &meter)
}

/// Runs `steps` until one finds a payload; the step that did.
fn run_steps(
    luma: &GrayImage,
    scale: f32,
    steps: &[Step],
    budget: &Budget,
    meter: &mut Meter,
    found: &mut Found,
) -> Option<Step> {
    for &step in steps {
        run(step, luma, scale, budget, meter, found);
        if !found.items.is_empty() {
            return Some(step);
        }
        if meter.ran_out {
            return None;
        }
    }
    None
}

/// A copy of at most `max` pixels and its scale, paid from the meter.
fn shrink(luma: &GrayImage, max: u64, meter: &mut Meter) -> Option<(GrayImage, f32)> {
    let (w, h) = luma.dimensions();
    let pixels = u64::from(w) * u64::from(h);
    if !meter.charge(pixels * cost::SHRINK_PIXEL) {
        return None;
    }
    let f = (max as f64 / pixels as f64).sqrt();
    let side = |n: u32| ((f64::from(n) * f) as u32).max(1);
    Some((imageops::thumbnail(luma, side(w), side(h)), f as f32))
}

fn run(
    step: Step,
    luma: &GrayImage,
    scale: f32,
    budget: &Budget,
    meter: &mut Meter,
    found: &mut Found,
) {
    let (w, h) = luma.dimensions();
    let pixels = u64::from(w) * u64::from(h);
    let mut rxing = |image: &GrayImage, factor: f32, meter: &mut Meter| {
        with_rxing(image, scale * factor, budget, meter, found);
    };
    match step {
        Step::Rxing => rxing(luma, 1.0, meter),
        Step::Contrast => {
            if meter.charge(pixels * cost::MADE_PIXEL)
                && let Some(stretched) = stretch(luma)
            {
                rxing(&stretched, 1.0, meter);
            }
        }
        Step::Denoised if pixels > LARGE_PIXELS => {
            if meter.charge(pixels / 4 * cost::MADE_PIXEL * 2) {
                rxing(&box_blur(&half(luma)), 0.5, meter);
            }
        }
        Step::Denoised => {
            if meter.charge(pixels * cost::MADE_PIXEL) {
                rxing(&box_blur(luma), 1.0, meter);
            }
        }
        Step::Rescaled if w.max(h) > 2 * SMALL_SIDE => {
            if meter.charge(pixels / 4 * cost::MADE_PIXEL) {
                rxing(&half(luma), 0.5, meter);
            }
        }
        Step::Rescaled if w.max(h) < SMALL_SIDE => {
            if meter.charge(pixels * 4 * cost::MADE_PIXEL) {
                rxing(&double(luma), 2.0, meter);
            }
        }
        Step::Rescaled => {}
    }
}

/// Payloads with where their symbol is, in original pixels:
/// (text, left, top, height).
/// Also counts the finder patterns seen.
#[derive(Default)]
struct Found {
    items: Vec<(String, f32, f32, f32)>,
    finders: usize,
}

impl Found {
    fn into_decoded(self, step: Option<Step>, meter: &Meter) -> Decoded {
        Decoded {
            step: step.filter(|_| !self.items.is_empty()),
            payloads: self.in_reading_order(),
            ran_out: meter.ran_out,
            spent: meter.spent(),
        }
    }

    fn add(&mut self, text: String, points: impl Iterator<Item = (f32, f32)>, scale: f32) {
        if self.items.iter().any(|(t, ..)| *t == text) {
            return;
        }
        let (mut x0, mut y0, mut y1) = (f32::MAX, f32::MAX, f32::MIN);
        for (x, y) in points {
            x0 = x0.min(x);
            y0 = y0.min(y);
            y1 = y1.max(y);
        }
        self.items
            .push((text, x0 / scale, y0 / scale, (y1 - y0).max(0.0) / scale));
    }

    /// Top to bottom in rows (symbols whose tops are within half a symbol
    /// of the row's first), left to right within a row.
    fn in_reading_order(mut self) -> Vec<String> {
        self.items.sort_by(|a, b| a.2.total_cmp(&b.2));
        let mut rows: Vec<Vec<(String, f32, f32, f32)>> = Vec::new();
        for item in self.items {
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
/// (each reads some the other misses), each on the image and its
/// negative; each binarization and pass is paid from the meter.
fn with_rxing(luma: &GrayImage, scale: f32, budget: &Budget, meter: &mut Meter, found: &mut Found) {
    let (w, h) = luma.dimensions();
    let pixels = u64::from(w) * u64::from(h);
    let source = || Luma8Source::new_with_slice(luma.as_raw(), w, h).ok();
    if meter.charge(pixels * cost::GLOBAL_PIXEL)
        && let Some(src) = source()
    {
        let bitmap = BinaryBitmap::new(GlobalHistogramBinarizer::new(src));
        read_both(bitmap, scale, budget, meter, found);
    }
    if meter.charge(pixels * cost::HYBRID_PIXEL)
        && let Some(src) = source()
    {
        let bitmap = BinaryBitmap::new(HybridBinarizer::new(src));
        read_both(bitmap, scale, budget, meter, found);
    }
}

fn read_both<B: rxing::Binarizer>(
    mut bitmap: BinaryBitmap<B>,
    scale: f32,
    budget: &Budget,
    meter: &mut Meter,
    found: &mut Found,
) {
    if guarded(|| {
        bitmap.get_black_matrix_mut();
    })
    .is_none()
    {
        return;
    }
    let matrix = bitmap.get_black_matrix_mut();
    for pass in 0..2 {
        if pass == 1 {
            matrix.flip_self();
        }
        let read = finder::read(matrix, meter, budget.max_finders);
        found.finders += read.finders;
        for symbol in read.symbols {
            found.add(symbol.text, symbol.points.into_iter(), scale);
        }
        if meter.ran_out {
            return;
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
