//! Shell completions and the man page, both generated from the clap
//! definition so they never drift from the real options. The packaged copies
//! (`packaging/linux/completions/`, `packaging/linux/tessera.1`) are made by
//! `scripts/shell-files` and checked against the binary by `tests/shell_files.rs`.

use std::io::Write;

use clap::CommandFactory;
use clap_complete::Shell;
use clap_mangen::Man;

use super::Cli;

/// Writes the completion script for `shell` (bash, zsh, fish, elvish, powershell).
pub fn completions(shell: Shell, out: &mut dyn Write) -> anyhow::Result<()> {
    let mut command = Cli::command();
    clap_complete::generate(shell, &mut command, "tessera", out);
    Ok(())
}

/// Writes the man page `tessera.1` (roff): one page with a COMMANDS section
/// giving each command's synopsis, description and options (clap_mangen
/// alone would point at one page per command, which are not shipped).
pub fn man(out: &mut dyn Write) -> anyhow::Result<()> {
    let cli = Cli::command();
    let page = Man::new(cli.clone());
    page.render_title(out)?;
    page.render_name_section(out)?;
    page.render_synopsis_section(out)?;
    page.render_description_section(out)?;
    page.render_options_section(out)?;
    writeln!(out, ".SH COMMANDS")?;
    for sub in cli.get_subcommands().filter(|s| !s.is_hide_set()) {
        let name = sub.get_name();
        let sub = sub.clone().bin_name(format!("tessera {name}"));
        let mut section = Vec::new();
        let part = Man::new(sub);
        part.render_synopsis_section(&mut section)?;
        part.render_description_section(&mut section)?;
        part.render_options_section(&mut section)?;
        writeln!(out, ".SS \"tessera {name}\"")?;
        // The parts' own headings (.SH SYNOPSIS, ...) become paragraph
        // breaks; the quote-string preamble is already in the title.
        for line in String::from_utf8_lossy(&section).lines() {
            if line.starts_with(".SH ") {
                writeln!(out, ".PP")?;
            } else if !line.starts_with(".ie \\n(.g .ds Aq") && !line.starts_with(".el .ds Aq") {
                writeln!(out, "{line}")?;
            }
        }
    }
    if cli.get_after_help().is_some() || cli.get_after_long_help().is_some() {
        page.render_extra_section(out)?;
    }
    page.render_version_section(out)?;
    Ok(())
}
