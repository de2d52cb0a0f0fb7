//! Process hardening done once at start, by both front ends: no core
//! dumps, since an unlocked vault's keys and secrets are in memory.
//!
//! `PR_SET_DUMPABLE 0` would also stop core files, but xdg-desktop-portal
//! then refuses every request of the process (it cannot read
//! `/proc/PID/root`), which breaks the file chooser and Wayland capture:
//! the core-file size limit is lowered instead, through rustix (safe).

/// Sets the soft limit of the core-file size to 0 (the hard limit stays,
/// so a debugging user can raise it again). Returns whether it took effect;
/// `false` off Unix.
pub fn disable_core_dumps() -> bool {
    #[cfg(unix)]
    {
        use rustix::process::{Resource, Rlimit, getrlimit, setrlimit};
        let now = getrlimit(Resource::Core);
        setrlimit(
            Resource::Core,
            Rlimit {
                current: Some(0),
                maximum: now.maximum,
            },
        )
        .is_ok()
    }
    #[cfg(not(unix))]
    {
        false
    }
}

#[cfg(all(test, unix))]
mod tests {
    #[test]
    fn core_files_are_off_and_the_hard_limit_stays() {
        use rustix::process::{Resource, getrlimit};
        let before = getrlimit(Resource::Core);
        assert!(super::disable_core_dumps());
        let after = getrlimit(Resource::Core);
        assert_eq!(after.current, Some(0));
        assert_eq!(after.maximum, before.maximum);
    }
}
