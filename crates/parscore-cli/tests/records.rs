//! `records summarize` and `evaluate --records`: the golden record files through the command,
//! the same records as Parquet, Arrow and Excel, bad records with their rows, strict mode,
//! profiles, calendars, indicator maps, and records joined to other inputs.

mod common;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use arrow_array::builder::StringDictionaryBuilder;
use arrow_array::types::Int32Type;
use arrow_array::{
    ArrayRef, BooleanArray, Date32Array, Int32Array, RecordBatch, StringArray,
    TimestampMillisecondArray,
};
use arrow_schema::{DataType, Field, Schema, TimeUnit};
use common::{SCHEME, parscore, root};
use parquet::arrow::ArrowWriter;
use parquet::file::properties::WriterProperties;
use serde_json::Value as Json;

/// `parscore ARGS…` from the repository root: its JSON on standard output (or `null`),
/// exit code and standard error.
fn run(args: &[&str]) -> (Json, i32, String) {
    let output = parscore(args).output().expect("parscore runs");
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    let json = serde_json::from_slice(&output.stdout).unwrap_or(Json::Null);
    (json, output.status.code().expect("parscore exits"), stderr)
}

/// `records summarize --format json ARGS… FILES…`.
fn summarize(args: &[&str], files: &[&Path]) -> (Json, i32, String) {
    let mut all = vec!["records", "summarize", "--format", "json"];
    all.extend_from_slice(args);
    let files: Vec<String> = files.iter().map(|f| f.display().to_string()).collect();
    all.extend(files.iter().map(String::as_str));
    run(&all)
}

/// The summary as the core gives it: without the files read and the places of the bad
/// records, which name the file.
fn core_part(summary: &Json) -> Json {
    let mut summary = summary.clone();
    if let Json::Object(fields) = &mut summary {
        fields.shift_remove("files");
    }
    if let Some(Json::Array(kinds)) = summary.pointer_mut("/bad/kinds") {
        for kind in kinds {
            if let Json::Object(fields) = kind {
                fields.shift_remove("examples");
            }
        }
    }
    summary
}

struct Case {
    dir: PathBuf,
    spec: Json,
    expected: Json,
}

impl Case {
    fn csv(&self) -> PathBuf {
        self.dir.join("records.csv")
    }

    /// The command-line options of the case's `profile` and `options`.
    fn args(&self) -> Vec<String> {
        let mut args = Vec::new();
        if let Some(profile) = self.spec["profile"].as_str().filter(|p| *p != "builtin") {
            args.extend([
                "--profile".into(),
                self.dir.join(profile).display().to_string(),
            ]);
        }
        let options = &self.spec["options"];
        for (key, flag) in [
            ("period", "--period"),
            ("as_of", "--as-of"),
            ("resolved_by", "--resolved-by"),
        ] {
            if let Some(value) = options[key].as_str() {
                args.extend([flag.to_string(), value.to_string()]);
            }
        }
        if options["by_sub_unit"] == true {
            args.push("--by-sub-unit".into());
        }
        args
    }

    fn summarize(&self, extra: &[&str], file: &Path) -> (Json, i32, String) {
        let args = self.args();
        let mut all: Vec<&str> = args.iter().map(String::as_str).collect();
        all.extend_from_slice(extra);
        summarize(&all, &[file])
    }
}

fn cases() -> Vec<Case> {
    let mut cases: Vec<Case> = std::fs::read_dir(root().join("tests/records"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|dir| dir.join("case.json").is_file())
        .map(|dir| {
            let read = |name: &str| -> Json {
                serde_json::from_str(&std::fs::read_to_string(dir.join(name)).unwrap()).unwrap()
            };
            Case {
                spec: read("case.json"),
                expected: read("expected.json"),
                dir,
            }
        })
        .collect();
    cases.sort_by(|a, b| a.dir.cmp(&b.dir));
    assert!(cases.len() >= 3, "the golden record cases are found");
    cases
}

/// The cells of a CSV file, header first.
fn csv_rows(path: &Path) -> Vec<Vec<String>> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_path(path)
        .unwrap();
    reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect()
}

/// The CSV as Parquet, every column text (empty cells null), in row groups of `group` rows.
fn csv_to_parquet(csv: &Path, parquet: &Path, group: usize) {
    let rows = csv_rows(csv);
    let (header, data) = rows.split_first().unwrap();
    let schema = Arc::new(Schema::new(
        header
            .iter()
            .map(|name| Field::new(name, DataType::Utf8, true))
            .collect::<Vec<_>>(),
    ));
    let columns: Vec<ArrayRef> = (0..header.len())
        .map(|c| {
            let cells: StringArray = data
                .iter()
                .map(|row| row.get(c).filter(|t| !t.is_empty()).cloned())
                .collect();
            Arc::new(cells) as ArrayRef
        })
        .collect();
    let batch = RecordBatch::try_new(schema.clone(), columns).unwrap();
    let properties = WriterProperties::builder()
        .set_max_row_group_row_count(Some(group))
        .build();
    let file = std::fs::File::create(parquet).unwrap();
    let mut writer = ArrowWriter::try_new(file, schema, Some(properties)).unwrap();
    writer.write(&batch).unwrap();
    writer.close().unwrap();
}

/// The CSV as a workbook typed as a person types it: day-first dates as date cells, numbers
/// as numbers, the rest as text.
fn csv_to_xlsx(csv: &Path, xlsx: &Path) {
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name("Hồ sơ").unwrap();
    let format = Format::new().set_num_format("dd/mm/yyyy hh:mm");
    for (r, row) in csv_rows(csv).iter().enumerate() {
        for (c, text) in row.iter().enumerate() {
            let (r, c) = (r as u32, c as u16);
            let date = text.get(..10).and_then(|d| {
                let parts: Vec<&str> = d.split('/').collect();
                match parts.as_slice() {
                    [day, month, year] if day.len() == 2 && month.len() == 2 => {
                        ExcelDateTime::from_ymd(
                            year.parse().ok()?,
                            month.parse().ok()?,
                            day.parse().ok()?,
                        )
                        .ok()
                    }
                    _ => None,
                }
            });
            if text.is_empty() {
                continue;
            } else if let Some(date) = date {
                sheet
                    .write_datetime_with_format(r, c, &date, &format)
                    .unwrap();
            } else if let Ok(n) = text.parse::<f64>() {
                sheet.write_number(r, c, n).unwrap();
            } else {
                sheet.write_string(r, c, text).unwrap();
            }
        }
    }
    workbook.save(xlsx).unwrap();
}

#[test]
fn golden_record_files_summarize_to_their_hand_checked_figures() {
    for case in cases() {
        let (summary, code, stderr) = case.summarize(&[], &case.csv());
        let name = case.dir.display();
        assert_eq!(core_part(&summary), case.expected, "{name}\n{stderr}");
        let bad = case.expected["bad"]["total"].as_u64().unwrap();
        assert_eq!(code, if bad == 0 { 0 } else { 1 }, "{name}");
        assert_eq!(summary["files"][0]["records"], case.expected["records"]);
    }
}

