//! Helpers shared by the integration tests.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;

use serde_json::Value;
use tessera::account::{Account, OtpKind};

/// The shared fixtures root (holding `qr/` and `importers/`): the
/// `TESSERA_FIXTURES` folder, or `../shared/fixtures` next to this
/// checkout. It is not checked here: see [`fixture_dir`].
pub fn fixtures_root() -> PathBuf {
    std::env::var_os("TESSERA_FIXTURES")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/fixtures"))
}

/// A folder of the fixtures root (`qr`, `importers`), or `None` with
/// "skipped: fixtures not found" on stderr when it is missing; with
/// `TESSERA_REQUIRE_FIXTURES=1` (CI, `scripts/test`) a missing folder fails.
pub fn fixture_dir(name: &str) -> Option<PathBuf> {
    let dir = fixtures_root().join(name);
    if dir.is_dir() {
        return Some(dir);
    }
    assert!(
        !fixtures_required(),
        "TESSERA_REQUIRE_FIXTURES=1 but the fixtures folder {} is missing",
        dir.display()
    );
    skipped(&format!("fixtures not found ({})", dir.display()));
    None
}

/// A file of a fixtures folder (`qr`, `importers`), or `None` with
/// "skipped: …" on stderr when the folder or the file is missing; with
/// `TESSERA_REQUIRE_FIXTURES=1` either fails.
pub fn fixture_file(folder: &str, name: &str) -> Option<PathBuf> {
    let path = fixture_dir(folder)?.join(name);
    if path.is_file() {
        return Some(path);
    }
    assert!(
        !fixtures_required(),
        "TESSERA_REQUIRE_FIXTURES=1 but the fixture {} is missing",
        path.display()
    );
    skipped(&format!("fixture not found ({})", path.display()));
    None
}

/// Says on the real standard error (not the harness's captured one, so it
/// shows in a normal `cargo test` run) that the current test skipped.
/// Once per test (a property test asks at every case).
pub fn skipped(why: &str) {
    use std::io::Write;
    static SAID: std::sync::Mutex<Vec<String>> = std::sync::Mutex::new(Vec::new());
    let test = std::thread::current()
        .name()
        .unwrap_or("a test")
        .to_string();
    let Ok(mut said) = SAID.lock() else { return };
    if !said.contains(&test) {
        let _ = writeln!(std::io::stderr(), "SKIPPED {test}: {why}");
        said.push(test);
    }
}

/// Whether a missing fixture fails the test (`TESSERA_REQUIRE_FIXTURES=1`,
/// set by `scripts/test`) instead of skipping it.
pub fn fixtures_required() -> bool {
    std::env::var_os("TESSERA_REQUIRE_FIXTURES").is_some_and(|v| v == "1")
}

/// The shared QR fixtures (`<root>/qr`, with its `manifest.json`).
pub fn qr_fixtures() -> Option<PathBuf> {
    fixture_dir("qr")
}

/// The shared importer fixtures (`<root>/importers`, with `expected.json`).
pub fn importer_fixtures() -> Option<PathBuf> {
    fixture_dir("importers")
}

pub fn load_json(path: PathBuf) -> Value {
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap()
}

/// An account in the manifest's field names (what `scan --json` prints,
/// without the code).
pub fn account_fields(a: &Account) -> Value {
    let mut v = serde_json::json!({
        "type": a.kind.type_name(),
        "issuer": a.issuer,
        "account": a.name,
        "secret": a.secret.to_base32(),
        "algorithm": a.code_algorithm().as_str(),
        "digits": a.code_length(),
    });
    match a.kind {
        OtpKind::Hotp { counter } => v["counter"] = counter.into(),
        kind => v["period"] = kind.period().map(|p| p.get()).into(),
    }
    v
}

/// Whether `got` (manifest field names) equals `want`, allowing the
/// alternatives of `also_accept` for entry `index`.
pub fn fields_match(got: &Value, want: &Value, also: Option<&Value>, index: usize) -> bool {
    let keys = [
        "type",
        "issuer",
        "account",
        "secret",
        "algorithm",
        "digits",
        "period",
        "counter",
    ];
    keys.iter().all(|k| {
        let (g, w) = (&got[*k], &want[*k]);
        if g == w {
            return true;
        }
        also.and_then(|a| a.get(index.to_string()))
            .and_then(|a| a.get(*k))
            .and_then(Value::as_array)
            .is_some_and(|alts| alts.contains(g))
    })
}

/// Checks accounts against a case's `expect` (as a set) and its `codes`;
/// returns a description of the first difference.
pub fn check_accounts(accounts: &[Account], case: &Value) -> Result<(), String> {
    let expect = case["expect"].as_array().unwrap();
    if accounts.len() != expect.len() {
        return Err(format!(
            "{} accounts, expected {}",
            accounts.len(),
            expect.len()
        ));
    }
    let got: Vec<Value> = accounts.iter().map(account_fields).collect();
    let mut mapping = vec![usize::MAX; expect.len()];
    let mut used = vec![false; got.len()];
    for (i, want) in expect.iter().enumerate() {
        let Some(j) = (0..got.len())
            .find(|&j| !used[j] && fields_match(&got[j], want, case.get("also_accept"), i))
        else {
            return Err(format!("no account matches {want} among {got:?}"));
        };
        used[j] = true;
        mapping[i] = j;
    }
    for c in case["codes"].as_array().into_iter().flatten() {
        let i = c["account_index"].as_u64().unwrap() as usize;
        let account = &accounts[mapping[i]];
        let want = c["code"].as_str().unwrap();
        let got = match (c.get("unix_time"), c.get("counter")) {
            (Some(t), _) => account.code_at(t.as_u64().unwrap()),
            (None, Some(n)) => {
                let mut a = account.clone();
                a.kind = OtpKind::Hotp {
                    counter: n.as_u64().unwrap(),
                };
                a.code_at(0)
            }
            _ => return Err(format!("code entry without time or counter: {c}")),
        };
        if got != want {
            return Err(format!("code {c}: got {got}"));
        }
    }
    Ok(())
}

/// Runs `command` with `stdin` as its standard input and collects its
/// output. A command that exits before reading (EPIPE) is not an error.
pub fn run_with_stdin(command: &mut std::process::Command, stdin: &[u8]) -> std::process::Output {
    use std::io::Write;
    use std::process::Stdio;
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let _ = child.stdin.take().unwrap().write_all(stdin);
    child.wait_with_output().unwrap()
}
