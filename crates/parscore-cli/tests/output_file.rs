//! `--output`: what it names is written and never destroyed. A device or a FIFO is written
//! in place, a symlink through to its target (atomically, beside the target), and an output
//! that is one of the command's own files is refused. A failed or interrupted run leaves the
//! earlier file as it was and no `.partial` file behind.

mod common;

use std::os::unix::fs::FileTypeExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use common::{CSV, SCHEME, parscore, root};

/// `parscore evaluate --scheme lang-son-snn-2024 examples/data/units-2024.csv -f csv -o OUTPUT`.
fn evaluate_csv_to(output: &Path) -> Output {
    parscore(["evaluate", "--scheme", SCHEME, CSV, "-f", "csv", "-o"])
        .arg(output)
        .output()
        .unwrap()
}

/// What `evaluate -f csv` prints on standard output.
fn csv_text() -> Vec<u8> {
    let output = parscore(["evaluate", "--scheme", SCHEME, CSV, "-f", "csv"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    output.stdout
}

/// The names of the entries of `dir`, sorted.
fn entries(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// A character device like `/dev/{name}` (major 1, `minor`) made in `dir`, so that a test
/// never risks the machine's own; the machine's own when nodes cannot be made here (not
/// root), where no version of the command could replace it either.
fn device(dir: &Path, name: &str, minor: u32) -> PathBuf {
    let path = dir.join(name);
    let made = Command::new("mknod")
        .arg(&path)
        .args(["c", "1", &minor.to_string()])
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if made {
        path
    } else {
        PathBuf::from(format!("/dev/{name}"))
    }
}

fn stderr_of(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn an_output_onto_a_device_is_written_in_place() {
    let dir = tempfile::tempdir().unwrap();
    let null = device(dir.path(), "null", 3);
    let output = evaluate_csv_to(&null);
    assert_eq!(output.status.code(), Some(0), "{}", stderr_of(&output));
    let kind = std::fs::metadata(&null).unwrap().file_type();
    assert!(
        kind.is_char_device(),
        "{} is still a device",
        null.display()
    );
    let left: Vec<String> = entries(dir.path())
        .into_iter()
        .filter(|n| n != "null")
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

#[test]
fn a_device_that_refuses_the_bytes_is_a_write_error() {
    let dir = tempfile::tempdir().unwrap();
    let full = device(dir.path(), "full", 7);
    for format in ["csv", "json", "html"] {
        let output = parscore(["evaluate", "--scheme", SCHEME, CSV, "-f", format, "-o"])
            .arg(&full)
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2), "{format}");
        let stderr = stderr_of(&output);
        let line = format!("parscore: cannot write {}: ", full.display());
        assert!(
            stderr.lines().any(|l| l.starts_with(&line))
                && stderr.contains("No space left on device"),
            "{format}: {stderr}"
        );
        assert!(
            std::fs::metadata(&full)
                .unwrap()
                .file_type()
                .is_char_device()
        );
    }
}

#[test]
fn a_fifo_receives_the_output_and_stays_a_fifo() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("results.csv");
    assert!(
        Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    // The reader a FIFO waits for, as `parscore … -o pipe & cat pipe` would be.
    let reading = fifo.clone();
    let reader = std::thread::spawn(move || std::fs::read(reading));
    let output = evaluate_csv_to(&fifo);
    assert_eq!(output.status.code(), Some(0), "{}", stderr_of(&output));
    let kind = std::fs::symlink_metadata(&fifo).unwrap().file_type();
    assert!(kind.is_fifo(), "the FIFO was replaced");
    assert_eq!(reader.join().unwrap().unwrap(), csv_text());
    assert_eq!(entries(dir.path()), ["results.csv"]);
}

#[test]
fn a_symlink_is_followed_and_its_target_replaced_whole() {
    let dir = tempfile::tempdir().unwrap();
    let reports = dir.path().join("reports");
    std::fs::create_dir(&reports).unwrap();
    let target = reports.join("báo-cáo.csv");
    std::fs::write(&target, "an earlier report").unwrap();
    let link = dir.path().join("latest.csv");
    std::os::unix::fs::symlink("reports/báo-cáo.csv", &link).unwrap();

    let output = evaluate_csv_to(&link);
    assert_eq!(output.status.code(), Some(0), "{}", stderr_of(&output));
    assert!(std::fs::symlink_metadata(&link).unwrap().is_symlink());
    assert_eq!(std::fs::read(&target).unwrap(), csv_text());
    assert_eq!(entries(dir.path()), ["latest.csv", "reports"]);
    assert_eq!(entries(&reports), ["báo-cáo.csv"]);

    // A link to a file not yet there makes the file, and stays a link.
    let dangling = dir.path().join("next.csv");
    std::os::unix::fs::symlink("reports/next.csv", &dangling).unwrap();
    let output = evaluate_csv_to(&dangling);
    assert_eq!(output.status.code(), Some(0), "{}", stderr_of(&output));
    assert!(std::fs::symlink_metadata(&dangling).unwrap().is_symlink());
    assert_eq!(std::fs::read(reports.join("next.csv")).unwrap(), csv_text());
}

#[test]
fn an_existing_report_keeps_its_permissions() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("results.csv");
    std::fs::write(&path, "old").unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
    let output = evaluate_csv_to(&path);
    assert_eq!(output.status.code(), Some(0), "{}", stderr_of(&output));
    let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o640);
    // A new report is made as any new file is, readable by others (umask 022 here).
    let fresh = dir.path().join("fresh.csv");
    let output = Command::new("sh")
        .arg("-c")
        .arg("umask 022; exec \"$0\" \"$@\"")
        .arg(env!("CARGO_BIN_EXE_parscore"))
        .args(["evaluate", "--scheme", SCHEME, CSV, "-o"])
        .arg(&fresh)
        .current_dir(root())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr_of(&output));
    let mode = std::fs::metadata(&fresh).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o644);
}