#[test]
fn the_same_records_as_parquet_and_excel_give_the_same_summary() {
    let dir = tempfile::tempdir().unwrap();
    for case in cases() {
        let name = case.dir.file_name().unwrap().to_string_lossy().into_owned();
        let parquet = dir.path().join(format!("{name}.parquet"));
        let xlsx = dir.path().join(format!("{name}.xlsx"));
        // Row groups of 5 rows: read by several threads and merged in order.
        csv_to_parquet(&case.csv(), &parquet, 5);
        csv_to_xlsx(&case.csv(), &xlsx);
        for file in [&parquet, &xlsx] {
            for threads in ["1", "3"] {
                let (summary, _, stderr) = case.summarize(&["--threads", threads], file);
                assert_eq!(
                    core_part(&summary),
                    case.expected,
                    "{} with {threads} threads\n{stderr}",
                    file.display()
                );
            }
        }
    }
}

#[test]
fn bad_records_are_listed_by_kind_with_the_place_a_person_finds_them() {
    let case = cases()
        .into_iter()
        .find(|c| c.dir.ends_with("bad-rows"))
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let parquet = dir.path().join("records.parquet");
    let xlsx = dir.path().join("records.xlsx");
    csv_to_parquet(&case.csv(), &parquet, 4);
    csv_to_xlsx(&case.csv(), &xlsx);
    let csv = case.csv();
    let csv_name = csv.display().to_string();
    for (file, place) in [
        (&csv, format!("{csv_name}:3 (row 2, B02)")),
        (
            &xlsx,
            format!("{}: Hồ sơ row 3 (row 2, B02)", xlsx.display()),
        ),
        // The codes of a columnar file are read afterwards, for the bad records only.
        (&parquet, format!("{}: row 2 (B02)", parquet.display())),
    ] {
        let (summary, code, stderr) = case.summarize(&[], file);
        assert_eq!(code, 1);
        assert!(
            stderr.starts_with(
                "parscore: 11 of 14 records are bad and were not counted: missing:unit 1, \
                 missing:received 1, unreadable_date:received 2,"
            ),
            "{stderr}"
        );
        assert!(
            stderr.contains("parscore: completed_before_received (1 record):\n"),
            "{stderr}"
        );
        let line =
            format!("parscore:   {place}: completed 2024-03-08 is before received 2024-03-10\n");
        assert!(stderr.contains(&line), "{line}\n{stderr}");
        let example = &summary["bad"]["kinds"][6]["examples"][0];
        assert_eq!(example["row"], 2);
        assert_eq!(example["id"], "B02");
        assert_eq!(example["file"], file.display().to_string());
    }
    let (summary, _, _) = case.summarize(&[], &csv);
    let example = &summary["bad"]["kinds"][0]["examples"][0];
    assert_eq!(example["line"], 7, "{example}");
    assert_eq!(example["message"], "no unit");
    // Quiet: the counts only.
    let output = parscore(["records", "summarize", "-q", &csv_name])
        .output()
        .unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
}

#[test]
fn strict_mode_stops_at_the_first_bad_record() {
    let case = cases()
        .into_iter()
        .find(|c| c.dir.ends_with("bad-rows"))
        .unwrap();
    let expected = case.spec["strict_error"].as_str().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let parquet = dir.path().join("records.parquet");
    csv_to_parquet(&case.csv(), &parquet, 3);
    for (file, place) in [
        (
            case.csv(),
            format!("{}:3 (row 2, B02)", case.csv().display()),
        ),
        (
            parquet.clone(),
            format!("{}: row 2 (B02)", parquet.display()),
        ),
    ] {
        let (summary, code, stderr) = case.summarize(&["--strict", "--threads", "2"], &file);
        assert_eq!(code, 2, "{stderr}");
        assert_eq!(summary, Json::Null);
        let message = expected.split_once(": ").unwrap().1;
        assert_eq!(
            stderr,
            format!(
                "parscore: {place}: {message} (--strict: the first bad record stops the run)\n"
            )
        );
    }
}

#[test]
fn a_header_without_a_required_column_is_refused_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("no-received.csv");
    std::fs::write(
        &file,
        "Đơn vị,Ngày hẹn trả,Ngày có kết quả\nSở A,12/03/2024,11/03/2024\n",
    )
    .unwrap();
    let (_, code, stderr) = summarize(&[], &[&file]);
    assert_eq!(code, 2);
    assert!(
        stderr.starts_with(&format!(
            "parscore: cannot read {}: missing required column: received (one of “Ngày tiếp nhận”",
            file.display()
        )),
        "{stderr}"
    );
}

#[test]
fn a_calendar_year_not_covered_is_refused_until_a_file_gives_it() {
    let dir = tempfile::tempdir().unwrap();
    let records = dir.path().join("records.csv");
    std::fs::write(
        &records,
        "Đơn vị,Ngày tiếp nhận,Ngày hẹn trả,Ngày có kết quả\n\
         Sở A,20/12/2026,05/01/2030,\n\
         Sở A,21/12/2026,28/12/2026,\n",
    )
    .unwrap();
    let (_, code, stderr) = summarize(&["--as-of", "2030-02-01"], &[&records]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("no working-day calendar for 2030"),
        "{stderr}"
    );
    assert!(stderr.contains("--calendar FILE"), "{stderr}");
    let calendar = dir.path().join("calendar-2030.toml");
    std::fs::write(
        &calendar,
        r#"name = "test"
[[years]]
year = 2030
source = "made up for a test"
holidays = [{ date = "2030-01-01", name = "Tết Dương lịch" }]
"#,
    )
    .unwrap();
    let calendar_arg = calendar.display().to_string();
    let (summary, code, stderr) = summarize(
        &["--as-of", "2030-02-01", "--calendar", &calendar_arg],
        &[&records],
    );
    assert_eq!(code, 0, "{stderr}");
    let last = summary["groups"].as_array().unwrap().last().unwrap();
    assert_eq!(last["period"], "2030");
    assert_eq!(last["overdue_in_progress"], 2);
    // A calendar file that does not read is refused too.
    std::fs::write(&calendar, "[[years]]\nyear = 2030\n").unwrap();
    let (_, code, stderr) = summarize(&["--calendar", &calendar_arg], &[&records]);
    assert_eq!(code, 2);
    assert!(stderr.contains(&calendar_arg), "{stderr}");
}

#[test]
fn usage_errors_exit_2() {
    let csv = root().join("examples/data/records/dossiers-2024.csv");
    let csv = csv.display().to_string();
    for (args, message) in [
        (
            vec!["records", "summarize", "--period", "fortnight", &csv],
            "--period: `fortnight` is not a period",
        ),
        (
            vec!["records", "summarize", "--as-of", "31/02/2024", &csv],
            "--as-of: date",
        ),
        (
            vec!["records", "summarize", "--threads", "0", &csv],
            "--threads",
        ),
        (
            vec!["evaluate", "--scheme", SCHEME, "--period", "quarter", &csv],
            "--period applies to dossier records",
        ),
        (
            vec!["evaluate", "--scheme", SCHEME],
            "give at least one INPUT file",
        ),
    ] {
        let (_, code, stderr) = run(&args);
        assert_eq!(code, 2, "{args:?}");
        assert!(stderr.contains(message), "{args:?}: {stderr}");
    }
}

