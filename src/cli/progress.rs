//! Progress on slow steps, on standard error and only when it is a
//! terminal (nothing in pipes, logs or scripts): "Unlocking…" while the
//! keyring or the key derivation is waited for, and "Reading SOURCE…" for
//! an import source that takes over a second. The line is rewritten in
//! place with the seconds spent, and erased when the step ends, so the
//! command's own output is unchanged.

use std::io::{self, IsTerminal, Write};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// Erases the terminal line: back to its start, then clear to its end.
const ERASE: &str = "\r\x1b[K";

/// A progress line shown while it lives (see the module docs).
pub(super) struct Progress {
    done: Option<mpsc::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl Progress {
    /// "Unlocking…", shown at once.
    pub fn unlocking() -> Self {
        Self::on_stderr(String::from("Unlocking…"), Duration::ZERO)
    }

    /// "Reading SOURCE…", shown once a second has passed.
    pub fn reading(source: &str) -> Self {
        Self::on_stderr(format!("Reading {source}…"), Duration::from_secs(1))
    }

    fn on_stderr(what: String, delay: Duration) -> Self {
        Self::start(
            what,
            delay,
            io::stderr().is_terminal(),
            Box::new(io::stderr()),
        )
    }

    /// Shows `what` on `out` after `delay`, if `terminal`, then every
    /// second with the time spent, until dropped.
    fn start(what: String, delay: Duration, terminal: bool, out: Box<dyn Write + Send>) -> Self {
        if !terminal {
            return Self {
                done: None,
                thread: None,
            };
        }
        let mut out = out;
        let started = Instant::now();
        // Without a delay the line is written before the wait begins, not
        // when the thread gets to run (a fast step would end first).
        let mut shown = delay.is_zero();
        if shown {
            let _ = write!(out, "{ERASE}{what}");
            let _ = out.flush();
        }
        let (done, wait) = mpsc::channel::<()>();
        let thread = std::thread::Builder::new()
            .name(String::from("tessera-progress"))
            .spawn(move || {
                let mut next = if shown { Duration::from_secs(1) } else { delay };
                while let Err(RecvTimeoutError::Timeout) = wait.recv_timeout(next) {
                    let _ = write!(out, "{ERASE}{}", line(&what, started.elapsed()));
                    let _ = out.flush();
                    shown = true;
                    next = Duration::from_secs(1);
                }
                if shown {
                    let _ = write!(out, "{ERASE}");
                    let _ = out.flush();
                }
            })
            .ok();
        Self {
            done: Some(done),
            thread,
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        // Closing the channel ends the thread, which erases its line.
        drop(self.done.take());
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// The text of the line after `elapsed`: the step, then whole seconds
/// once one has passed.
fn line(what: &str, elapsed: Duration) -> String {
    match elapsed.as_secs() {
        0 => what.to_string(),
        s => format!("{what} {s} s"),
    }
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use super::*;

    /// A writer the test reads back.
    #[derive(Clone, Default)]
    struct Shared(Arc<Mutex<Vec<u8>>>);

    impl Write for Shared {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    impl Shared {
        fn text(&self) -> String {
            String::from_utf8(self.0.lock().unwrap().clone()).unwrap()
        }
    }

    fn run(delay: Duration, terminal: bool, work: Duration) -> String {
        let out = Shared::default();
        let progress = Progress::start(
            String::from("Unlocking…"),
            delay,
            terminal,
            Box::new(out.clone()),
        );
        std::thread::sleep(work);
        drop(progress);
        out.text()
    }

    #[test]
    fn a_terminal_sees_the_step_then_a_clean_line() {
        let text = run(Duration::ZERO, true, Duration::from_millis(100));
        assert_eq!(text, format!("{ERASE}Unlocking…{ERASE}"));
        // Even when the step ends at once.
        assert_eq!(
            run(Duration::ZERO, true, Duration::ZERO),
            format!("{ERASE}Unlocking…{ERASE}")
        );
    }

    #[test]
    fn nothing_is_written_when_not_a_terminal() {
        assert_eq!(run(Duration::ZERO, false, Duration::from_millis(100)), "");
    }

    #[test]
    fn a_step_shorter_than_the_delay_shows_nothing() {
        assert_eq!(
            run(Duration::from_secs(1), true, Duration::from_millis(50)),
            ""
        );
    }

    #[test]
    fn the_line_counts_whole_seconds() {
        assert_eq!(
            line("Reading a.png…", Duration::from_millis(999)),
            "Reading a.png…"
        );
        assert_eq!(
            line("Reading a.png…", Duration::from_millis(2500)),
            "Reading a.png… 2 s"
        );
    }
}