#[test]
fn an_output_that_is_one_of_the_commands_files_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("đơn-vị.csv");
    std::fs::copy(root().join(CSV), &input).unwrap();
    let original = std::fs::read(&input).unwrap();
    let alias = dir.path().join("alias.csv");
    std::fs::hard_link(&input, &alias).unwrap();
    let link = dir.path().join("link.csv");
    std::os::unix::fs::symlink(&input, &link).unwrap();
    let scheme = dir.path().join("scheme.toml");
    let shown = parscore(["scheme", "show", SCHEME]).output().unwrap();
    std::fs::write(&scheme, &shown.stdout).unwrap();
    let scheme_text = std::fs::read(&scheme).unwrap();

    let refused = |args: Vec<&std::ffi::OsStr>, what: &str| {
        let output = parscore(&args).output().unwrap();
        let stderr = stderr_of(&output);
        assert_eq!(output.status.code(), Some(2), "{what}: {stderr}");
        assert!(output.stdout.is_empty(), "{what}");
        assert!(
            stderr.starts_with("parscore: ") && stderr.contains(what),
            "{what}: {stderr}"
        );
    };
    let os = |s: &'static str| std::ffi::OsStr::new(s);
    for output in [&input, &alias, &link] {
        refused(
            vec![
                os("evaluate"),
                os("--scheme"),
                os(SCHEME),
                input.as_os_str(),
                os("-o"),
                output.as_os_str(),
            ],
            "is an input",
        );
    }
    refused(
        vec![
            os("evaluate"),
            os("--scheme"),
            scheme.as_os_str(),
            input.as_os_str(),
            os("-f"),
            os("csv"),
            os("-o"),
            scheme.as_os_str(),
        ],
        "is the scheme",
    );
    assert_eq!(std::fs::read(&input).unwrap(), original);
    assert_eq!(std::fs::read(&scheme).unwrap(), scheme_text);
}