/// A profile of its own: headers, ISO dates, words for yes/no and statuses.
#[test]
fn a_profile_file_reads_another_export() {
    let dir = root().join("examples/data/records");
    let profile = dir.join("district-profile.toml").display().to_string();
    let (summary, code, stderr) = summarize(
        &["--profile", &profile, "--as-of", "2024-03-20"],
        &[&dir.join("district-export.csv")],
    );
    assert_eq!(code, 0, "{stderr}");
    let groups = summary["groups"].as_array().unwrap();
    assert_eq!(groups[0]["unit"], "Tư pháp");
    assert_eq!(groups[0]["withdrawn"], 1);
    assert_eq!(groups[0]["online_rate"], "2/3");
    assert_eq!(groups[1]["resolved_late"], 1);
    // Without the profile, the headers are no export the built-in profile knows.
    let (_, code, stderr) = summarize(&[], &[&dir.join("district-export.csv")]);
    assert_eq!(code, 2);
    assert!(stderr.contains("missing required columns"), "{stderr}");
    // A profile that does not read.
    let bad = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(bad.path(), "[columns]\nunti = \"x\"\n").unwrap();
    let bad = bad.path().display().to_string();
    let (_, code, stderr) = summarize(&["--profile", &bad], &[&dir.join("district-export.csv")]);
    assert_eq!(code, 2);
    assert!(stderr.contains("`unti` is not a record field"), "{stderr}");
}

/// The same dossiers typed as columnar exports type them: a dictionary of units, `date32`
/// and zoned timestamps, booleans, whole numbers of days.
#[test]
fn typed_columns_of_parquet_and_arrow_read_as_their_text_would() {
    let dir = tempfile::tempdir().unwrap();
    let text = dir.path().join("typed.csv");
    std::fs::write(
        &text,
        "Mã hồ sơ,Đơn vị,Ngày tiếp nhận,Ngày hẹn trả,Ngày có kết quả,Trạng thái,Nộp trực tuyến,Số ngày giải quyết\n\
         T1,Sở A,2024-02-01,2024-02-10,2024-02-15,,true,\n\
         T2,Sở B,2024-02-05,2024-03-01,,Đang xử lý,false,\n\
         T3,Sở A,2024-02-07,,2024-02-16,,,1\n\
         T4,Sở A,2024-03-01,2024-03-12,2024-03-04,Trước hạn,true,\n",
    )
    .unwrap();
    let day = |text: &str| {
        let date = parscore_records::Date::parse(text).unwrap();
        date.days_since_epoch()
    };
    let mut units = StringDictionaryBuilder::<Int32Type>::new();
    for unit in ["Sở A", "Sở B", "Sở A", "Sở A"] {
        units.append_value(unit);
    }
    // Due as a timestamp at 17:00 UTC the day before: midnight the next day in Hà Nội.
    let due_at = |d: &str| i64::from(day(d) - 1) * 86_400_000 + 17 * 3_600_000;
    let schema = Arc::new(Schema::new(vec![
        Field::new("Mã hồ sơ", DataType::Utf8, false),
        Field::new(
            "Đơn vị",
            DataType::Dictionary(Box::new(DataType::Int32), Box::new(DataType::Utf8)),
            false,
        ),
        Field::new("Ngày tiếp nhận", DataType::Date32, false),
        Field::new(
            "Ngày hẹn trả",
            DataType::Timestamp(TimeUnit::Millisecond, Some("+07:00".into())),
            true,
        ),
        Field::new("Ngày có kết quả", DataType::Date32, true),
        Field::new("Trạng thái", DataType::Utf8, true),
        Field::new("Nộp trực tuyến", DataType::Boolean, true),
        Field::new("Số ngày giải quyết", DataType::Int32, true),
    ]));
    let columns: Vec<ArrayRef> = vec![
        Arc::new(StringArray::from(vec!["T1", "T2", "T3", "T4"])),
        Arc::new(units.finish()),
        Arc::new(Date32Array::from(vec![
            day("2024-02-01"),
            day("2024-02-05"),
            day("2024-02-07"),
            day("2024-03-01"),
        ])),
        Arc::new(
            TimestampMillisecondArray::from(vec![
                Some(due_at("2024-02-10")),
                Some(due_at("2024-03-01")),
                None,
                Some(due_at("2024-03-12")),
            ])
            .with_timezone("+07:00"),
        ),
        Arc::new(Date32Array::from(vec![
            Some(day("2024-02-15")),
            None,
            Some(day("2024-02-16")),
            Some(day("2024-03-04")),
        ])),
        Arc::new(StringArray::from(vec![
            None,
            Some("Đang xử lý"),
            None,
            Some("Trước hạn"),
        ])),
        Arc::new(BooleanArray::from(vec![
            Some(true),
            Some(false),
            None,
            Some(true),
        ])),
        Arc::new(Int32Array::from(vec![None, None, Some(1), None])),
    ];
    let batch = RecordBatch::try_new(schema.clone(), columns).unwrap();
    let parquet = dir.path().join("typed.parquet");
    let mut writer = ArrowWriter::try_new(
        std::fs::File::create(&parquet).unwrap(),
        schema.clone(),
        None,
    )
    .unwrap();
    writer.write(&batch).unwrap();
    writer.close().unwrap();
    let arrow = dir.path().join("typed.arrow");
    let mut writer =
        arrow_ipc::writer::FileWriter::try_new(std::fs::File::create(&arrow).unwrap(), &schema)
            .unwrap();
    writer.write(&batch).unwrap();
    writer.finish().unwrap();
    let stream = dir.path().join("typed.arrows");
    let mut writer =
        arrow_ipc::writer::StreamWriter::try_new(std::fs::File::create(&stream).unwrap(), &schema)
            .unwrap();
    writer.write(&batch).unwrap();
    writer.finish().unwrap();

    let options = ["--as-of", "2024-03-31", "--period", "month"];
    let (expected, code, stderr) = summarize(&options, &[&text]);
    assert_eq!(code, 0, "{stderr}");
    let february = &expected["groups"][0];
    // T1 due Saturday 10/02 in Tết, done Thursday 15/02: on time; T3 due 1 working day after
    // 07/02, 15/02, done 16/02: late.
    assert_eq!(
        (&february["resolved_on_time"], &february["resolved_late"]),
        (&Json::from(1), &Json::from(1))
    );
    // T3 says nothing: this profile reads an empty yes/no cell as no.
    assert_eq!(february["online_rate"], "1/2");
    // T2 is due on Friday 01/03 in Hà Nội (29/02 in UTC): not yet overdue on 29/02.
    let b = expected["groups"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["unit"] == "Sở B" && g["period"] == "2024-02")
        .unwrap();
    assert_eq!(
        (&b["pending"], &b["overdue_in_progress"]),
        (&1.into(), &0.into())
    );
    for file in [&parquet, &arrow, &stream] {
        let (summary, code, stderr) = summarize(&options, &[file]);
        assert_eq!(code, 0, "{}: {stderr}", file.display());
        assert_eq!(
            core_part(&summary),
            core_part(&expected),
            "{}",
            file.display()
        );
    }
}

