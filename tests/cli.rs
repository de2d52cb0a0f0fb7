//! The CLI contract, through the built binary: `scan --json`, `code`,
//! exit statuses, and that secrets stay out of messages.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::process::{Command, Output};

use serde_json::Value;

fn tessera(args: &[&str]) -> Output {
    tessera_stdin(args, None)
}

fn tessera_stdin(args: &[&str], stdin: Option<&[u8]>) -> Output {
    common::run_with_stdin(
        Command::new(env!("CARGO_BIN_EXE_tessera"))
            .args(args)
            .env_remove("DISPLAY")
            .env_remove("WAYLAND_DISPLAY"),
        stdin.unwrap_or_default(),
    )
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

const RFC_SHA1: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

#[test]
fn code_from_a_key_at_a_time() {
    let o = tessera(&["code", "--at", "59", "--secret", RFC_SHA1, "--digits", "8"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stdout(&o), "94287082\n");
    let o = tessera(&["code", "--at", "59", "--next", "--secret", RFC_SHA1]);
    // The step after t=59 is T=2 (t=60..89): HOTP(2) of the RFC key.
    assert_eq!(stdout(&o), "359152\n");
    // Keys as people type them.
    let a = tessera(&[
        "code",
        "--at",
        "1111111109",
        "--secret",
        "gezd gnbv-gy3t qojq gezd gnbv gy3t qojq",
    ]);
    assert_eq!(stdout(&a), "081804\n");
}

#[test]
fn code_algorithms_types_and_links() {
    let sha256 = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQGEZA";
    let o = tessera(&[
        "code",
        "--at",
        "1234567890",
        "--secret",
        sha256,
        "--algorithm",
        "sha256",
        "--digits",
        "8",
    ]);
    assert_eq!(stdout(&o), "91819424\n");
    let o = tessera(&[
        "code",
        "--secret",
        RFC_SHA1,
        "--type",
        "hotp",
        "--counter",
        "9",
    ]);
    assert_eq!(stdout(&o), "520489\n");
    let o = tessera(&[
        "code",
        "--secret",
        RFC_SHA1,
        "--type",
        "hotp",
        "--counter",
        "9",
        "--next",
    ]);
    assert_eq!(stdout(&o), "403154\n"); // HOTP(10) of the RFC key
    let uri = format!("otpauth://totp/ACME:me?secret={RFC_SHA1}&digits=8&period=60");
    let o = tessera(&["code", "--at", "119", "--uri", &uri]);
    assert_eq!(stdout(&o), "94287082\n");
    // The key or link can come from stdin, out of the process list.
    let o = tessera_stdin(
        &["code", "--at", "59", "--secret", "-"],
        Some(format!("{RFC_SHA1}\n").as_bytes()),
    );
    assert_eq!(stdout(&o), "287082\n");
}

#[test]
fn code_refusals_exit_1_with_a_message_and_no_secret() {
    let canary = "CANARYSECRETQQQQ";
    for args in [
        vec!["code", "--secret", "0189!"],
        vec!["code", "--secret", ""],
        vec!["code", "--secret", canary, "--digits", "12"],
        vec!["code", "--secret", canary, "--period", "0"],
        vec!["code", "--secret", canary, "--algorithm", "MD5"],
        vec!["code", "--secret", canary, "--counter", "3"],
    ] {
        let o = tessera(&args);
        assert_eq!(o.status.code(), Some(1), "{args:?}");
        let err = stderr(&o);
        assert!(err.starts_with("tessera: "), "{args:?}: {err}");
        assert!(
            !err.contains(canary) && stdout(&o).is_empty(),
            "{args:?}: {err}"
        );
    }
    let uri = format!("otpauth://totp/x?secret={canary}&digits=12");
    let o = tessera(&["code", "--uri", &uri]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("digits") && !stderr(&o).contains(canary));
}

#[test]
fn usage_errors_exit_2() {
    assert_eq!(tessera(&["scan"]).status.code(), Some(2));
    assert_eq!(tessera(&["code"]).status.code(), Some(2));
    assert_eq!(
        tessera(&["code", "--uri", "x", "--secret", "y"])
            .status
            .code(),
        Some(2)
    );
    assert_eq!(tessera(&["scan", "--at", "-5", "x"]).status.code(), Some(2));
    assert_eq!(tessera(&["frobnicate"]).status.code(), Some(2));
}

#[test]
fn version_and_help() {
    let o = tessera(&["--version"]);
    assert_eq!(
        stdout(&o),
        format!("tessera {}\n", env!("CARGO_PKG_VERSION"))
    );
    let o = tessera(&["--help"]);
    assert!(stdout(&o).contains("Examples:") && stdout(&o).contains("tessera scan"));
}

#[test]
fn scan_json_is_one_array_in_source_order() {
    let good = format!("otpauth://totp/ACME:me%40x.org?secret={RFC_SHA1}&issuer=ACME");
    let hotp = format!("otpauth://hotp/H:h?secret={RFC_SHA1}&counter=3&digits=6");
    let o = tessera(&["scan", "--json", "--at", "59", &good, &hotp]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let doc: Value = serde_json::from_str(&stdout(&o)).unwrap();
    let arr = doc.as_array().unwrap();
    assert_eq!(arr.len(), 2);
    // A link holds its key: the source is named, never quoted.
    assert_eq!(arr[0]["source"], "(link)");
    assert_eq!(
        arr[0]["accounts"][0],
        serde_json::json!({"type": "totp", "issuer": "ACME", "account": "me@x.org", "secret": RFC_SHA1,
            "algorithm": "SHA1", "digits": 6, "period": 30, "code": "287082"})
    );
    assert_eq!(arr[0]["errors"], serde_json::json!([]));
    assert_eq!(
        arr[1]["accounts"][0],
        serde_json::json!({"type": "hotp", "issuer": "H", "account": "h", "secret": RFC_SHA1,
            "algorithm": "SHA1", "digits": 6, "counter": 3, "code": "969429"})
    );
}

#[test]
fn scan_reports_each_source_and_exits_1_on_any_error() {
    let dir = tempfile::tempdir().unwrap();
    let list = dir.path().join("links.txt");
    std::fs::write(&list, format!("otpauth://totp/A:a?secret={RFC_SHA1}\r\n\notpauth://totp/B:b?secret={RFC_SHA1}&period=60\n")).unwrap();
    let missing = dir.path().join("missing.png");
    let o = tessera_stdin(
        &[
            "scan",
            "--json",
            list.to_str().unwrap(),
            missing.to_str().unwrap(),
            "-",
        ],
        Some(b"hello"),
    );
    assert_eq!(o.status.code(), Some(1));
    let doc: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(doc[0]["accounts"].as_array().unwrap().len(), 2);
    assert_eq!(doc[1]["errors"][0]["code"], "unreadable_file");
    assert_eq!(doc[2]["source"], "-");
    assert_eq!(doc[2]["errors"][0]["code"], "not_otpauth");
    // The readable table shows codes, never secrets.
    let o = tessera(&["scan", "--at", "59", list.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0));
    let table = stdout(&o);
    assert!(
        table.contains("287 082") && !table.contains(RFC_SHA1),
        "{table}"
    );
}

#[test]
fn scan_images_through_the_binary() {
    let Some(fixtures) = common::qr_fixtures() else {
        return;
    };
    let path = |f: &str| fixtures.join(f).to_str().unwrap().to_string();
    let (basic, batch, zero, bomb) = (
        path("clean_basic.png"),
        path("migration_batch-3.png"),
        path("invalid_zero-byte.png"),
        path("invalid_bomb-100000x100000.png"),
    );
    let o = tessera(&["scan", "--json", "--at", "59", &basic, &batch]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let doc: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(doc[0]["accounts"][0]["code"], "556023");
    assert_eq!(doc[1]["accounts"].as_array().unwrap().len(), 3);
    let o = tessera(&["scan", "--json", &zero, &bomb]);
    assert_eq!(o.status.code(), Some(1));
    let doc: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(doc[0]["errors"][0]["code"], "corrupt_image");
    assert_eq!(doc[1]["errors"][0]["code"], "image_too_large");
    // Image format comes from the bytes, not the name.
    let dir = tempfile::tempdir().unwrap();
    let renamed = dir.path().join("renamed.txt");
    std::fs::copy(&basic, &renamed).unwrap();
    let o = tessera(&["scan", "--json", renamed.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0));
}

#[test]
fn no_display_says_so_in_one_line() {
    let o = tessera(&[]);
    if cfg!(feature = "gui") {
        assert_eq!(o.status.code(), Some(1));
        let err = stderr(&o);
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(err.contains("display") && err.contains("--help"), "{err}");
    } else {
        assert_eq!(o.status.code(), Some(1));
        assert!(stderr(&o).contains("--help"));
    }
}

/// Two QR codes side by side on a white canvas, as one PNG.
fn two_codes_png(left: &str, right: &str) -> Vec<u8> {
    use image::{GrayImage, Luma};
    use qrcode::{Color, QrCode};
    const SCALE: u32 = 6;
    let draw = |text: &str| {
        let code = QrCode::new(text.as_bytes()).unwrap();
        let side = u32::try_from(code.width()).unwrap();
        let colors = code.to_colors();
        GrayImage::from_fn(side * SCALE, side * SCALE, |x, y| {
            let i = (y / SCALE * side + x / SCALE) as usize;
            Luma([if colors[i] == Color::Dark { 0 } else { 255 }])
        })
    };
    let (a, b) = (draw(left), draw(right));
    let margin = 40;
    let width = a.width() + b.width() + 3 * margin;
    let height = a.height().max(b.height()) + 2 * margin;
    let mut canvas = GrayImage::from_pixel(width, height, Luma([255]));
    image::imageops::replace(&mut canvas, &a, i64::from(margin), i64::from(margin));
    image::imageops::replace(
        &mut canvas,
        &b,
        i64::from(2 * margin + a.width()),
        i64::from(margin),
    );
    let mut png = Vec::new();
    canvas
        .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .unwrap();
    png
}

#[test]
fn an_account_beside_a_web_link_in_one_image_exits_0_with_a_skipped_entry() {
    let dir = tempfile::tempdir().unwrap();
    let both = dir.path().join("both.png");
    let link = format!("otpauth://totp/ACME:me?secret={RFC_SHA1}");
    std::fs::write(&both, two_codes_png(&link, "https://example.com/setup")).unwrap();
    let o = tessera(&["scan", "--json", "--at", "59", both.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    let doc: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(doc[0]["accounts"].as_array().unwrap().len(), 1);
    assert_eq!(doc[0]["accounts"][0]["issuer"], "ACME");
    assert_eq!(doc[0]["errors"], serde_json::json!([]));
    assert_eq!(doc[0]["skipped"].as_array().unwrap().len(), 1);
    assert_eq!(doc[0]["skipped"][0]["code"], "not_otpauth");
    assert!(
        doc[0]["skipped"][0]["message"]
            .as_str()
            .unwrap()
            .contains("web link")
    );
    // Only foreign codes: still errors, exit 1.
    let foreign = dir.path().join("foreign.png");
    std::fs::write(
        &foreign,
        two_codes_png("https://example.com/a", "hello there"),
    )
    .unwrap();
    let o = tessera(&["scan", "--json", foreign.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let doc: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(doc[0]["errors"].as_array().unwrap().len(), 2);
    assert_eq!(doc[0]["errors"][0]["code"], "not_otpauth");
    assert_eq!(doc[0]["skipped"], serde_json::json!([]));
}

#[test]
fn skipped_is_always_present_and_duplicates_are_counted() {
    let link = format!("otpauth://totp/A:a?secret={RFC_SHA1}");
    let o = tessera(&["scan", "--json", &link]);
    assert_eq!(o.status.code(), Some(0));
    let doc: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(doc[0]["skipped"], serde_json::json!([]));
    let three = format!("{link}\n{link}\n{link}\n");
    let o = tessera_stdin(&["scan", "--json", "-"], Some(three.as_bytes()));
    assert_eq!(o.status.code(), Some(0));
    let doc: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(doc[0]["accounts"].as_array().unwrap().len(), 1);
    assert_eq!(doc[0]["skipped"].as_array().unwrap().len(), 2);
    assert_eq!(doc[0]["skipped"][0]["code"], "duplicate");
    let o = tessera_stdin(&["scan", "-"], Some(three.as_bytes()));
    assert_eq!(o.status.code(), Some(0));
    assert!(
        stdout(&o).contains("2 duplicates skipped"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn a_web_link_argument_is_not_otpauth_not_a_missing_file() {
    let o = tessera(&["scan", "--json", "http://example.com/x"]);
    assert_eq!(o.status.code(), Some(1));
    let doc: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(doc[0]["errors"][0]["code"], "not_otpauth");
    let message = doc[0]["errors"][0]["message"].as_str().unwrap();
    assert!(message.contains("web link"), "{message}");
}

#[test]
fn text_naming_a_scheme_is_not_otpauth_on_stdin_too() {
    let o = tessera_stdin(
        &["scan", "--json", "-"],
        Some(b"NOT A otpauth-migration:// URL"),
    );
    assert_eq!(o.status.code(), Some(1));
    let doc: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(doc[0]["errors"][0]["code"], "not_otpauth");
    let message = doc[0]["errors"][0]["message"].as_str().unwrap();
    assert!(message.starts_with("this is text"), "{message}");
}

#[test]
fn a_duplicated_parameter_has_its_own_code() {
    let link = format!("otpauth://totp/A:a?secret={RFC_SHA1}&algorithm=SHA1&algorithm=SHA256");
    let o = tessera(&["scan", "--json", &link]);
    assert_eq!(o.status.code(), Some(1));
    let doc: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(doc[0]["errors"][0]["code"], "duplicate_parameter");
}

/// A key typed into the wrong place (stdin, a mistyped link, a parameter)
/// is described in errors, never echoed: not in the CLI's messages, not
/// in `scan --json`.
#[test]
fn errors_describe_the_input_and_never_quote_a_key() {
    let canary = "JBSWY3DPEHPK3PXPCANARY";
    let cases: Vec<(Vec<String>, Option<Vec<u8>>)> = vec![
        (
            vec!["scan".into(), "-".into()],
            Some(canary.as_bytes().to_vec()),
        ),
        (
            vec!["scan".into(), "--json".into(), "-".into()],
            Some(canary.as_bytes().to_vec()),
        ),
        (
            vec!["scan".into(), "--json".into(), "-".into()],
            Some(format!("https://example.com/setup?secret={canary}").into_bytes()),
        ),
        (
            vec![
                "scan".into(),
                "--json".into(),
                format!("otpauth://totp/x?secret=JBSWY3DPEHPK3PXP&algorithm={canary}"),
            ],
            None,
        ),
        (
            vec![
                "code".into(),
                "--uri".into(),
                format!("otpath://totp/x?secret={canary}"),
            ],
            None,
        ),
        (
            vec![
                "code".into(),
                "--uri".into(),
                format!("otpauth://{canary}/x?secret=JBSWY3DPEHPK3PXP"),
            ],
            None,
        ),
    ];
    for (args, stdin) in cases {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let o = tessera_stdin(&args, stdin.as_deref());
        assert_eq!(o.status.code(), Some(1), "{args:?}");
        let all = format!("{}{}", stdout(&o), stderr(&o));
        assert!(!all.contains("CANARY"), "{args:?} echoed the input: {all}");
    }
}

/// The process lowers its core-file limit to 0 at start (an unlocked
/// vault's keys must not end up in a core file).
#[cfg(target_os = "linux")]
#[test]
fn core_files_are_off_in_the_running_process() {
    use std::io::Write;
    use std::process::Stdio;
    // `code --secret -` waits for the key on stdin: the process is alive.
    let mut child = Command::new(env!("CARGO_BIN_EXE_tessera"))
        .args(["code", "--secret", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let limits_path = format!("/proc/{}/limits", child.id());
    let mut core_line = String::new();
    for _ in 0..200 {
        let limits = std::fs::read_to_string(&limits_path).unwrap_or_default();
        core_line = limits
            .lines()
            .find(|l| l.starts_with("Max core file size"))
            .unwrap_or_default()
            .to_string();
        // The limit is set first thing in main; wait until main has run.
        if core_line.split_whitespace().nth(4) == Some("0") {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(RFC_SHA1.as_bytes()).unwrap();
    drop(stdin);
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{out:?}");
    assert_eq!(
        core_line.split_whitespace().nth(4),
        Some("0"),
        "soft limit: {core_line}"
    );
}

/// A key given where a file name goes is not echoed either.
#[test]
fn a_bare_word_that_is_no_file_is_described() {
    let o = tessera(&["scan", "--json", "JBSWY3DPEHPK3PXPCANARY"]);
    assert_eq!(o.status.code(), Some(1));
    let all = format!("{}{}", stdout(&o), stderr(&o));
    assert!(!all.contains("CANARY"), "{all}");
    let doc: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(doc[0]["source"], "(argument of 22 characters)");
    assert_eq!(doc[0]["errors"][0]["code"], "unreadable_file");
    // A missing file with a path or an extension is named as given.
    let o = tessera(&["scan", "--json", "missing-shot.png"]);
    assert!(stdout(&o).contains("missing-shot.png"));
}

/// `tessera LINK` (no command) takes only an otpauth or
/// otpauth-migration link; anything else is a usage error that never
/// echoes the argument (it could be a key).
#[test]
fn a_bare_argument_must_be_a_link() {
    let o = tessera(&["JBSWY3DPEHPK3PXPJBSW"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("otpauth://"), "{}", stderr(&o));
    assert!(!stderr(&o).contains("JBSWY3DP"), "{}", stderr(&o));
    // A link with a line break cannot be handed over in one piece.
    let o = tessera(&["otpauth://totp/a?secret=JBSWY3DPEHPK3PXP\nx"]);
    assert_eq!(o.status.code(), Some(2));
    // A valid link goes on to the app, which needs a display here.
    let o = tessera(&["otpauth://totp/ACME:me?secret=JBSWY3DPEHPK3PXP"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(!stderr(&o).contains("JBSWY3DP"), "{}", stderr(&o));
}

#[test]
fn steam_guard_codes_from_a_key_and_links() {
    // pyotp's Steam vector (pyauth/pyotp test.py).
    let key = "FMXNK4QEGKVPULRTADY6JIDK5VHUBGZW";
    let o = tessera(&["code", "--at", "0", "--secret", key, "--type", "steam"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(stdout(&o), "C5V56\n");
    let o = tessera(&[
        "code", "--at", "0", "--next", "--secret", key, "--type", "steam",
    ]);
    assert_eq!(stdout(&o), "QJY8Y\n");
    // Its fixed parameters may be spelled out, not changed.
    let o = tessera(&[
        "code", "--at", "0", "--secret", key, "--type", "steam", "--digits", "5",
    ]);
    assert_eq!(stdout(&o), "C5V56\n");
    let o = tessera(&[
        "code", "--at", "0", "--secret", key, "--type", "steam", "--digits", "6",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("fixed parameters"), "{}", stderr(&o));
    // KeePassXC's link (tests/TestTotp.cpp) and its code from a Steam app.
    let link = "otpauth://totp/test:test@example.com?secret=63BEDWCQZKTQWPESARIERL5DTTQFCJTK&issuer=Valve&algorithm=SHA1&digits=5&period=30&encoder=steam";
    let o = tessera(&["code", "--at", "1511200518", "--uri", link]);
    assert_eq!(stdout(&o), "FR8RV\n");
}

#[test]
fn scan_json_shows_steam_accounts_in_the_documented_shape() {
    let link = "otpauth://steam/Boeing:Sophia?secret=JRZCL47CMXVOQMNPZR2F7J4RGI&issuer=Boeing&algorithm=SHA1&digits=5&period=30";
    let o = tessera(&["scan", "--json", "--at", "0", link]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
    let a = &v[0]["accounts"][0];
    for (field, want) in [
        ("type", Value::from("steam")),
        ("issuer", Value::from("Boeing")),
        ("account", Value::from("Sophia")),
        ("secret", Value::from("JRZCL47CMXVOQMNPZR2F7J4RGI")),
        ("algorithm", Value::from("SHA1")),
        ("digits", Value::from(5)),
        ("period", Value::from(30)),
    ] {
        assert_eq!(a[field], want, "{field}: {a}");
    }
    assert!(a.get("counter").is_none(), "{a}");
    let code = a["code"].as_str().unwrap();
    assert_eq!(code.len(), 5);
    assert!(
        code.chars()
            .all(|c| "23456789BCDFGHJKMNPQRTVWXY".contains(c))
    );
    // The same code as `tessera code` of the link.
    let o = tessera(&["code", "--at", "0", "--uri", link]);
    assert_eq!(stdout(&o).trim(), code);
}
