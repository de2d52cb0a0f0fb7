//! Durability through real processes: `kill -9` at random points of
//! repeated saves, and several processes adding at once.
//!
//! The kill test prints its seed and the span it spreads the kills over;
//! `TESSERA_DURABILITY_SEED=N` (and `TESSERA_DURABILITY_SPAN_US=N`, else
//! the span is measured again) replays the same delays.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use tessera::vault::{Unlock, Vault};

const PW: &str = "durable password";

fn tessera(vault: &Path, args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_tessera"));
    c.arg("--password-stdin")
        .args(args)
        .env("TESSERA_VAULT", vault)
        .env("TESSERA_TEST_FAST_KDF", "1")
        .env("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/bus")
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    c
}

fn spawn(vault: &Path, args: &[&str]) -> Child {
    let mut child = tessera(vault, args).spawn().unwrap();
    let _ = child
        .stdin
        .take()
        .unwrap()
        .write_all(format!("{PW}\n").as_bytes());
    child
}

/// A distinct valid Base32 key for account `i` (16 bytes).
fn key(i: u32) -> String {
    let mut bytes = [0x5au8; 16];
    bytes[..4].copy_from_slice(&i.to_be_bytes());
    const A: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let mut out = String::new();
    let (mut buf, mut bits) = (0u32, 0);
    for b in bytes {
        buf = (buf << 8) | u32::from(b);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(A[((buf >> bits) & 31) as usize] as char);
        }
        buf &= (1 << bits) - 1;
    }
    if bits > 0 {
        out.push(A[((buf << (5 - bits)) & 31) as usize] as char);
    }
    out
}

fn create(dir: &Path) -> PathBuf {
    let vault = dir.join("vault.tessera");
    let status = spawn(&vault, &["init", "--no-keyring"]).wait().unwrap();
    assert!(status.success());
    vault
}

fn count(vault: &Path) -> usize {
    Vault::open(vault, Unlock::Password(PW))
        .expect("the vault always opens")
        .entries()
        .len()
}

/// xorshift, seeded from the clock (or `TESSERA_DURABILITY_SEED`): delays
/// differ from run to run, and a printed seed replays them.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

/// A number from the environment, for replaying a run.
fn env_u64(name: &str) -> Option<u64> {
    let text = std::env::var(name).ok()?;
    Some(
        text.trim()
            .parse()
            .unwrap_or_else(|_| panic!("{name}={text} is not a number")),
    )
}

#[test]
fn kill_9_during_saves_leaves_old_or_new() {
    let dir = tempfile::tempdir().unwrap();
    let vault = create(dir.path());
    // How long one `add` takes, to spread the kills over its whole life.
    let started = Instant::now();
    for i in 0..3 {
        let k = key(i);
        assert!(
            spawn(&vault, &["add", "--issuer", "warmup", "--secret", &k])
                .wait()
                .unwrap()
                .success()
        );
    }
    let measured = (started.elapsed() / 3).as_micros() as u64 + 1;
    let span = env_u64("TESSERA_DURABILITY_SPAN_US").unwrap_or(measured);
    let seed = env_u64("TESSERA_DURABILITY_SEED").unwrap_or_else(|| {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos() as u64
    }) | 1;
    // Printed before any check, so a failing run can be replayed.
    eprintln!(
        "kill -9: TESSERA_DURABILITY_SEED={seed} TESSERA_DURABILITY_SPAN_US={span} (one add measured {measured} µs)"
    );
    let mut rng = Rng(seed);
    let mut expected = count(&vault);
    let (mut killed, mut finished) = (0, 0);
    let runs = 240;
    for run in 0..runs {
        let k = key(1000 + run);
        let mut child = spawn(&vault, &["add", "--issuer", "kill", "--secret", &k]);
        let delay = rng.next() % (span + span / 5);
        std::thread::sleep(Duration::from_micros(delay));
        let _ = child.kill(); // SIGKILL
        let status = child.wait().unwrap();
        if status.success() {
            finished += 1;
        } else {
            killed += 1;
        }
        let now = count(&vault);
        assert!(
            now == expected || now == expected + 1,
            "run {run} (seed {seed}, span {span} µs): {expected} accounts before, {now} after"
        );
        if status.success() {
            assert_eq!(
                now,
                expected + 1,
                "run {run} (seed {seed}, span {span} µs): a finished add was lost"
            );
        }
        expected = now;
    }
    eprintln!("kill -9: {runs} runs, {killed} killed, {finished} finished, {expected} accounts");
    assert!(
        killed >= runs as usize / 4,
        "too few kills landed: {killed} (seed {seed}, span {span} µs)"
    );
    // Opening cleaned any stale temporary file.
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".tmp."))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn processes_adding_at_once_lose_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let vault = create(dir.path());
    let workers = 4u32;
    let each = 6u32;
    let threads: Vec<_> = (0..workers)
        .map(|w| {
            let vault = vault.clone();
            std::thread::spawn(move || {
                for i in 0..each {
                    let k = key(w * 100 + i);
                    let status = spawn(&vault, &["add", "--issuer", "w", "--secret", &k])
                        .wait()
                        .unwrap();
                    assert!(status.success());
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    assert_eq!(count(&vault), (workers * each) as usize);
}