/// Several files are one set of records; each bad record is a row of its own file.
#[test]
fn several_files_summarise_together_and_keep_their_own_rows() {
    let case = cases()
        .into_iter()
        .find(|c| c.dir.ends_with("bad-rows"))
        .unwrap();
    let rows = std::fs::read_to_string(case.csv()).unwrap();
    let lines: Vec<&str> = rows.lines().collect();
    let dir = tempfile::tempdir().unwrap();
    let first = dir.path().join("first.csv");
    let second = dir.path().join("second.parquet");
    let second_csv = dir.path().join("second.csv");
    std::fs::write(&first, format!("{}\n", lines[..8].join("\n"))).unwrap();
    std::fs::write(
        &second_csv,
        format!("{}\n{}\n", lines[0], lines[8..].join("\n")),
    )
    .unwrap();
    csv_to_parquet(&second_csv, &second, 100);
    let (whole, _, _) = case.summarize(&[], &case.csv());
    let args = case.args();
    let mut all: Vec<&str> = args.iter().map(String::as_str).collect();
    all.push("--quiet");
    let (summary, code, stderr) = summarize(&all, &[&first, &second]);
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(summary["groups"], whole["groups"]);
    assert_eq!(summary["files"][0]["records"], 7);
    assert_eq!(summary["files"][1]["records"], 7);
    // B12 (due before received) is row 12 of the whole file, row 5 of the second.
    let due = summary["bad"]["kinds"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["kind"] == "due_before_received")
        .unwrap();
    assert_eq!(due["rows"], serde_json::json!([5]));
    assert_eq!(due["examples"][0]["file"], second.display().to_string());
    assert_eq!(due["examples"][0]["id"], "B12");
}

/// Many rows, with blank lines, quoted line breaks and bad rows across CSV chunks and Parquet
/// row groups: one thread or several, CSV or Parquet, the same summary and the same lines.
#[test]
fn streaming_in_chunks_and_threads_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("many.csv");
    let mut text = String::from(
        "Mã hồ sơ,Đơn vị,Ngày tiếp nhận,Ngày hẹn trả,Ngày có kết quả,Trạng thái,Số hóa\n",
    );
    let statuses = ["Đúng hạn", "Trễ hạn", "", "Đang xử lý", "on time", "Đã huỷ"];
    for i in 0..12_000u32 {
        let unit = ["Sở A", "Sở B", "\"Sở C\nChi nhánh\"", "Sở D"][(i % 4) as usize];
        let received = 1 + i % 27;
        let month = 1 + (i / 27) % 12;
        let status = statuses[(i % 6) as usize];
        let (due, completed) = match status {
            "Đang xử lý" => (
                format!("{:02}/{month:02}/2024", received + 1),
                String::new(),
            ),
            _ => (
                format!("{:02}/{month:02}/2024", received + 1),
                format!("{:02}/{month:02}/2024", received + i % 3),
            ),
        };
        text.push_str(&format!(
            "M{i},{unit},{received:02}/{month:02}/2024,{due},{completed},{status},{}\n",
            if i % 5 == 0 { "x" } else { "" }
        ));
        if i % 997 == 0 {
            text.push('\n');
        }
    }
    std::fs::write(&csv, text).unwrap();
    let parquet = dir.path().join("many.parquet");
    csv_to_parquet(&csv, &parquet, 1000);
    let options = ["--period", "quarter", "--as-of", "2024-12-31"];
    let with = |threads: &str, file: &Path| {
        let mut args = options.to_vec();
        args.extend(["--threads", threads]);
        summarize(&args, &[file])
    };
    let (one, code, _) = with("1", &csv);
    assert_eq!(code, 1);
    assert_eq!(one["records"], 12_000);
    assert_eq!(one["bad"]["total"], 2_000);
    let (two, _, _) = with("2", &csv);
    assert_eq!(one, two);
    // M5 (row 6) is on line 9, after a blank line and a quoted line break; M5999 after 7
    // blank lines and 1500 line breaks.
    let unknown = &one["bad"]["kinds"][0]["examples"];
    assert_eq!(unknown[0]["id"], "M5");
    assert_eq!(
        (&unknown[0]["row"], &unknown[0]["line"]),
        (&6.into(), &9.into())
    );
    let late = unknown
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["id"] == "M5999")
        .unwrap();
    assert_eq!(late["row"], 6000);
    assert_eq!(late["line"], 6000 + 1 + 7 + 1500);
    for threads in ["1", "2", "5"] {
        let (columnar, _, _) = with(threads, &parquet);
        assert_eq!(core_part(&columnar), core_part(&one), "{threads} threads");
    }
}

#[test]
fn the_table_shows_rates_as_percent_and_exact_counts_and_csv_every_indicator() {
    let case = cases()
        .into_iter()
        .find(|c| c.dir.ends_with("tet-2024-boundaries"))
        .unwrap();
    let csv = case.csv().display().to_string();
    let output = parscore([
        "records",
        "summarize",
        "--period",
        "quarter",
        "--as-of",
        "2024-05-10",
        &csv,
    ])
    .output()
    .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let table = String::from_utf8(output.stdout).unwrap();
    assert!(
        table.starts_with(&format!(
            "{csv}: 16 records, 16 counted, 0 bad; by quarter; in progress counted on \
             2024-05-10 (the export's date)\n"
        )),
        "{table}"
    );
    let line = table
        .lines()
        .find(|l| l.contains("Sở Tư pháp") && l.contains("2024-Q1"))
        .unwrap();
    assert!(line.contains("71.43% (5/7)"), "{line}");
    assert!(line.contains("62.50% (5/8)"), "{line}");
    let output = parscore([
        "records",
        "summarize",
        "--period",
        "quarter",
        "--as-of",
        "2024-05-10",
        "--format",
        "csv",
        &csv,
    ])
    .output()
    .unwrap();
    let text = String::from_utf8(output.stdout).unwrap();
    let mut lines = text.lines();
    assert_eq!(
        lines.next().unwrap(),
        format!(
            "unit,sub_unit,period,evaluated_on,{}",
            parscore_records::SUMMARY_INDICATORS.join(",")
        )
    );
    assert_eq!(
        lines.next().unwrap(),
        "Sở Tư pháp,,2024-Q1,2024-03-31,8,7,5,1,2,5/7,1,1,0,5,5/8,4,4/8,8,2,2/8,4,4/8"
    );
    // Written to a file, the format follows its extension.
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("summary.json");
    let output = parscore(["records", "summarize", "-o"])
        .arg(&out)
        .arg(&csv)
        .output()
        .unwrap();
    assert!(output.status.success());
    let written: Json = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(written["records"], 16);
}

