//! `schemes`, `scheme show`, `scheme check`, and the command line itself.

mod common;

use common::{BAD_SCHEME, SCHEME, parscore};
use parscore::Scheme;
use predicates::prelude::*;

#[test]
fn schemes_lists_each_builtin_with_title_version_and_standing() {
    let output = parscore(["schemes"]).output().unwrap();
    assert!(output.status.success());
    let text = String::from_utf8(output.stdout).unwrap();
    let scheme = Scheme::builtin(SCHEME).unwrap();
    let line = text
        .lines()
        .find(|l| l.starts_with(SCHEME))
        .expect("the built-in scheme is listed");
    assert!(line.contains(scheme.version()), "{line}");
    assert!(line.contains("estimated"), "{line}");
    assert!(line.contains(scheme.title()), "{line}");
    assert_eq!(text.lines().count(), parscore::builtin_ids().count() + 1);

    let output = parscore(["schemes", "--format", "json"]).output().unwrap();
    let list: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(list[0]["id"], SCHEME);
    assert_eq!(list[0]["estimated"], true);
}

#[test]
fn scheme_show_prints_a_file_that_loads_back_to_the_same_scheme() {
    let builtin = Scheme::builtin(SCHEME).unwrap();
    for format in ["toml", "json"] {
        let output = parscore(["scheme", "show", SCHEME, "--format", format])
            .output()
            .unwrap();
        assert!(output.status.success());
        let text = String::from_utf8(output.stdout).unwrap();
        let loaded = Scheme::from_text(&text).unwrap();
        assert_eq!(loaded, builtin, "{format}");
    }
}

#[test]
fn scheme_show_and_check_read_scheme_files() {
    let scheme = Scheme::builtin(SCHEME).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("copy.json");
    let output = parscore(["scheme", "show", SCHEME, "--format", "json"])
        .output()
        .unwrap();
    std::fs::write(&path, &output.stdout).unwrap();
    parscore(["scheme", "show"])
        .arg(&path)
        .assert()
        .success()
        .stdout(predicate::str::starts_with("id = \"lang-son-snn-2024\""));
    parscore(["scheme", "check"])
        .arg(&path)
        .assert()
        .success()
        .stdout(predicate::str::diff(format!(
            "{}: ok ({} criteria, {} indicators, max {} points, estimated points)\n",
            path.display(),
            scheme.leaves().count(),
            scheme.indicators().len(),
            scheme.rounding().round(scheme.max_points()),
        )));
}

#[test]
fn scheme_check_lists_every_problem_with_file_line_column_and_code() {
    let output = parscore(["scheme", "check", BAD_SCHEME]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(output.stdout.is_empty());
    let stderr = String::from_utf8(output.stderr).unwrap();
    let lines: Vec<&str> = stderr.lines().collect();
    // The messages are the library's; the command's part is the file, line, column and code
    // in front of each, and the count.
    let places = [
        ("24:1: A.1: ", "on_tim"),
        ("30:1: A.1: ", "A.1"),
        ("41:26: A.3: ", "bands"),
        ("19:1: A: ", "max_points"),
    ];
    assert_eq!(lines.len(), places.len() + 1, "{stderr}");
    for (line, (place, mentions)) in lines.iter().zip(places) {
        let prefix = format!("{BAD_SCHEME}:{place}");
        assert!(
            line.starts_with(&prefix),
            "{line} should start with {prefix}"
        );
        assert!(line.contains(mentions), "{line} should mention {mentions}");
    }
    assert_eq!(lines[4], format!("parscore: {BAD_SCHEME}: 4 problems"));
}

#[test]
fn a_scheme_that_does_not_parse_names_its_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("broken.toml");
    std::fs::write(&path, "id = \"x\"\ntitle = \n").unwrap();
    let output = parscore(["scheme", "check"]).arg(&path).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.starts_with(&format!("{}:2:", path.display())),
        "{stderr}"
    );
}

#[test]
fn an_unknown_scheme_or_missing_scheme_file_is_a_usage_error() {
    parscore(["scheme", "show", "no-such-scheme"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicate::str::contains(
            "`no-such-scheme` is neither a built-in scheme (lang-son-snn-2024) nor a file",
        ));
    parscore(["scheme", "check", "missing.toml"])
        .assert()
        .code(2)
        .stderr(predicate::str::starts_with(
            "parscore: cannot read missing.toml: ",
        ));
}

#[test]
fn bad_usage_exits_2_and_help_exits_0() {
    parscore(["evaluate", "--scheme", SCHEME]).assert().code(2);
    parscore(["evaluate", "--format", "pdf", "--scheme", SCHEME, "x.csv"])
        .assert()
        .code(2);
    parscore(["frobnicate"]).assert().code(2);
    parscore(["--help"])
        .assert()
        .success()
        .stdout(predicate::str::contains("evaluate"));
    parscore(["--version"])
        .assert()
        .success()
        .stdout(predicate::str::starts_with("parscore "));
}
