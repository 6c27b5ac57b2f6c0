//! The HTML of `compare` and `records track` as a browser shows it: headless Chromium builds
//! each page's DOM (the charts' elements are there, the text is Vietnamese) and draws it (the
//! bars and lines show in their colours).
//!
//! Without Chromium the test says so and passes, unless `PARSCORE_REQUIRE_CHROMIUM=1` (as in
//! CI); `PARSCORE_CHROMIUM` names the browser binary, as for `tests/chromium.rs`.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{SCHEME, parscore};

const TIMEOUT: Duration = Duration::from_secs(120);

fn chromium() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("PARSCORE_CHROMIUM") {
        return Some(PathBuf::from(path));
    }
    let found = std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .flat_map(|dir| ["chromium", "chromium-browser"].map(|name| dir.join(name)))
            .find(|candidate| candidate.is_file())
    });
    if found.is_none() {
        assert!(
            std::env::var("PARSCORE_REQUIRE_CHROMIUM").as_deref() != Ok("1"),
            "PARSCORE_REQUIRE_CHROMIUM=1 but no chromium or chromium-browser on the PATH"
        );
        eprintln!(
            "skipped: no chromium on the PATH (set PARSCORE_REQUIRE_CHROMIUM=1 to require it)"
        );
    }
    found
}

/// Runs the browser headless on `page` with `args`, within a time limit; its standard output.
fn browse(browser: &Path, profile: &Path, args: &[String], page: &Path) -> Vec<u8> {
    let mut child = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--no-first-run",
            "--hide-scrollbars",
            "--force-device-scale-factor=1",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(args)
        .arg(format!("file://{}", page.display()))
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("{} does not start: {e}", browser.display()));
    let mut stdout = child.stdout.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut stdout, &mut bytes).map(|_| bytes)
    });
    let started = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            assert!(status.success(), "chromium {args:?} exited with {status}");
            break;
        }
        if started.elapsed() > TIMEOUT {
            child.kill().ok();
            panic!("chromium {args:?} took more than {TIMEOUT:?}");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    reader.join().unwrap().unwrap()
}

/// The page's DOM as the browser built it, and how many pixels of each colour it drew.
fn show(browser: &Path, dir: &Path, page: &Path, colours: &[[u8; 3]]) -> (String, Vec<usize>) {
    let profile = dir.join("profile");
    let dom = String::from_utf8(browse(browser, &profile, &["--dump-dom".into()], page)).unwrap();
    let shot = dir.join("page.png");
    browse(
        browser,
        &profile,
        &[
            format!("--screenshot={}", shot.display()),
            "--window-size=1000,3000".into(),
        ],
        page,
    );
    let mut decoder = png::Decoder::new(std::io::Cursor::new(std::fs::read(&shot).unwrap()));
    decoder.set_transformations(png::Transformations::normalize_to_color8());
    let mut reader = decoder.read_info().unwrap();
    let mut buffer = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buffer).unwrap();
    let pixels: Vec<[u8; 3]> = buffer[..info.buffer_size()]
        .chunks(info.color_type.samples())
        .map(|p| [p[0], p[1], p[2]])
        .collect();
    let counts = colours
        .iter()
        .map(|c| {
            pixels
                .iter()
                .filter(|p| p.iter().zip(c).all(|(a, b)| a.abs_diff(*b) <= 4))
                .count()
        })
        .collect();
    (dom, counts)
}

#[test]
fn the_comparison_and_the_tracking_render_in_chromium() {
    let Some(browser) = chromium() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();

    let page = dir.path().join("compare.html");
    parscore([
        "compare",
        "--scheme",
        SCHEME,
        "examples/data/units-2024.csv",
        "examples/data/units-2025.csv",
        "-q",
        "--output",
    ])
    .arg(&page)
    .assert()
    .success();
    let green = [0x2E, 0x7D, 0x32];
    let red = [0xE5, 0x39, 0x35];
    let (dom, counts) = show(&browser, dir.path(), &page, &[green, red]);
    assert!(dom.contains("<h1>So sánh Chỉ số CCHC</h1>"));
    assert_eq!(dom.matches("<svg class=\"area-change\"").count(), 4);
    assert_eq!(dom.matches("<g class=\"move ").count(), 4);
    assert!(
        dom.contains("<td class=\"num up\">+17,20</td>"),
        "Thủy lợi's rise"
    );
    // Bars gained and lost, and the rank lines, in their colours.
    assert!(counts[0] > 500, "green: {counts:?}");
    assert!(counts[1] > 500, "red: {counts:?}");

    let page = dir.path().join("track.html");
    parscore([
        "records",
        "track",
        "--scheme",
        SCHEME,
        "--as-of",
        "2025-06-30",
        "examples/data/records/dossiers-2024.csv",
        "examples/data/records/dossiers-2025-h1.csv",
        "-q",
        "--output",
    ])
    .arg(&page)
    .assert()
    .success();
    let line = [0x0B, 0x3D, 0x91];
    let (dom, counts) = show(&browser, dir.path(), &page, &[line]);
    assert!(dom.contains("Theo dõi chỉ tiêu trong năm từ hồ sơ TTHC"));
    // Four rates a unit, five units.
    assert_eq!(dom.matches("<svg class=\"trend\"").count(), 20);
    assert!(counts[0] > 1_000, "the year-to-date lines: {counts:?}");
}