fn tet_evaluate(extra: &[&str]) -> (Json, i32, String) {
    let csv = root()
        .join("tests/records/tet-2024-boundaries/records.csv")
        .display()
        .to_string();
    let mut args = vec![
        "evaluate",
        "--scheme",
        SCHEME,
        "--format",
        "json",
        "--records",
        &csv,
        "--period",
        "quarter",
        "--as-of",
        "2024-05-10",
    ];
    args.extend_from_slice(extra);
    run(&args)
}

/// The value a result's criterion of `indicator` was scored on.
fn value_of<'a>(result: &'a Json, indicator: &str) -> &'a Json {
    result["criteria"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["indicator"] == indicator)
        .map_or(&Json::Null, |c| &c["value"])
}

#[test]
fn evaluate_scores_the_indicators_the_records_give() {
    let (document, code, stderr) = tet_evaluate(&[]);
    assert_eq!(code, 0, "{stderr}");
    let results = document["results"].as_array().unwrap();
    assert_eq!(results.len(), 4);
    let first = &results[0];
    assert_eq!(
        (&first["unit"], &first["period"]),
        (&"Sở Tư pháp".into(), &"2024-Q1".into())
    );
    assert_eq!(
        first["source"]["records"][0],
        root()
            .join("tests/records/tet-2024-boundaries/records.csv")
            .display()
            .to_string()
    );
    assert_eq!(value_of(first, "dossiers_on_time_rate"), "5/7");
    assert_eq!(value_of(first, "dossiers_online_full_rate"), "4/8");
    let inputs = &document["records"]["inputs"][0];
    assert_eq!(inputs["unit"], "Sở Tư pháp");
    assert_eq!(inputs["values"]["dossiers_on_time"], 5);
    assert_eq!(inputs["values"]["dossiers_resolved"], 7);
    assert_eq!(inputs["values"]["dossiers_received"], 8);
    assert_eq!(
        document["records"]["map"]["on_time_rate"],
        "dossiers_on_time_rate"
    );
    assert_eq!(document["records"]["counted"], 16);
    // Not applicable when nothing was received in the quarter.
    assert_eq!(value_of(&results[3], "dossiers_digitised_rate"), "n/a");
}

#[test]
fn map_pairs_and_map_files_choose_what_feeds_the_scheme() {
    let (document, code, stderr) = tet_evaluate(&["--map", "on_time_rate=dossiers_on_time_rate"]);
    assert_eq!(code, 0, "{stderr}");
    let map = document["records"]["map"].as_object().unwrap();
    assert_eq!(map.len(), 1);
    let values = document["records"]["inputs"][0]["values"]
        .as_object()
        .unwrap();
    assert_eq!(values.keys().collect::<Vec<_>>(), ["dossiers_on_time_rate"]);
    // The other indicators the records could give are now missing.
    assert_eq!(
        value_of(&document["results"][0], "dossiers_online_full_rate"),
        &Json::Null
    );

    let mapping = root()
        .join("examples/data/records/mapping.toml")
        .display()
        .to_string();
    let (document, code, _) = tet_evaluate(&[
        "--mapping",
        &mapping,
        "--map",
        "digitised_rate=dossiers_digitised_rate",
    ]);
    assert_eq!(code, 0);
    let names: Vec<&String> = document["records"]["map"]
        .as_object()
        .unwrap()
        .keys()
        .collect();
    assert_eq!(
        names,
        [
            "resolved",
            "resolved_on_time",
            "on_time_rate",
            "digitised_rate"
        ]
    );

    for (args, message) in [
        (
            vec!["--map", "on_time_rate=dossiers_on_time"],
            "--map: `on_time_rate` → `dossiers_on_time`: a rate cannot feed a count indicator",
        ),
        (
            vec!["--map", "on_time=x"],
            "--map: `on_time` is not a summary indicator",
        ),
        (
            vec!["--map", "received=nope"],
            "the scheme `lang-son-snn-2024` has no indicator `nope`",
        ),
    ] {
        let (_, code, stderr) = tet_evaluate(&args);
        assert_eq!(code, 2, "{args:?}");
        assert!(stderr.contains(message), "{args:?}: {stderr}");
    }
    let other = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(
        other.path(),
        "scheme = \"other\"\n[indicators]\nreceived = \"x\"\n",
    )
    .unwrap();
    let other = other.path().display().to_string();
    let (_, code, stderr) = tet_evaluate(&["--mapping", &other]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("this map was written for scheme `other`, not `lang-son-snn-2024`"),
        "{stderr}"
    );
}

#[test]
fn records_join_the_other_inputs_of_each_unit_and_period() {
    let dir = root().join("examples/data/records");
    let records = dir.join("dossiers-2024.csv").display().to_string();
    let other = dir.join("units-2024-other.csv").display().to_string();
    let (document, code, stderr) = run(&[
        "evaluate",
        "--scheme",
        SCHEME,
        "--format",
        "json",
        &other,
        "--records",
        &records,
        "--as-of",
        "2024-12-31",
    ]);
    assert_eq!(code, 0, "{stderr}");
    let results = document["results"].as_array().unwrap();
    assert_eq!(results.len(), 5);
    for result in results {
        assert_eq!(result["status"], "ok");
        // Each row keeps the place of its input row.
        assert!(
            result["source"]["file"]
                .as_str()
                .unwrap()
                .ends_with("units-2024-other.csv")
        );
        // From the records, and from the inputs.
        assert!(
            value_of(result, "dossiers_on_time_rate").is_string(),
            "{result}"
        );
        assert!(!value_of(result, "tasks_plan_completion_rate").is_null());
    }

    // Both give the dossier counts: each row fails, naming both.
    let units = root()
        .join("examples/data/units-2024.csv")
        .display()
        .to_string();
    let (document, code, stderr) = run(&[
        "evaluate",
        "--scheme",
        SCHEME,
        "--format",
        "json",
        &units,
        "--records",
        &records,
        "--as-of",
        "2024-12-31",
    ]);
    assert_eq!(code, 1);
    let message = document["results"][0]["error"]["message"].as_str().unwrap();
    assert!(
        message.contains(
            "indicator `dossiers_received` is given both here (2050) and by the records of"
        ),
        "{message}"
    );
    assert!(
        stderr.contains(&format!("{units}:2 (unit `Sở NN&PTNT`)")),
        "{stderr}"
    );
}

#[test]
fn evaluate_reports_bad_records_and_exits_1() {
    let bad = root()
        .join("examples/data/records/bad-dossiers.csv")
        .display()
        .to_string();
    let (document, code, stderr) = run(&[
        "evaluate",
        "--scheme",
        SCHEME,
        "--format",
        "json",
        "--records",
        &bad,
    ]);
    assert_eq!(code, 1);
    assert_eq!(document["records"]["bad"]["total"], 4);
    assert_eq!(document["results"][0]["status"], "ok");
    assert!(stderr.contains("4 of 7 records are bad"), "{stderr}");
    assert!(
        stderr.contains(&format!("{bad}:3 (row 2, H02)")),
        "{stderr}"
    );
    let (_, code, stderr) = run(&[
        "evaluate",
        "--scheme",
        SCHEME,
        "--strict",
        "--records",
        &bad,
    ]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("--strict: the first bad record stops the run"),
        "{stderr}"
    );
}

