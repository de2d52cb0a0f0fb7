//! The completions and the man page shipped in the Debian package are what
//! the binary generates (`tessera completions SHELL`, `tessera man`).
//! When this fails after a change to the options: run `scripts/shell-files`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::process::Command;

fn generated(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_tessera"))
        .args(args)
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "tessera {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[cfg(feature = "desktop")]
fn shipped(path: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The package is built with the default features; builds without `desktop`
/// word two options differently ("not in this build"). (`gui` changes no option.)
#[cfg(feature = "desktop")]
#[test]
fn shipped_completions_and_man_page_match_the_binary() {
    for (args, path) in [
        (
            &["completions", "bash"][..],
            "packaging/linux/completions/tessera.bash",
        ),
        (
            &["completions", "zsh"][..],
            "packaging/linux/completions/_tessera",
        ),
        (
            &["completions", "fish"][..],
            "packaging/linux/completions/tessera.fish",
        ),
        (&["man"][..], "packaging/linux/tessera.1"),
    ] {
        assert!(
            generated(args) == shipped(path),
            "{path} differs from `tessera {}`: run scripts/shell-files",
            args.join(" ")
        );
    }
}

#[test]
fn completions_know_the_commands_and_man_page_the_options() {
    let bash = generated(&["completions", "bash"]);
    for word in [
        "scan",
        "code",
        "import",
        "export",
        "--vault",
        "--password-stdin",
    ] {
        assert!(bash.contains(word), "bash completions lack {word}");
    }
    let man = generated(&["man"]);
    assert!(
        man.starts_with(".ie"),
        "not roff: {}",
        &man[..40.min(man.len())]
    );
    assert!(man.contains(".TH tessera 1"));
    assert!(man.contains("password\\-stdin"));
    // `man` is for packaging; it stays out of the help.
    let help = generated(&["--help"]);
    assert!(help.contains("completions") && !help.contains("\n  man "));
}
