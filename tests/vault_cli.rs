//! The vault commands through the built binary, on the password path with
//! no keyring (the session bus points at nothing) and cheap Argon2id
//! parameters (TESSERA_TEST_FAST_KDF, honoured by debug builds only; the
//! file records the parameters used).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::assert_ok;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

const PW: &str = "test password";

struct Env {
    dir: tempfile::TempDir,
}

impl Env {
    fn new() -> Self {
        Self {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    fn vault(&self) -> PathBuf {
        self.dir.path().join("data").join("vault.tessera")
    }

    fn cmd(&self, args: &[&str]) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_tessera"));
        c.args(args)
            .env("TESSERA_VAULT", self.vault())
            .env("TESSERA_TEST_FAST_KDF", "1")
            .env("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/bus")
            .env("RUST_LOG", "trace")
            .env_remove("DISPLAY")
            .env_remove("WAYLAND_DISPLAY");
        c
    }

    /// Runs with `stdin` as standard input.
    fn run(&self, args: &[&str], stdin: &str) -> Output {
        // The command may exit before reading (no vault): EPIPE is ignored.
        common::run_with_stdin(&mut self.cmd(args), stdin.as_bytes())
    }

    /// Runs with the password on stdin.
    fn pw(&self, args: &[&str]) -> Output {
        let mut all = vec!["--password-stdin"];
        all.extend_from_slice(args);
        self.run(&all, &format!("{PW}\n"))
    }

    fn init(&self) -> String {
        let out = self.pw(&["init"]);
        assert_ok(&out);
        recovery_key(&stdout(&out))
    }

    /// Every file of the vault folder, by name.
    fn snapshot(&self) -> BTreeMap<String, Vec<u8>> {
        std::fs::read_dir(self.vault().parent().unwrap())
            .unwrap()
            .map(|e| {
                let e = e.unwrap();
                (
                    e.file_name().to_string_lossy().into_owned(),
                    std::fs::read(e.path()).unwrap(),
                )
            })
            .collect()
    }
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[track_caller]
fn assert_fails(o: &Output, code: i32, needle: &str) {
    assert_eq!(
        o.status.code(),
        Some(code),
        "stdout: {}\nstderr: {}",
        stdout(o),
        stderr(o)
    );
    assert!(
        stderr(o).contains(needle),
        "stderr lacks {needle:?}: {}",
        stderr(o)
    );
}

fn recovery_key(text: &str) -> String {
    text.split_whitespace()
        .find(|w| w.len() == 39 && w.matches('-').count() == 7)
        .unwrap_or_else(|| panic!("no recovery key in {text}"))
        .to_string()
}

fn plain_code(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_tessera"))
        .arg("code")
        .args(args)
        .output()
        .unwrap();
    assert_ok(&out);
    stdout(&out)
}

#[test]
fn init_add_list_code_remove_rename() {
    let env = Env::new();
    let out = env.pw(&["list"]);
    assert_fails(&out, 1, "no vault at");
    env.init();
    assert_fails(&env.pw(&["init"]), 1, "already exists");

    assert_ok(&env.pw(&[
        "add",
        "--issuer",
        "GitHub",
        "--account",
        "me@example.com",
        "--secret",
        "JBSW Y3DP EHPK 3PXP",
    ]));
    assert_ok(&env.pw(&[
        "add",
        "--uri",
        "otpauth://totp/GitHub%20Enterprise:work?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&algorithm=SHA256&digits=8&period=60",
    ]));
    assert_ok(&env.pw(&[
        "add",
        "--issuer",
        "Bank",
        "--account",
        "",
        "--secret",
        "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ",
        "--type",
        "hotp",
        "--counter",
        "3",
    ]));
    // The same token under another label is not added twice.
    let dup = env.pw(&[
        "add",
        "--uri",
        "otpauth://totp/Other:someone?secret=JBSWY3DPEHPK3PXP&issuer=Other",
    ]);
    assert_ok(&dup);
    assert!(
        stdout(&dup).contains("already in the vault"),
        "{}",
        stdout(&dup)
    );

    let listed = env.pw(&["list", "--json"]);
    assert_ok(&listed);
    let doc: serde_json::Value = serde_json::from_slice(&listed.stdout).unwrap();
    let items = doc.as_array().unwrap();
    assert_eq!(items.len(), 3);
    for item in items {
        let obj = item.as_object().unwrap();
        assert!(obj.contains_key("id") && !obj.contains_key("secret") && !obj.contains_key("code"));
    }
    assert_eq!(items[0]["issuer"], "GitHub");
    assert_eq!(items[0]["account"], "me@example.com");
    assert_eq!(items[0]["type"], "totp");
    assert_eq!(items[0]["period"], 30);
    assert_eq!(items[1]["algorithm"], "SHA256");
    assert_eq!(items[1]["digits"], 8);
    assert_eq!(items[2]["type"], "hotp");
    assert_eq!(items[2]["counter"], 3);
    assert!(items[2]["period"].is_null());

    // code QUERY: same code as the key itself; exact name wins.
    let c = env.pw(&["code", "github", "--at", "1111111109"]);
    assert_ok(&c);
    assert_eq!(
        stdout(&c),
        plain_code(&["--secret", "JBSWY3DPEHPK3PXP", "--at", "1111111109"])
    );
    let n = env.pw(&["code", "ENTERPRISE", "--next", "--at", "1111111109"]);
    assert_eq!(
        stdout(&n),
        plain_code(&[
            "--next",
            "--at",
            "1111111109",
            "--secret",
            "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ",
            "--algorithm",
            "SHA256",
            "--digits",
            "8",
            "--period",
            "60"
        ])
    );
    let many = env.pw(&["code", "git"]);
    assert_fails(&many, 1, "matches 2 accounts");
    assert!(stderr(&many).contains("GitHub Enterprise (work)"));
    assert_fails(&env.pw(&["code", "nothing"]), 1, "no account matches");
    // QUERY and --secret are exclusive: a usage error.
    assert_eq!(
        env.pw(&["code", "github", "--secret", "JBSWY3DPEHPK3PXP"])
            .status
            .code(),
        Some(2)
    );

    // HOTP: each code advances the saved counter (RFC 4226 counts 3, 4, then 6).
    for expected in ["969429", "338314"] {
        let h = env.pw(&["code", "bank"]);
        assert_eq!(stdout(&h).trim(), expected);
    }
    assert_eq!(
        stdout(&env.pw(&["code", "bank", "--next"])).trim(),
        "287922"
    );
    let listed: serde_json::Value =
        serde_json::from_slice(&env.pw(&["list", "--json"]).stdout).unwrap();
    assert_eq!(listed[2]["counter"], 7);

    // rename
    assert_ok(&env.pw(&[
        "rename",
        "bank",
        "--issuer",
        "Savings",
        "--account",
        "joint",
    ]));
    let text = stdout(&env.pw(&["list"]));
    assert!(
        text.contains("Savings") && text.contains("joint") && !text.contains("Bank"),
        "{text}"
    );

    // remove: needs --yes without a terminal
    assert_fails(&env.pw(&["remove", "savings"]), 1, "--yes");
    assert_ok(&env.pw(&["remove", "savings", "--yes"]));
    let listed: serde_json::Value =
        serde_json::from_slice(&env.pw(&["list", "--json"]).stdout).unwrap();
    assert_eq!(listed.as_array().unwrap().len(), 2);
}

#[test]
fn import_takes_the_sources_of_scan() {
    let env = Env::new();
    env.init();
    let links = env.dir.path().join("links.txt");
    std::fs::write(
        &links,
        "otpauth://totp/A:one?secret=JBSWY3DPEHPK3PXP\notpauth://totp/B:two?secret=GEZDGNBVGY3TQOJQ\n",
    )
    .unwrap();
    let out = env.pw(&["import", links.to_str().unwrap()]);
    assert_ok(&out);
    assert!(
        stdout(&out).contains("2 added, 0 already"),
        "{}",
        stdout(&out)
    );
    let again = env.pw(&[
        "import",
        links.to_str().unwrap(),
        "otpauth://totp/C:three?secret=MFRGGZDFMZTWQ2LK",
    ]);
    assert_ok(&again);
    assert!(
        stdout(&again).contains("0 added, 2 already"),
        "{}",
        stdout(&again)
    );
    assert!(stdout(&again).contains("1 added"), "{}", stdout(&again));
    let missing = env.pw(&["import", "/nonexistent/file.png"]);
    assert_eq!(missing.status.code(), Some(1));
    let listed: serde_json::Value =
        serde_json::from_slice(&env.pw(&["list", "--json"]).stdout).unwrap();
    assert_eq!(listed.as_array().unwrap().len(), 3);
}

#[test]
fn add_type_steam_lists_and_codes_as_steam() {
    let env = Env::new();
    env.init();
    let key = "FMXNK4QEGKVPULRTADY6JIDK5VHUBGZW";
    let out = env.pw(&[
        "add",
        "--issuer",
        "Steam",
        "--account",
        "gaben",
        "--secret",
        key,
        "--type",
        "steam",
    ]);
    assert_ok(&out);
    let listed: serde_json::Value =
        serde_json::from_slice(&env.pw(&["list", "--json"]).stdout).unwrap();
    let mut a = listed[0].clone();
    let fields = a.as_object_mut().unwrap();
    fields.remove("id");
    // The dates are RFC 3339 in UTC (checked in tests/cli_output.rs).
    for date in ["created", "modified"] {
        let when = fields.remove(date).unwrap();
        assert!(when.as_str().is_some_and(|w| w.ends_with('Z')), "{when}");
    }
    assert_eq!(
        a,
        serde_json::json!({"type": "steam", "issuer": "Steam", "account": "gaben",
            "algorithm": "SHA1", "digits": 5, "period": 30})
    );
    let out = env.pw(&["list"]);
    assert!(
        stdout(&out).contains("Steam Guard 30 s, 5 characters, SHA1"),
        "{}",
        stdout(&out)
    );
    let out = env.pw(&["code", "gaben", "--at", "0"]);
    assert_ok(&out);
    assert_eq!(stdout(&out), "C5V56\n");
    // The same key as a 6-digit TOTP account is another account.
    let out = env.pw(&["add", "--issuer", "Steam", "--secret", key]);
    assert!(stdout(&out).starts_with("Added"), "{}", stdout(&out));
    let out = env.pw(&[
        "add", "--issuer", "Steam", "--secret", key, "--type", "steam",
    ]);
    assert!(stdout(&out).starts_with("Not added"), "{}", stdout(&out));
}

#[test]
fn first_add_creates_the_vault() {
    let env = Env::new();
    let out = env.pw(&[
        "add",
        "--issuer",
        "X",
        "--account",
        "y",
        "--secret",
        "JBSWY3DPEHPK3PXP",
    ]);
    assert_ok(&out);
    // The recovery key is shown (on stderr, stdout keeps the result).
    recovery_key(&stderr(&out));
    assert!(stdout(&out).starts_with("Added X (y)"));
    // Without keyring and password, creation fails and says how.
    let other = Env::new();
    let out = other.run(
        &["add", "--issuer", "X", "--secret", "JBSWY3DPEHPK3PXP"],
        "",
    );
    assert_fails(&out, 1, "--password-stdin");
    assert!(!other.vault().exists());
}

#[test]
fn wrong_password_changes_nothing() {
    let env = Env::new();
    env.init();
    assert_ok(&env.pw(&[
        "add",
        "--issuer",
        "H",
        "--secret",
        "GEZDGNBVGY3TQOJQ",
        "--type",
        "hotp",
    ]));
    let before = env.snapshot();
    for args in [
        vec!["list"],
        vec!["code", "h"],
        vec!["add", "--issuer", "Z", "--secret", "MFRGGZDFMZTWQ2LK"],
        vec!["remove", "h", "--yes"],
        vec!["rename", "h", "--issuer", "Q"],
        vec!["recovery"],
        vec!["passwd"],
    ] {
        let mut all = vec!["--password-stdin"];
        all.extend_from_slice(&args);
        let out = env.run(&all, "not the password\nnew password\n");
        assert_fails(&out, 1, "wrong password");
        assert!(stdout(&out).is_empty(), "{args:?}: {}", stdout(&out));
    }
    assert_eq!(env.snapshot(), before);
}

/// The core's new-password rule, reached by `init` and `passwd` with the
/// same message; nothing is created or changed.
#[test]
fn init_and_passwd_refuse_a_one_character_password() {
    const TOO_SHORT: &str = "the password is too short: use at least 8 characters";
    let env = Env::new();
    let out = env.run(&["--password-stdin", "init", "--no-keyring"], "x\n");
    assert_fails(&out, 1, TOO_SHORT);
    assert!(!env.vault().exists());
    let out = env.run(&["--password-stdin", "init"], "x\n");
    assert_fails(&out, 1, TOO_SHORT);
    assert!(!env.vault().exists());
    env.init();
    let before = env.snapshot();
    let out = env.run(&["--password-stdin", "passwd"], &format!("{PW}\nx\n"));
    assert_fails(&out, 1, TOO_SHORT);
    assert_eq!(env.snapshot(), before);
    // A new password of 8 characters (not bytes) is enough.
    assert_ok(&env.run(
        &["--password-stdin", "passwd"],
        &format!("{PW}\n密码密码密码密码\n"),
    ));
}

/// `export` reaches the core's rules: the new-password rule for encrypted
/// formats, no overwrite without --force, files 0600 in a new 0700 folder.
#[test]
fn export_applies_the_password_and_overwrite_rules() {
    const TOO_SHORT: &str = "the password is too short: use at least 8 characters";
    let env = Env::new();
    env.init();
    assert_ok(&env.pw(&["add", "--issuer", "A", "--secret", "JBSWY3DPEHPK3PXP"]));
    let pw_file = env.dir.path().join("pw.txt");
    std::fs::write(&pw_file, "x\n").unwrap();
    let out_file = env.dir.path().join("new").join("backup.tessera-backup");
    let export = |format: &str, force: bool| {
        let mut args = vec![
            "export",
            "--format",
            format,
            "--output",
            out_file.to_str().unwrap(),
            "--backup-password-file",
            pw_file.to_str().unwrap(),
        ];
        if force {
            args.push("--force");
        }
        env.pw(&args)
    };
    for format in ["tessera-backup", "aegis-encrypted"] {
        assert_fails(&export(format, false), 1, TOO_SHORT);
        assert!(!out_file.exists());
    }
    std::fs::write(&pw_file, "long enough\n").unwrap();
    assert_ok(&export("tessera-backup", false));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&out_file), 0o600);
        assert_eq!(mode(out_file.parent().unwrap()), 0o700);
    }
    let written = std::fs::read(&out_file).unwrap();
    assert_fails(&export("tessera-backup", false), 1, "add --force");
    assert_eq!(std::fs::read(&out_file).unwrap(), written);
    assert_ok(&export("tessera-backup", true));
}