#[test]
fn the_example_exports_agree_in_every_format() {
    let dir = root().join("examples/data/records");
    let (csv, code, stderr) = summarize(
        &["--as-of", "2024-12-31"],
        &[&dir.join("dossiers-2024.csv")],
    );
    assert_eq!(code, 0, "{stderr}");
    for other in ["dossiers-2024.xlsx", "dossiers-2024.parquet"] {
        let (summary, code, stderr) = summarize(&["--as-of", "2024-12-31"], &[&dir.join(other)]);
        assert_eq!(code, 0, "{other}: {stderr}");
        assert_eq!(core_part(&summary), core_part(&csv), "{other}");
    }
}

/// A zoned timestamp counts on its local day, whatever file holds it: the same column written
/// to Parquet and to Arrow IPC gives the same months. 20:00 UTC on 29 February is 03:00 on 1
/// March in Hà Nội. Parquet has no unit of seconds: pyarrow stores a column in seconds in
/// milliseconds, with the zone only in the Arrow schema it keeps in the file, and that zone
/// used to be lost on the way back (the column read on its UTC day).
#[test]
fn a_zoned_timestamp_counts_on_its_local_day_in_parquet_and_arrow_alike() {
    use parquet::arrow::arrow_writer::ArrowWriterOptions;
    use parquet::file::metadata::KeyValue;
    let dir = tempfile::tempdir().unwrap();
    let day = |text: &str| {
        i64::from(
            parscore_records::Date::parse(text)
                .unwrap()
                .days_since_epoch(),
        )
    };
    // 20:00 UTC the day before: the next day's early morning in Hà Nội.
    let evening_before = |d: &str| ((day(d) - 1) * 86_400 + 20 * 3_600) * 1000;
    let months = |file: &Path| {
        let options = ["--period", "month", "--as-of", "2024-03-31"];
        let (summary, code, stderr) = summarize(&options, &[file]);
        assert_eq!(code, 0, "{}: {stderr}", file.display());
        summary["groups"]
            .as_array()
            .unwrap()
            .iter()
            .map(|g| {
                format!(
                    "{} received {} resolved {}",
                    g["period"].as_str().unwrap(),
                    g["received"],
                    g["resolved"]
                )
            })
            .collect::<Vec<_>>()
    };
    let schema_in = |unit: TimeUnit, zone: &str| {
        let stamp = DataType::Timestamp(unit, Some(zone.into()));
        Arc::new(Schema::new(vec![
            Field::new("Mã hồ sơ", DataType::Utf8, false),
            Field::new("Đơn vị", DataType::Utf8, false),
            Field::new("Ngày tiếp nhận", stamp.clone(), false),
            Field::new("Ngày hẹn trả", stamp.clone(), true),
            Field::new("Ngày có kết quả", stamp, true),
        ]))
    };
    let parquet = |name: &str, batch: &RecordBatch, options: ArrowWriterOptions| {
        let path = dir.path().join(name);
        let file = std::fs::File::create(&path).unwrap();
        let mut writer = ArrowWriter::try_new_with_options(file, batch.schema(), options).unwrap();
        writer.write(batch).unwrap();
        writer.close().unwrap();
        path
    };
    for zone in ["Asia/Ho_Chi_Minh", "+07:00"] {
        let schema = schema_in(TimeUnit::Millisecond, zone);
        let stamps = |days: [&str; 2]| -> ArrayRef {
            Arc::new(
                TimestampMillisecondArray::from(days.map(evening_before).to_vec())
                    .with_timezone(zone),
            )
        };
        let batch = RecordBatch::try_new(
            schema.clone(),
            vec![
                Arc::new(StringArray::from(vec!["Z1", "Z2"])),
                Arc::new(StringArray::from(vec!["Sở Tư pháp", "Sở Tư pháp"])),
                stamps(["2024-03-01", "2024-02-01"]),
                stamps(["2024-03-08", "2024-03-01"]),
                stamps(["2024-03-04", "2024-03-01"]),
            ],
        )
        .unwrap();
        let arrow = dir.path().join("zoned.arrow");
        let mut writer =
            arrow_ipc::writer::FileWriter::try_new(std::fs::File::create(&arrow).unwrap(), &schema)
                .unwrap();
        writer.write(&batch).unwrap();
        writer.finish().unwrap();
        let local = [
            "2024-02 received 1 resolved 0",
            "2024-03 received 1 resolved 2",
        ];
        assert_eq!(months(&arrow), local, "{zone}: Arrow IPC");
        let same_unit = parquet("zoned.parquet", &batch, ArrowWriterOptions::new());
        assert_eq!(months(&same_unit), local, "{zone}: Parquet");
        // As pyarrow writes a column of seconds: milliseconds, and the schema in seconds.
        let seconds = parquet::arrow::encode_arrow_schema(&schema_in(TimeUnit::Second, zone));
        let properties = WriterProperties::builder()
            .set_key_value_metadata(Some(vec![KeyValue::new(
                parquet::arrow::ARROW_SCHEMA_META_KEY.to_string(),
                seconds,
            )]))
            .build();
        let options = ArrowWriterOptions::new()
            .with_skip_arrow_metadata(true)
            .with_properties(properties);
        let pyarrow_seconds = parquet("seconds.parquet", &batch, options);
        assert_eq!(
            months(&pyarrow_seconds),
            local,
            "{zone}: Parquet of seconds"
        );
        // Without the Arrow schema, a Parquet file keeps only the instant in UTC: its UTC
        // day is the only one it tells.
        let options = ArrowWriterOptions::new().with_skip_arrow_metadata(true);
        let bare = parquet("bare.parquet", &batch, options);
        let utc = [
            "2024-01 received 1 resolved 0",
            "2024-02 received 1 resolved 1",
            "2024-03 received 0 resolved 1",
        ];
        assert_eq!(months(&bare), utc, "{zone}: Parquet without its schema");
    }
}

