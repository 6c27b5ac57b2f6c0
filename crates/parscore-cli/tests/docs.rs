//! Every command in the guides (`docs/cli.md`, `docs/workbooks.md`, `docs/uncertainty.md`)
//! and the README's `cargo run -q -p parscore-cli -- …` lines runs, and exits as they say.
//!
//! The commands run in a scratch folder that sees the repository's `examples/`, so that the
//! files they write (`report.html`, `my-scheme.toml`, …) land there and not in the work tree.

mod common;

use std::process::Command;

use common::root;

const PREFIX: &str = "cargo run -q -p parscore-cli -- ";

/// A documented command: its arguments, where its standard output goes, its exit status.
struct Documented {
    line: String,
    args: Vec<String>,
    stdout_to: Option<String>,
    status: i32,
}

/// The files whose commands are run, in order: a guide may write a file the next one reads.
const DOCUMENTS: [&str; 4] = [
    "docs/cli.md",
    "docs/workbooks.md",
    "docs/uncertainty.md",
    "README.md",
];

fn documented() -> Vec<Documented> {
    let mut in_sh = false;
    let mut commands = Vec::new();
    let texts = DOCUMENTS.map(|file| std::fs::read_to_string(root().join(file)).unwrap());
    for line in texts.iter().flat_map(|text| text.lines()) {
        if line.starts_with("```") {
            in_sh = line == "```sh";
            continue;
        }
        let Some(rest) = line.strip_prefix(PREFIX).filter(|_| in_sh) else {
            continue;
        };
        let (command, status) = match rest.split_once("  # exits ") {
            Some((command, status)) => (command, status.trim().parse().unwrap()),
            None => (rest, 0),
        };
        let (command, stdout_to) = match command.split_once(" > ") {
            Some((command, file)) => (command, Some(file.trim().to_string())),
            None => (command, None),
        };
        commands.push(Documented {
            line: line.to_string(),
            args: words(command),
            stdout_to,
            status,
        });
    }
    commands
}

/// Shell words: split on spaces, except inside double quotes.
fn words(command: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut quoted = false;
    for c in command.chars() {
        match c {
            '"' => quoted = !quoted,
            ' ' if !quoted => {
                if !word.is_empty() {
                    words.push(std::mem::take(&mut word));
                }
            }
            _ => word.push(c),
        }
    }
    if !word.is_empty() {
        words.push(word);
    }
    words
}

#[test]
fn every_command_of_the_guide_runs_as_documented() {
    let commands = documented();
    assert!(commands.len() >= 15, "found {} commands", commands.len());
    let dir = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(root().join("examples"), dir.path().join("examples")).unwrap();
    for command in commands {
        let output = Command::new(env!("CARGO_BIN_EXE_parscore"))
            .current_dir(dir.path())
            .args(&command.args)
            .output()
            .unwrap();
        assert_eq!(
            output.status.code(),
            Some(command.status),
            "{}\n{}",
            command.line,
            String::from_utf8_lossy(&output.stderr)
        );
        if let Some(file) = command.stdout_to {
            std::fs::write(dir.path().join(file), &output.stdout).unwrap();
        }
    }
    for written in [
        "report.html",
        "report.md",
        "results.xlsx",
        "my-scheme.json",
        "my-scheme.xlsx",
        "from-workbook.toml",
        "nhap-lieu.xlsx",
        "tu-danh-gia.xlsx",
        "sensitivity.html",
        "sensitivity.xlsx",
    ] {
        assert!(dir.path().join(written).is_file(), "{written}");
    }
}

#[test]
fn shell_words_keep_quoted_spaces() {
    assert_eq!(
        words("explain --unit \"Sở NN&PTNT\" a.csv"),
        ["explain", "--unit", "Sở NN&PTNT", "a.csv"]
    );
}