#[test]
fn an_output_that_is_a_records_file_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let records = dir.path().join("hồ-sơ.csv");
    std::fs::copy(
        root().join("examples/data/records/dossiers-2024.csv"),
        &records,
    )
    .unwrap();
    let mapping = dir.path().join("mapping.toml");
    std::fs::copy(root().join("examples/data/records/mapping.toml"), &mapping).unwrap();
    let profile = dir.path().join("profile.toml");
    std::fs::copy(
        root().join("examples/data/records/district-profile.toml"),
        &profile,
    )
    .unwrap();
    let saved: Vec<Vec<u8>> = [&records, &mapping, &profile]
        .iter()
        .map(|p| std::fs::read(p).unwrap())
        .collect();

    let check = |command: &mut assert_cmd::Command, what: &str| {
        let output = command.output().unwrap();
        let stderr = stderr_of(&output);
        assert_eq!(output.status.code(), Some(2), "{what}: {stderr}");
        assert!(stderr.contains(what), "{what}: {stderr}");
    };
    check(
        parscore(["records", "summarize", "-f", "csv"])
            .arg(&records)
            .arg("-o")
            .arg(&records),
        "is a records file",
    );
    check(
        parscore(["records", "summarize", "-f", "csv", "--profile"])
            .arg(&profile)
            .arg(&records)
            .arg("-o")
            .arg(&profile),
        "is the profile",
    );
    check(
        parscore(["evaluate", "--scheme", SCHEME, "-f", "csv", "--records"])
            .arg(&records)
            .arg("-o")
            .arg(&records),
        "is a records file",
    );
    check(
        parscore(["evaluate", "--scheme", SCHEME, "-f", "csv", "--mapping"])
            .arg(&mapping)
            .arg("--records")
            .arg(&records)
            .arg("-o")
            .arg(&mapping),
        "is the indicator map",
    );
    let after: Vec<Vec<u8>> = [&records, &mapping, &profile]
        .iter()
        .map(|p| std::fs::read(p).unwrap())
        .collect();
    assert_eq!(after, saved);
}

#[test]
fn records_summarize_writes_through_a_symlink_and_into_a_device() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("summary.csv");
    let link = dir.path().join("link.csv");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    parscore(["records", "summarize", "-f", "csv", "-o"])
        .arg(&link)
        .arg("examples/data/records/dossiers-2024.csv")
        .assert()
        .success();
    assert!(std::fs::symlink_metadata(&link).unwrap().is_symlink());
    assert!(
        std::fs::read_to_string(&target)
            .unwrap()
            .starts_with("unit,")
    );
    let null = device(dir.path(), "null", 3);
    parscore(["records", "summarize", "-o"])
        .arg(&null)
        .arg("examples/data/records/dossiers-2024.csv")
        .arg("-f")
        .arg("json")
        .assert()
        .success();
    assert!(
        std::fs::metadata(&null)
            .unwrap()
            .file_type()
            .is_char_device()
    );
}

#[test]
fn a_failed_write_keeps_the_earlier_report_and_leaves_nothing_behind() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("results.json");
    std::fs::write(&path, "an earlier report").unwrap();
    // Files may grow to 512 bytes only; the report is larger, so writing it fails (EFBIG,
    // with SIGXFSZ ignored) half way.
    let output = Command::new("sh")
        .arg("-c")
        .arg("trap '' XFSZ; ulimit -f 1; exec \"$0\" \"$@\"")
        .arg(env!("CARGO_BIN_EXE_parscore"))
        .args(["evaluate", "--scheme", SCHEME, CSV, "-o"])
        .arg(&path)
        .current_dir(root())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2), "{}", stderr_of(&output));
    let stderr = stderr_of(&output);
    let line = format!("parscore: cannot write {}: ", path.display());
    assert!(stderr.lines().any(|l| l.starts_with(&line)), "{stderr}");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "an earlier report");
    assert_eq!(entries(dir.path()), ["results.json"]);
}

/// `evaluate … -o path` reading its inputs from a standard input that stays open: the run
/// waits there, its output already begun beside `path`.
fn waiting_run(dir: &Path, path: &Path) -> std::process::Child {
    let mut child = Command::new(env!("CARGO_BIN_EXE_parscore"))
        .args(["evaluate", "--scheme", SCHEME, "-f", "json", "-", "-o"])
        .arg(path)
        .current_dir(root())
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while entries(dir).len() < 2 {
        if started.elapsed() > Duration::from_secs(20) {
            child.kill().ok();
            panic!(
                "no output begun beside {}: {:?}",
                path.display(),
                entries(dir)
            );
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child
}

#[test]
fn an_interrupted_run_leaves_no_partial_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("results.json");
    std::fs::write(&path, "an earlier report").unwrap();
    for signal in ["INT", "TERM", "HUP"] {
        let mut child = waiting_run(dir.path(), &path);
        // Held open until the run has ended: `wait` would close it, and the run would go on
        // to write its (empty) report.
        let stdin = child.stdin.take();
        let killed = Command::new("kill")
            .arg(format!("-{signal}"))
            .arg(child.id().to_string())
            .status()
            .unwrap();
        assert!(killed.success());
        let status = child.wait().unwrap();
        drop(stdin);
        assert_eq!(status.code(), Some(130), "{signal}: {status}");
        assert_eq!(entries(dir.path()), ["results.json"], "{signal}");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "an earlier report");
    }
}