/// Two dossiers of the Sở Tư pháp received in 1900, still in progress, summarised by month
/// to 9999: 16 s and 2.8 GB before the limits, forty of them more than 23 GB. Dates far
/// outside any report are refused, and so is a span of more periods than a report needs.
#[test]
fn dates_far_outside_any_report_are_refused_not_counted_to() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("1900.csv");
    let mut text =
        String::from("Mã hồ sơ,Đơn vị,Ngày tiếp nhận,Ngày hẹn trả,Ngày có kết quả,Trạng thái\n");
    for i in 1..=40 {
        text.push_str(&format!(
            "H{i},Sở Tư pháp {i},{:02}/01/1900,30/01/1900,,Đang xử lý\n",
            1 + i % 28
        ));
    }
    std::fs::write(&csv, text).unwrap();
    let (summary, code, stderr) =
        summarize(&["--period", "month", "--as-of", "9999-12-30"], &[&csv]);
    assert_eq!((code, summary), (2, Json::Null), "{stderr}");
    assert_eq!(
        stderr.trim(),
        "parscore: --as-of: the export's date 9999-12-30 lies outside the dates a summary \
         accepts, 1990-01-01 to 2100-12-31"
    );
    let (_, code, stderr) = summarize(&["--period", "01/01/1900..31/12/2024"], &[&csv]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("--period: the range's first day 1900-01-01"),
        "{stderr}"
    );
    // Within the limits, each is a bad record naming its date.
    let (summary, code, stderr) = summarize(
        &["--period", "month", "--as-of", "2024-12-31", "--quiet"],
        &[&csv],
    );
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(
        (&summary["counted"], &summary["bad"]["total"]),
        (&0.into(), &40.into())
    );
    let kind = &summary["bad"]["kinds"][0];
    assert_eq!(kind["kind"], "out_of_range:received");
    assert_eq!(
        kind["examples"][0]["message"],
        "received 1900-01-02 lies outside the dates a summary accepts, 1990-01-01 to 2100-12-31"
    );
    // In progress since March 1995, by month to December 2024: 358 periods, more than a
    // summary spans; named at its line, and fine by quarter.
    let old = dir.path().join("1995.csv");
    std::fs::write(
        &old,
        "Mã hồ sơ,Đơn vị,Ngày tiếp nhận,Ngày hẹn trả,Ngày có kết quả,Trạng thái\n\
         H1,Sở Tư pháp,05/03/2024,12/03/2024,11/03/2024,\n\
         H2,Sở Tư pháp,02/03/1995,09/03/1995,,Chờ bổ sung\n",
    )
    .unwrap();
    let (_, code, stderr) = summarize(&["--period", "month", "--as-of", "2024-12-31"], &[&old]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains(&format!(
            "the records span 358 periods, from 1995-03 to 2024-12, and a summary spans at most \
             240: the earliest is {}:3 (row 2), received 1995-03-02",
            old.display()
        )),
        "{stderr}"
    );
    let (summary, code, stderr) =
        summarize(&["--period", "quarter", "--as-of", "2024-12-31"], &[&old]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(summary["groups"].as_array().unwrap().len(), 120);
}

/// The same unit typed composed (NFC) and decomposed (NFD), as exports from two systems
/// write it, is one unit: in CSV, and in Parquet where the unit is a dictionary column.
#[test]
fn a_unit_typed_composed_or_decomposed_is_one_unit() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("nfd.csv");
    let decomposed = "So\u{31b}\u{309} Tu\u{31b} pha\u{301}p";
    std::fs::write(
        &csv,
        format!(
            "Mã hồ sơ,Đơn vị,Ngày tiếp nhận,Ngày hẹn trả,Ngày có kết quả,Trạng thái\n\
             N1,Sở Tư pháp,05/03/2024,12/03/2024,11/03/2024,Đúng hạn\n\
             N2,{decomposed},06/03/2024,13/03/2024,14/03/2024,Trễ hạn\n\
             N3,{decomposed},07/03/2024,14/03/2024,,Đang xử lý\n"
        ),
    )
    .unwrap();
    let parquet = dir.path().join("nfd.parquet");
    csv_to_parquet(&csv, &parquet, 2);
    for file in [&csv, &parquet] {
        let (summary, code, stderr) = summarize(&["--as-of", "2024-03-31"], &[file]);
        assert_eq!(code, 0, "{stderr}");
        let groups = summary["groups"].as_array().unwrap();
        assert_eq!(groups.len(), 1, "{}: {groups:?}", file.display());
        assert_eq!(groups[0]["unit"], "Sở Tư pháp");
        assert_eq!(
            (&groups[0]["received"], &groups[0]["resolved"]),
            (&3.into(), &2.into())
        );
    }
}

/// A dossier code read twice, within a file or across files, is one dossier: counted at its
/// first row, the repeat a bad record `duplicate_id` naming both places. The same export in
/// CSV and in Parquet counts as the CSV alone; copies far apart in a Parquet file, read in
/// parts on several threads, are found as in one pass.
#[test]
fn a_dossier_code_read_twice_is_counted_once_and_names_both_places() {
    let case = cases()
        .into_iter()
        .find(|c| c.dir.ends_with("tet-2024-boundaries"))
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let rows = std::fs::read_to_string(case.csv()).unwrap();
    let lines: Vec<&str> = rows.lines().collect();
    // The third record copied at the end.
    let copied = dir.path().join("copied.csv");
    std::fs::write(&copied, format!("{}\n{}\n", lines.join("\n"), lines[3])).unwrap();
    let (alone, code, stderr) = case.summarize(&[], &case.csv());
    assert_eq!(code, 0, "{stderr}");
    let (summary, code, stderr) = case.summarize(&[], &copied);
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(summary["groups"], alone["groups"]);
    let records = lines.len() - 1;
    assert_eq!(summary["records"], records + 1);
    let kind = &summary["bad"]["kinds"][0];
    assert_eq!(
        (&kind["kind"], &kind["count"]),
        (&"duplicate_id".into(), &1.into())
    );
    let example = &kind["examples"][0];
    let id = lines[3].split(',').nth(1).unwrap();
    assert_eq!(example["id"], id);
    assert_eq!(
        (&example["row"], &example["line"]),
        (&(records + 1).into(), &(records + 2).into())
    );
    assert_eq!(
        (&example["first"]["row"], &example["first"]["line"]),
        (&3.into(), &4.into())
    );
    let file = copied.display().to_string();
    assert!(
        stderr.contains(&format!(
            "{file}:{} (row {}, {id}): dossier code {id} was read before, at {file}:4 (row 3)",
            records + 2,
            records + 1
        )),
        "{stderr}"
    );

    // The same export in two formats: every Parquet row repeats a CSV row.
    let parquet = dir.path().join("export.parquet");
    csv_to_parquet(&case.csv(), &parquet, 5);
    let args = case.args();
    let mut all: Vec<&str> = args.iter().map(String::as_str).collect();
    all.push("--quiet");
    let (summary, code, stderr) = summarize(&all, &[&case.csv(), &parquet]);
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(summary["groups"], alone["groups"]);
    assert_eq!(summary["bad"]["total"], records);
    let example = &summary["bad"]["kinds"][0]["examples"][0];
    assert_eq!(example["file"], parquet.display().to_string());
    assert_eq!(
        (&example["row"], &example["first"]["row"]),
        (&1.into(), &1.into())
    );
    assert_eq!(example["first"]["file"], case.csv().display().to_string());

    // Copies far apart in one file, across CSV chunks and Parquet parts and threads.
    let many = dir.path().join("many.csv");
    let mut text = String::from(lines[0]);
    text.push('\n');
    for i in 0..6_000 {
        let cells: Vec<&str> = lines[1 + i % records].splitn(3, ',').collect();
        // Every 10th row repeats the code of a row 3,000 rows earlier.
        let code = if i >= 3_000 && i % 10 == 0 {
            i - 3_000
        } else {
            i
        };
        text.push_str(&format!("{},HS-{code},{}\n", cells[0], cells[2]));
    }
    std::fs::write(&many, text).unwrap();
    let (one, code, stderr) = case.summarize(&["--threads", "1"], &many);
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(one["bad"]["total"], 300, "{stderr}");
    assert_eq!(one["bad"]["kinds"][0]["examples"][0]["first"]["row"], 1);
    let parquet = dir.path().join("many.parquet");
    csv_to_parquet(&many, &parquet, 500);
    let arrow = dir.path().join("many.arrow");
    parquet_to_arrow(&parquet, &arrow);
    for threads in ["1", "2", "5"] {
        for file in [&parquet, &arrow] {
            let (columnar, _, _) = case.summarize(&["--threads", threads], file);
            // The messages name the file of the first row: compare the rest.
            let same = columnar["groups"] == one["groups"]
                && columnar["bad"]["kinds"][0]["rows"] == one["bad"]["kinds"][0]["rows"]
                && columnar["bad"]["total"] == one["bad"]["total"];
            assert!(same, "{threads} threads, {}", file.display());
        }
    }
}

