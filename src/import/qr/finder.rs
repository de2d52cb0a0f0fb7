//! rxing's multi-symbol QR reader (`QrReader::decode_multiple`, QR codes
//! only), rebuilt from its public parts so that a budget bounds it.
//!
//! rxing has no cancel hook, and two of its loops grow faster than the
//! image: every finder-pattern candidate of a row is checked against every
//! pattern found so far (quadratic: 100 s for a 3600 px grid of tiny
//! patterns), and every plausible set of three patterns is sampled and
//! decoded (about 60 µs each, hundreds of thousands of sets in a grid).
//! Here the first check goes through a grid index (the same test, linear
//! time), the patterns kept are capped, and the [`Meter`] is charged per
//! row and per set, so a pass stops when the budget is spent and keeps the
//! symbols read so far.

use std::collections::HashMap;

use rxing::Point;
use rxing::common::BitMatrix;
use rxing::common::DetectorRXingResult as _;
use rxing::common::cpp_essentials::{
    ConcentricPattern, FindLeftGuardBy, FixedPattern, GetPatternRowTP, IsPattern,
    LocateConcentricPattern, PatternRow, PatternView,
};
use rxing::qrcode::cpp_port::decoder::Decode;
use rxing::qrcode::cpp_port::detector::{GenerateFinderPatternSets, SampleQR};

use super::budget::{Meter, cost};
use crate::import::image::guarded;

const LEN: usize = 5;
const SUM: usize = 7;
const PATTERN: FixedPattern<LEN, SUM, false> = FixedPattern::new([1, 1, 3, 1, 1]);
const E2E: bool = true;
/// rxing's row step when trying harder.
const ROW_STEP: u32 = 3;

/// A symbol read: its text and its corner points (in the matrix's pixels).
pub(crate) struct Symbol {
    pub text: String,
    pub points: Vec<(f32, f32)>,
}

/// What one pass over a binary image gave.
#[derive(Default)]
pub(crate) struct Pass {
    pub symbols: Vec<Symbol>,
    /// Finder patterns seen (before the cap).
    pub finders: usize,
}

/// Every QR symbol of `matrix`, as rxing's `decode_multiple` with
/// `TryHarder` reads them, within the meter and at most `max_finders`
/// finder patterns (the largest are kept).
pub(crate) fn read(matrix: &BitMatrix, meter: &mut Meter, max_finders: usize) -> Pass {
    let mut pass = Pass::default();
    let Some(mut patterns) = guarded(|| find_patterns(matrix, meter)).flatten() else {
        return pass;
    };
    pass.finders = patterns.len();
    if patterns.len() < 3 {
        return pass;
    }
    patterns.sort_by_key(|p| std::cmp::Reverse(p.size));
    patterns.truncate(max_finders);
    // Up to 105 sets of three per pattern (rxing looks at 15 neighbours).
    if !meter.charge(patterns.len() as u64 * cost::SETS_PER_PATTERN) {
        return pass;
    }
    let Some(sets) = guarded(|| GenerateFinderPatternSets(&mut patterns)) else {
        return pass;
    };
    let mut used: Vec<ConcentricPattern> = Vec::new();
    for set in sets {
        if used.contains(&set.bl) || used.contains(&set.tl) || used.contains(&set.tr) {
            continue;
        }
        if !meter.charge(cost::SAMPLE) {
            break;
        }
        let read = guarded(|| {
            let detected = SampleQR(matrix, &set).ok()?;
            let decoded = Decode(detected.getBits()).ok()?;
            decoded.isValid().then(|| Symbol {
                text: decoded.text().to_string(),
                points: detected.getPoints().iter().map(|p| (p.x, p.y)).collect(),
            })
        })
        .flatten();
        if let Some(symbol) = read {
            used.extend([set.bl, set.tl, set.tr]);
            pass.symbols.push(symbol);
        }
    }
    pass
}

/// rxing's `FindFinderPatterns` (try harder, no minimum module size): the
/// rows every 3 pixels, each 1:1:3:1:1 run located as a concentric
/// pattern unless it lies inside one already found. `None` when the meter
/// runs out (the patterns so far are then not worth the sets they make).
fn find_patterns(image: &BitMatrix, meter: &mut Meter) -> Option<Vec<ConcentricPattern>> {
    let (width, height) = (image.getWidth(), image.getHeight());
    let mut found: Vec<ConcentricPattern> = Vec::new();
    let mut index = Index::default();
    let mut row = PatternRow::default();
    let mut y = ROW_STEP - 1;
    while y < height {
        if !meter.charge(u64::from(width) * cost::ROW_PIXEL) {
            return None;
        }
        GetPatternRowTP(image, y, &mut row, false);
        let mut next = PatternView::new(&row);
        while let Ok(view) = find_pattern(next) {
            next = view;
            if !next.isValid() {
                break;
            }
            let p = Point::new(
                next.pixelsInFront() as f32
                    + next[0] as f32
                    + next[1] as f32
                    + next[2] as f32 / 2.0,
                y as f32 + 0.5,
            );
            if !index.inside(&found, p) {
                if !meter.charge(cost::LOCATE) {
                    return None;
                }
                let range = next.iter().sum::<u16>() as i32 * 3;
                if let Some(pattern) =
                    LocateConcentricPattern::<E2E, LEN, SUM>(image, &PATTERN.into(), p, range)
                {
                    index.insert(found.len(), pattern);
                    found.push(pattern);
                }
            }
            next.skipPair();
            next.skipPair();
            next.extend();
        }
        y += ROW_STEP;
    }
    Some(found)
}

/// rxing's `FindPattern`: the next 1:1:3:1:1 run of a row.
fn find_pattern(view: PatternView<'_>) -> rxing::common::Result<PatternView<'_>> {
    FindLeftGuardBy::<LEN, _>(view, LEN, |view: &PatternView, space: Option<f32>| {
        // rxing's fast plausibility test first.
        if (view[2] as i32) < 3
            || view[2] < 2u16 * std::cmp::max(view[0], view[4])
            || view[2] < std::cmp::max(view[1], view[3])
        {
            return false;
        }
        IsPattern::<E2E, LEN, SUM, false>(view, &PATTERN, space, 0.1, 0.0, 0.0) != 0.0
    })
}

/// Cell side of the [`Index`], in pixels.
const CELL: f32 = 32.0;

/// The patterns found so far by grid cell: each is filed under every cell
/// its disc (radius half its size) touches, so whether a point lies
/// inside one (rxing: `distance(p, old) < old.size / 2`) is answered from
/// the point's cell alone.
#[derive(Default)]
struct Index(HashMap<(i64, i64), Vec<usize>>);

impl Index {
    fn cell(v: f32) -> i64 {
        (v / CELL).floor() as i64
    }

    fn insert(&mut self, i: usize, pattern: ConcentricPattern) {
        let r = pattern.size as f32 / 2.0;
        for cy in Self::cell(pattern.p.y - r)..=Self::cell(pattern.p.y + r) {
            for cx in Self::cell(pattern.p.x - r)..=Self::cell(pattern.p.x + r) {
                self.0.entry((cx, cy)).or_default().push(i);
            }
        }
    }

    fn inside(&self, found: &[ConcentricPattern], p: Point) -> bool {
        self.0
            .get(&(Self::cell(p.x), Self::cell(p.y)))
            .is_some_and(|ids| {
                ids.iter()
                    .any(|&i| Point::distance(p, found[i].p) < found[i].size as f32 / 2.0)
            })
    }
}
