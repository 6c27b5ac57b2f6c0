//! The HTML report as a browser shows it: headless Chromium loads the file, and the DOM it
//! built and a screenshot of the page are checked.
//!
//! Without Chromium the test says so and passes, unless `PARSCORE_REQUIRE_CHROMIUM=1` (as in
//! CI), where a missing browser is a failure. `PARSCORE_CHROMIUM` names the browser binary
//! when it is not `chromium` or `chromium-browser` on the PATH.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{CSV, SCHEME, evaluate_json, parscore};
use parscore::Scheme;

const TIMEOUT: Duration = Duration::from_secs(120);

fn chromium() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("PARSCORE_CHROMIUM") {
        return Some(PathBuf::from(path));
    }
    let paths = std::env::var_os("PATH")?;
    std::env::split_paths(&paths)
        .flat_map(|dir| ["chromium", "chromium-browser"].map(|name| dir.join(name)))
        .find(|candidate| candidate.is_file())
}

/// Runs the browser headless on `page` with `args`, within a time limit.
fn run_chromium(browser: &Path, profile: &Path, args: &[String], page: &Path) -> Vec<u8> {
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

#[test]
fn the_html_report_renders_in_chromium() {
    let Some(browser) = chromium() else {
        if std::env::var("PARSCORE_REQUIRE_CHROMIUM").as_deref() == Ok("1") {
            panic!("PARSCORE_REQUIRE_CHROMIUM=1 but no chromium or chromium-browser on the PATH");
        }
        eprintln!(
            "skipped: no chromium on the PATH (set PARSCORE_REQUIRE_CHROMIUM=1 to require it)"
        );
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("report.html");
    parscore(["evaluate", "--scheme", SCHEME, CSV, "--output"])
        .arg(&page)
        .assert()
        .success();
    let profile = dir.path().join("profile");

    let dom = run_chromium(&browser, &profile, &["--dump-dom".into()], &page);
    let dom = String::from_utf8(dom).unwrap();
    let (document, _) = evaluate_json(&[CSV]);
    // The report is in Vietnamese: a decimal comma, and the estimated banner in words.
    let mean = document["summary"]["mean_index"]
        .to_string()
        .replace('.', ",");
    assert!(
        dom.contains(&format!("id=\"headline-index\">{mean}</span>")),
        "the headline index {mean} shows"
    );
    assert!(dom.contains("id=\"estimated-banner\""));
    assert!(dom.contains("ĐIỂM ƯỚC TÍNH — KHÔNG PHẢI ĐIỂM CHÍNH THỨC."));
    // One chart per unit, one bar group per area in each.
    let areas = Scheme::builtin(SCHEME).unwrap().areas().count();
    let charts: Vec<&str> = dom.split("<svg class=\"area-chart\"").skip(1).collect();
    assert_eq!(charts.len(), 5);
    for chart in &charts {
        let chart = &chart[..chart.find("</svg>").unwrap()];
        assert_eq!(chart.matches("<g class=\"area\"").count(), areas);
    }
    // The failing targets of the first unit, under their lead unit, with their margin.
    assert!(
        dom.contains("<h4 class=\"lead\">Các phòng: KHTC, TS-KTTH, các Chi cục trực thuộc</h4>")
    );
    assert!(dom.contains("<tr class=\"failing-target\" data-code=\"III.4.1\">"));
    assert!(dom.contains("<td class=\"num bad\">-0,01</td>"));
    assert!(
        dom.contains("Chi cục Trồng trọt và BVTV"),
        "Vietnamese text survives"
    );

    let shot = dir.path().join("report.png");
    run_chromium(
        &browser,
        &profile,
        &[
            format!("--screenshot={}", shot.display()),
            // Tall enough for the charts of the units that lost the most, which the report
            // lists last, by rank.
            "--window-size=1000,4800".into(),
        ],
        &page,
    );
    let pixels = decode(&shot);
    // What a reader sees first: the banner's background, and the chart's green points and
    // red lost points.
    for (what, colour) in [
        ("the estimated banner", [0xFF, 0xF4, 0xE5]),
        ("points bars", [0x2E, 0x7D, 0x32]),
        ("lost-points bars", [0xEC, 0x6B, 0x68]),
    ] {
        let count = pixels.iter().filter(|p| near(**p, colour)).count();
        assert!(count > 2_000, "{what}: {count} pixels of {colour:02X?}");
    }
}

#[test]
fn the_sensitivity_report_draws_its_charts_in_chromium() {
    let Some(browser) = chromium() else {
        if std::env::var("PARSCORE_REQUIRE_CHROMIUM").as_deref() == Ok("1") {
            panic!("PARSCORE_REQUIRE_CHROMIUM=1 but no chromium or chromium-browser on the PATH");
        }
        eprintln!(
            "skipped: no chromium on the PATH (set PARSCORE_REQUIRE_CHROMIUM=1 to require it)"
        );
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("sensitivity.html");
    parscore([
        "sensitivity",
        "--scheme",
        SCHEME,
        "--samples",
        "200",
        "-q",
        CSV,
    ])
    .arg("--output")
    .arg(&page)
    .assert()
    .success();
    let profile = dir.path().join("profile");
    let dom = run_chromium(&browser, &profile, &["--dump-dom".into()], &page);
    let dom = String::from_utf8(dom).unwrap();
    let fan = &dom[dom.find("<svg class=\"fan-chart\"").unwrap()..];
    let fan = &fan[..fan.find("</svg>").unwrap()];
    assert_eq!(fan.matches("<g class=\"unit\"").count(), 5);
    assert_eq!(fan.matches("<line class=\"threshold\"").count(), 2);
    assert!(dom.contains("<svg class=\"rank-chart\""));
    assert!(dom.contains("Chi cục Trồng trọt và BVTV"));

    let shot = dir.path().join("sensitivity.png");
    run_chromium(
        &browser,
        &profile,
        &[
            format!("--screenshot={}", shot.display()),
            "--window-size=1000,4800".into(),
        ],
        &page,
    );
    let pixels = decode(&shot);
    // The p5–p95 bands of the fan chart, and the likeliest ranks' dark cells.
    for (what, colour, least) in [
        ("p5–p95 bands", [0x90, 0xCA, 0xF9], 300),
        ("rank cells", [0x15, 0x65, 0xC0], 1_000),
    ] {
        let count = pixels.iter().filter(|p| near(**p, colour)).count();
        assert!(count > least, "{what}: {count} pixels of {colour:02X?}");
    }
}

/// The RGB pixels of a PNG screenshot.
fn decode(path: &Path) -> Vec<[u8; 3]> {
    let bytes = std::fs::read(path).unwrap();
    assert!(bytes.starts_with(b"\x89PNG\r\n\x1a\n"), "a PNG");
    let mut decoder = png::Decoder::new(std::io::Cursor::new(bytes));
    decoder.set_transformations(png::Transformations::normalize_to_color8());
    let mut reader = decoder.read_info().unwrap();
    let mut buffer = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buffer).unwrap();
    assert!(info.width >= 1000 && info.height >= 4800, "{info:?}");
    let channels = info.color_type.samples();
    buffer[..info.buffer_size()]
        .chunks(channels)
        .map(|p| [p[0], p[1], p[2]])
        .collect()
}

fn near(pixel: [u8; 3], colour: [u8; 3]) -> bool {
    pixel.iter().zip(colour).all(|(a, b)| a.abs_diff(b) <= 4)
}