/// A Parquet file rewritten as an Arrow IPC file.
fn parquet_to_arrow(parquet: &Path, arrow: &Path) {
    let reader = parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder::try_new(
        std::fs::File::open(parquet).unwrap(),
    )
    .unwrap()
    .build()
    .unwrap();
    let schema = arrow_array::RecordBatchReader::schema(&reader);
    let mut writer =
        arrow_ipc::writer::FileWriter::try_new(std::fs::File::create(arrow).unwrap(), &schema)
            .unwrap();
    for batch in reader {
        writer.write(&batch.unwrap()).unwrap();
    }
    writer.finish().unwrap();
}

/// The command's part of the fuzzing harness: arbitrary rows (dates in every form and far
/// outside the accepted years, NFD names, repeated codes, quotes and line breaks in cells)
/// written as CSV and as Parquet, summarised in-process as the command does, and rendered as
/// a table, CSV and JSON, the bad records listed and the records joined to a scheme: no
/// panic, every record counted once or listed as bad, the same summary from both files.
mod fuzz {
    use super::*;
    use parscore::{Options, Scheme};
    use parscore_cli::cli::{RecordsArgs, SummaryFormat};
    use parscore_cli::records::{self, Request};
    use parscore_records::IndicatorMap;
    use proptest::prelude::*;

    fn cell() -> impl Strategy<Value = String> {
        prop_oneof![
            proptest::sample::select(vec![
                "",
                "Sở Tư pháp",
                "So\u{31b}\u{309} Tu\u{31b} pha\u{301}p",
                "H01",
                "H01 ",
                "H02",
                "05/03/2024",
                "2024-03-12",
                "11/03/2024 08:15",
                "45357",
                "01/01/1900",
                "31/12/9999",
                "31/02/2024",
                "60",
                "Đúng hạn",
                "Trễ hạn",
                "Đang xử lý",
                "Chờ bổ sung",
                "Đã huỷ",
                "x",
                "co\u{301}",
                "Trực tuyến",
                "5",
                "\"a, b\"",
                "\"dòng\nmới\"",
                "=1+1",
            ])
            .prop_map(str::to_string),
            "[^,\"\r\n]{0,8}",
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(24))]

        #[test]
        fn any_rows_summarise_and_render_alike_from_csv_and_parquet(
            rows in proptest::collection::vec(proptest::collection::vec(cell(), 6), 0..25),
            period in proptest::sample::select(vec!["year", "month", "2024-Q1"]),
            as_of in proptest::sample::select(vec![None, Some("2024-12-31"), Some("9999-12-30")]),
        ) {
            let dir = tempfile::tempdir().unwrap();
            let csv = dir.path().join("fuzz.csv");
            let mut text = String::from(
                "Mã hồ sơ,Đơn vị,Ngày tiếp nhận,Ngày hẹn trả,Ngày có kết quả,Trạng thái\n",
            );
            for row in &rows {
                text.push_str(&row.join(","));
                text.push('\n');
            }
            std::fs::write(&csv, text).unwrap();
            let parquet = dir.path().join("fuzz.parquet");
            csv_to_parquet(&csv, &parquet, 7);
            let args = RecordsArgs {
                period: Some(period.to_string()),
                as_of: as_of.map(str::to_string),
                threads: Some(2),
                ..RecordsArgs::default()
            };
            let summarize = |file: &Path| {
                let files = [file.to_path_buf()];
                records::summarize(&Request { files: &files, args: &args, sheet: None, strict: false })
            };
            let (from_csv, from_parquet) = match (summarize(&csv), summarize(&parquet)) {
                (Ok(a), Ok(b)) => (a, b),
                (Err(a), Err(b)) => {
                    // Refused alike (a date far outside, too many periods), never a panic.
                    prop_assert_eq!(a.to_string().replace("fuzz.csv", "F").split(':').next().map(str::to_string),
                        b.to_string().replace("fuzz.parquet", "F").split(':').next().map(str::to_string));
                    return Ok(());
                }
                (a, b) => panic!("one file refused: {:?} / {:?}", a.err().map(|e| e.to_string()), b.err().map(|e| e.to_string())),
            };
            for summarized in [&from_csv, &from_parquet] {
                let summary = &summarized.summary;
                prop_assert_eq!(summary.counted + summary.bad.total, summary.records);
                for format in [SummaryFormat::Table, SummaryFormat::Csv, SummaryFormat::Json] {
                    for width in [None, Some(60)] {
                        let bytes = records::render_summary(summarized, format, width).unwrap();
                        prop_assert!(std::str::from_utf8(&bytes).is_ok());
                    }
                }
                let json = records::render_summary(summarized, SummaryFormat::Json, None).unwrap();
                let _: Json = serde_json::from_slice(&json).unwrap();
                let _ = records::bad_report(summarized, false);
                let scheme = Scheme::builtin(SCHEME).unwrap();
                let map = IndicatorMap::for_scheme(&scheme);
                let raw = summary.raw_rows(&map);
                let batch = scheme.evaluate_rows(&raw, false, &Options::default());
                prop_assert_eq!(batch.results.len(), summary.groups.len());
                let _ = records::records_json(summarized, &map, &raw);
            }
            // The CSV parser may read a quoted line break into a cell; Parquet holds what the
            // CSV reader of the test read: the summaries agree but for the files' names.
            prop_assert_eq!(&from_csv.summary.groups, &from_parquet.summary.groups);
            prop_assert_eq!(from_csv.summary.records, from_parquet.summary.records);
            prop_assert_eq!(from_csv.summary.bad.total, from_parquet.summary.bad.total);
        }
    }
}
