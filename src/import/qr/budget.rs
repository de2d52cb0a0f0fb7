//! How much work one QR decode may do.
//!
//! Work is counted, not timed (the core never reads the clock): each
//! piece of the pipeline is charged before it runs, in units of about a
//! nanosecond of a 2020s laptop core (see [`cost`], measured over the
//! hostile images of `scripts/bench-qr-hostile`). A piece the budget can no
//! longer pay for is skipped, and the decode ends with what it found.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// Units charged for each piece of work (about nanoseconds).
pub mod cost {
    /// Binarizing one pixel with rxing's global threshold.
    pub const GLOBAL_PIXEL: u64 = 20;
    /// Binarizing one pixel with rxing's local (hybrid) threshold.
    pub const HYBRID_PIXEL: u64 = 45;
    /// One pixel of a row scanned for finder patterns (every third row is).
    pub const ROW_PIXEL: u64 = 60;
    /// Locating one finder-pattern candidate in two dimensions.
    pub const LOCATE: u64 = 2_000;
    /// Making the sets of three of one finder pattern (up to 105).
    pub const SETS_PER_PATTERN: u64 = 30_000;
    /// Sampling and decoding one set of three finder patterns.
    pub const SAMPLE: u64 = 80_000;
    /// One pixel of an image made by the pipeline (stretched, blurred,
    /// rescaled), counted in the image made.
    pub const MADE_PIXEL: u64 = 15;
    /// One pixel of a large image shrunk to a smaller copy.
    pub const SHRINK_PIXEL: u64 = 3;
}

/// The limits of one decode. [`Budget::default`] ends any image in well
/// under two seconds of a release build; tests give a tiny budget to see
/// the pipeline stop early.
#[derive(Debug, Clone)]
pub struct Budget {
    /// Work units for the whole decode (see [`cost`]).
    pub work: u64,
    /// Most finder patterns one pass goes on with (the largest are kept):
    /// three make a symbol, so this is far beyond any real image, and the
    /// sets of three they make grow with it.
    pub max_finders: usize,
    /// Set by another thread to stop the decode at the next check (the
    /// app's cancel button); the decode ends with what it found.
    pub cancel: Option<Arc<AtomicBool>>,
}

impl Budget {
    /// 1.2 s of work: what the default allows.
    pub const DEFAULT_WORK: u64 = 1_200_000_000;
    /// The default cap on finder patterns per pass.
    pub const DEFAULT_MAX_FINDERS: usize = 500;

    /// A budget of `work` units with the default cap on finder patterns.
    pub fn with_work(work: u64) -> Budget {
        Budget {
            work,
            ..Budget::default()
        }
    }
}

impl Default for Budget {
    fn default() -> Self {
        Budget {
            work: Budget::DEFAULT_WORK,
            max_finders: Budget::DEFAULT_MAX_FINDERS,
            cancel: None,
        }
    }
}

/// The budget being spent.
pub(crate) struct Meter {
    work: u64,
    left: u64,
    cancel: Option<Arc<AtomicBool>>,
    /// Some work was refused: the budget ran out or the decode was cancelled.
    pub ran_out: bool,
}

impl Meter {
    pub(crate) fn new(budget: &Budget) -> Meter {
        Meter {
            work: budget.work,
            left: budget.work,
            cancel: budget.cancel.clone(),
            ran_out: false,
        }
    }

    /// Pays for `units` of work; `false` (and nothing paid) when the budget
    /// cannot, or the decode was cancelled: the work must then not run.
    pub(crate) fn charge(&mut self, units: u64) -> bool {
        let cancelled = self
            .cancel
            .as_ref()
            .is_some_and(|c| c.load(Ordering::Relaxed));
        if self.ran_out || cancelled || units > self.left {
            self.ran_out = true;
            return false;
        }
        self.left -= units;
        true
    }

    /// The work paid so far.
    pub(crate) fn spent(&self) -> u64 {
        self.work - self.left
    }

    /// Whether `units` could still be paid (nothing is).
    pub(crate) fn affords(&self, units: u64) -> bool {
        !self.ran_out && units <= self.left
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_meter_refuses_what_it_cannot_pay_and_stays_refusing() {
        let mut meter = Meter::new(&Budget::with_work(100));
        assert!(meter.charge(60));
        assert!(!meter.charge(50));
        assert!(meter.ran_out);
        // Once out, even small work is refused: a pass never resumes.
        assert!(!meter.charge(1));
    }

    #[test]
    fn a_cancelled_budget_refuses_everything() {
        let flag = Arc::new(AtomicBool::new(false));
        let budget = Budget {
            cancel: Some(flag.clone()),
            ..Budget::default()
        };
        let mut meter = Meter::new(&budget);
        assert!(meter.charge(1));
        flag.store(true, Ordering::Relaxed);
        assert!(!meter.charge(1));
    }
}