#[test]
fn no_way_to_unlock_says_how() {
    let env = Env::new();
    env.init();
    let before = env.snapshot();
    let out = env.cmd(&["list"]).stdin(Stdio::null()).output().unwrap();
    assert_fails(&out, 1, "--password-stdin");
    assert!(stderr(&out).contains("cannot unlock"));
    assert_eq!(env.snapshot(), before);
}

#[test]
fn recovery_key_and_password_change() {
    let env = Env::new();
    let key = env.init();
    assert_ok(&env.pw(&["add", "--issuer", "A", "--secret", "JBSWY3DPEHPK3PXP"]));
    // The recovery key unlocks where the password is asked.
    let out = env.run(
        &["--password-stdin", "list"],
        &format!("{}\n", key.to_lowercase()),
    );
    assert_ok(&out);
    // passwd: current, then new; the data key rotates and the recovery key is renewed.
    let out = env.run(
        &["--password-stdin", "passwd"],
        &format!("{PW}\nsecond password\n"),
    );
    assert_ok(&out);
    let new_key = recovery_key(&stdout(&out));
    assert_ne!(new_key, key);
    assert_fails(&env.pw(&["list"]), 1, "wrong password");
    assert_fails(
        &env.run(&["--password-stdin", "list"], &format!("{key}\n")),
        1,
        "wrong",
    );
    assert_ok(&env.run(&["--password-stdin", "list"], "second password\n"));
    assert_ok(&env.run(&["--password-stdin", "list"], &format!("{new_key}\n")));
    // `recovery` renews the key again.
    let out = env.run(&["--password-stdin", "recovery"], "second password\n");
    assert_ok(&out);
    let third = recovery_key(&stdout(&out));
    assert_fails(
        &env.run(&["--password-stdin", "list"], &format!("{new_key}\n")),
        1,
        "wrong",
    );
    assert_ok(&env.run(&["--password-stdin", "list"], &format!("{third}\n")));
    // Keyring enable fails cleanly without a keyring and changes nothing.
    let before = env.snapshot();
    let out = env.run(
        &["--password-stdin", "keyring", "enable"],
        "second password\n",
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(env.snapshot(), before);
}

#[test]
fn damaged_vault_points_at_a_backup() {
    let env = Env::new();
    env.init();
    assert_ok(&env.pw(&["add", "--issuer", "A", "--secret", "JBSWY3DPEHPK3PXP"]));
    assert_ok(&env.pw(&["add", "--issuer", "B", "--secret", "GEZDGNBVGY3TQOJQ"]));
    let bytes = std::fs::read(env.vault()).unwrap();
    let mut bad = bytes.clone();
    let last = bad.len() - 1;
    bad[last] ^= 1;
    std::fs::write(env.vault(), &bad).unwrap();
    let out = env.pw(&["list"]);
    assert_fails(&out, 1, "newest backup that opens is");
    let backup = stderr(&out)
        .split_whitespace()
        .find(|w| w.contains(".bak"))
        .unwrap()
        .trim_end_matches(':')
        .to_string();
    let listed = env.run(
        &["--password-stdin", "--vault", &backup, "list", "--json"],
        &format!("{PW}\n"),
    );
    assert_ok(&listed);
    // Truncated: refused the same way.
    std::fs::write(env.vault(), &bytes[..bytes.len() - 20]).unwrap();
    assert_fails(&env.pw(&["list"]), 1, "cannot be opened");
}

/// A canary secret and account name never appear in any output (with
/// RUST_LOG=trace) nor in any file of the vault folder.
#[test]
fn canary_never_leaks() {
    const SECRET: &str = "KRSXG43FOJQWGYLOMFZHSMJSGM2DKNRX"; // "Tesseracanary1234567"
    const NAME: &str = "canary-account-7f3a";
    let env = Env::new();
    let mut outputs = vec![env.pw(&["init"])];
    let uri = format!("otpauth://totp/CanaryIssuer:{NAME}?secret={SECRET}");
    outputs.push(env.pw(&["add", "--uri", &uri]));
    outputs.push(env.pw(&["add", "--uri", &uri]));
    outputs.push(env.pw(&["code", "canary"]));
    outputs.push(env.pw(&["code", "nothing-matches"]));
    outputs.push(env.run(&["--password-stdin", "list"], "wrong\n"));
    outputs.push(env.pw(&["rename", "canary", "--issuer", "Renamed"]));
    outputs.push(env.run(&["--password-stdin", "passwd"], &format!("{PW}\n{PW}\n")));
    outputs.push(env.pw(&["remove", "renamed", "--yes"]));
    let secret_bytes = b"Tesseracanary1234567";
    let hex: String = secret_bytes.iter().map(|b| format!("{b:02x}")).collect();
    let forms = [SECRET.to_string(), SECRET.to_lowercase(), hex];
    for o in &outputs {
        for text in [stdout(o), stderr(o)] {
            for f in &forms {
                assert!(!text.contains(f.as_str()), "secret in output: {text}");
            }
            assert!(!text.contains("Tesseracanary"), "secret in output: {text}");
        }
    }
    let files = env.snapshot();
    assert!(files.len() >= 3, "{:?}", files.keys());
    for (name, bytes) in files {
        let text = String::from_utf8_lossy(&bytes);
        for needle in [SECRET, NAME, "CanaryIssuer", "Tesseracanary"] {
            assert!(!text.contains(needle), "{needle} in {name}");
        }
        assert!(!bytes.windows(secret_bytes.len()).any(|w| w == secret_bytes));
    }
}

#[test]
fn vault_path_option_beats_the_environment() {
    let env = Env::new();
    let other: PathBuf = env.dir.path().join("elsewhere.tessera");
    let out = env.run(
        &[
            "--password-stdin",
            "--vault",
            other.to_str().unwrap(),
            "init",
        ],
        &format!("{PW}\n"),
    );
    assert_ok(&out);
    assert!(other.exists());
    assert!(!Path::new(&env.vault()).exists());
}

/// Under umask 000 the folders Tessera creates are 0700 and every file it
/// writes (vault, lock, backup) 0600. The umask is set in a child shell
/// that then runs tessera: it is process-wide, and tests run as threads
/// of one process.
#[cfg(unix)]
#[test]
fn files_are_private_under_umask_000() {
    use std::os::unix::fs::PermissionsExt;
    let env = Env::new();
    let top = env.dir.path().join("new");
    let vault = top.join("sub").join("vault.tessera");
    let control = env.dir.path().join("control");
    let run = |args: &[&str]| {
        let mut shell = Command::new("sh");
        shell
            .arg("-c")
            .arg(r#"umask 000 && : > "$CONTROL" && exec "$0" "$@""#)
            .arg(env!("CARGO_BIN_EXE_tessera"))
            .args(["--vault", vault.to_str().unwrap(), "--password-stdin"])
            .args(args)
            .env("CONTROL", &control)
            .env("TESSERA_TEST_FAST_KDF", "1")
            .env("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/bus")
            .env_remove("DISPLAY")
            .env_remove("WAYLAND_DISPLAY");
        let out = common::run_with_stdin(&mut shell, format!("{PW}\n").as_bytes());
        assert_ok(&out);
    };
    run(&["init", "--no-keyring"]);
    run(&["add", "--issuer", "A", "--secret", "JBSWY3DPEHPK3PXP"]);
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    // The shell's own file shows the umask took effect.
    assert_eq!(mode(&control), 0o666);
    assert_eq!(mode(&top), 0o700);
    assert_eq!(mode(&top.join("sub")), 0o700);
    let files: Vec<PathBuf> = std::fs::read_dir(top.join("sub"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    let names: Vec<String> = files
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert!(names.iter().any(|n| n == "vault.tessera"), "{names:?}");
    assert!(
        names.iter().any(|n| n == ".vault.tessera.lock"),
        "{names:?}"
    );
    assert!(names.iter().any(|n| n.ends_with(".bak")), "{names:?}");
    for file in &files {
        assert_eq!(mode(file), 0o600, "{}", file.display());
    }
}
