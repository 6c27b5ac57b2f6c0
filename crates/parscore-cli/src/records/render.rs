//! A records summary as a table, CSV or JSON, and its bad records as lines for standard
//! error.

use comfy_table::{CellAlignment, ContentArrangement, Table, presets};
use parscore::{RawRow, Value};
use parscore_records::{GroupSummary, IndicatorMap, PeriodKind, SUMMARY_INDICATORS};
use serde_json::{Map, Value as Json, json};

use super::Summarized;
use crate::cli::SummaryFormat;
use crate::fail::Failure;

/// Bad records listed one by one on standard error, per kind; the JSON document keeps the
/// first 1000 of each kind.
const LISTED_PER_KIND: usize = 10;

pub fn render_summary(
    summarized: &Summarized,
    format: SummaryFormat,
    width: Option<u16>,
) -> Result<Vec<u8>, Failure> {
    Ok(match format {
        SummaryFormat::Table => table(summarized, width).into_bytes(),
        SummaryFormat::Csv => csv(summarized)?,
        SummaryFormat::Json => crate::output::json_text(&summary_json(summarized)).into_bytes(),
    })
}

/// The core's summary document, with the files read first, and the bad records' rows as
/// rows of their own file (the same as the core's for one file) with the place each is
/// found at.
pub fn summary_json(summarized: &Summarized) -> Json {
    let summary = &summarized.summary;
    let sources = &summarized.sources;
    let Json::Object(core) = summary.to_json() else {
        return summary.to_json();
    };
    let mut document = Map::new();
    document.insert("files".into(), sources.to_json());
    for (key, value) in core {
        if key != "bad" {
            document.insert(key, value);
            continue;
        }
        let kinds: Vec<Json> = summary
            .bad
            .kinds
            .iter()
            .map(|kind| {
                let local: Vec<(usize, String)> =
                    kind.examples.iter().map(|b| sources.local(b)).collect();
                json!({
                    "kind": kind.kind.code(),
                    "count": kind.count,
                    "rows": local.iter().map(|(row, _)| row).collect::<Vec<_>>(),
                    "messages": local.iter().map(|(_, text)| text).collect::<Vec<_>>(),
                    "examples": kind.examples.iter().map(|b| sources.example_json(b)).collect::<Vec<_>>(),
                })
            })
            .collect();
        document.insert(
            "bad".into(),
            json!({ "total": summary.bad.total, "kinds": kinds }),
        );
    }
    Json::Object(document)
}

/// What `evaluate --records` adds to its results document: the summary without its groups,
/// the indicator map, and per unit and period the values the records gave the scheme.
pub fn records_json(summarized: &Summarized, map: &IndicatorMap, rows: &[RawRow]) -> Json {
    let mut document = summary_json(summarized);
    if let Json::Object(fields) = &mut document {
        fields.shift_remove("groups");
        let map: Map<String, Json> = map.pairs().map(|(n, id)| (n.into(), json!(id))).collect();
        fields.insert("map".into(), Json::Object(map));
        let inputs: Vec<Json> = rows
            .iter()
            .map(|row| {
                let values: Map<String, Json> = row
                    .cells
                    .iter()
                    .map(|(id, text)| {
                        let value = text
                            .parse::<u64>()
                            .map_or_else(|_| json!(text), |n| json!(n));
                        (id.clone(), value)
                    })
                    .collect();
                json!({ "unit": row.unit, "period": row.period, "values": values })
            })
            .collect();
        fields.insert("inputs".into(), Json::Array(inputs));
    }
    document
}

/// The bad records for standard error: a line with the count of each kind, then (unless
/// `quiet`) the first of each kind with their place.
pub fn bad_report(summarized: &Summarized, quiet: bool) -> Vec<String> {
    let summary = &summarized.summary;
    let bad = &summary.bad;
    if bad.is_empty() {
        return Vec::new();
    }
    let kinds: Vec<String> = bad
        .kinds
        .iter()
        .map(|k| format!("{} {}", k.kind.code(), k.count))
        .collect();
    let mut lines = vec![format!(
        "{} of {} records are bad and were not counted: {}",
        bad.total,
        summary.records,
        kinds.join(", ")
    )];
    if quiet {
        return lines;
    }
    for kind in &bad.kinds {
        let noun = if kind.count == 1 { "record" } else { "records" };
        lines.push(format!("{} ({} {noun}):", kind.kind.code(), kind.count));
        for example in kind.examples.iter().take(LISTED_PER_KIND) {
            lines.push(format!("  {}", summarized.sources.describe(example)));
        }
        let listed = kind.examples.len().min(LISTED_PER_KIND) as u64;
        if kind.count > listed {
            lines.push(format!(
                "  … and {} more (--format json lists the first {} of each kind)",
                kind.count - listed,
                summary.options.bad_examples
            ));
        }
    }
    lines
}

fn period_words(kind: PeriodKind) -> String {
    match kind {
        PeriodKind::Year => "by year".into(),
        PeriodKind::Quarter => "by quarter".into(),
        PeriodKind::Month => "by month".into(),
        range => format!("over {}", range.name()),
    }
}

/// One line per unit and period: counts, and rates as a percent with their exact counts.
fn table(summarized: &Summarized, width: Option<u16>) -> String {
    let summary = &summarized.summary;
    let mut out = format!(
        "{}: {} records, {} counted, {} bad; {}",
        summarized.files_label(),
        summary.records,
        summary.counted,
        summary.bad.total,
        period_words(summary.options.period)
    );
    if let Some(as_of) = summary.as_of {
        let how = if summary.options.as_of.is_some() {
            "the export's date"
        } else {
            "the latest date in the records"
        };
        out.push_str(&format!("; in progress counted on {as_of} ({how})"));
    }
    out.push('\n');
    if summary.groups.is_empty() {
        out.push_str("nothing to count\n");
        return out;
    }
    let mut table = Table::new();
    table.load_preset(presets::UTF8_FULL_CONDENSED);
    if let Some(width) = width {
        table
            .set_width(width)
            .set_content_arrangement(ContentArrangement::Dynamic);
    }
    let header = [
        "unit",
        "period",
        "received",
        "resolved",
        "on time",
        "late",
        "pending",
        "overdue",
        "withdrawn",
        "online",
        "full online",
        "paid online",
        "digitised",
    ];
    table.set_header(header);
    for group in &summary.groups {
        table.add_row([
            group.label(),
            group.period.to_string(),
            group.received.to_string(),
            group.resolved.to_string(),
            rate(group, "on_time_rate"),
            group.resolved_late.to_string(),
            group.pending.to_string(),
            group.overdue_in_progress.to_string(),
            group.withdrawn.to_string(),
            rate(group, "online_rate"),
            rate(group, "full_online_rate"),
            rate(group, "paid_online_rate"),
            rate(group, "digitised_rate"),
        ]);
    }
    for i in 2..header.len() {
        if let Some(column) = table.column_mut(i) {
            column.set_cell_alignment(CellAlignment::Right);
        }
    }
    out.push_str(&table.to_string());
    out.push('\n');
    out.push_str(
        "rates: percent (exact counts); n/a: nothing to count; ?: the records do not say\n",
    );
    if !summary.bad.is_empty() {
        out.push_str(&format!(
            "{} bad records were not counted (listed on standard error)\n",
            summary.bad.total
        ));
    }
    out
}

/// A rate as `98.70% (987/1000)`, `n/a` or `?`.
fn rate(group: &GroupSummary, name: &str) -> String {
    match group.value(name) {
        None => "?".into(),
        Some(Value::NotApplicable) => "n/a".into(),
        Some(value) => {
            let text = value.to_string();
            let parsed = text
                .split_once('/')
                .and_then(|(n, d)| Some((n.parse::<u128>().ok()?, d.parse::<u128>().ok()?)));
            match parsed {
                Some((num, den)) if den > 0 => format!("{} ({text})", percent(num, den)),
                _ => text,
            }
        }
    }
}

/// `num / den` as a percent with two decimals, rounded half up.
fn percent(num: u128, den: u128) -> String {
    let hundredths = (num * 20_000 + den) / (2 * den);
    format!("{}.{:02}%", hundredths / 100, hundredths % 100)
}

/// One row per unit and period: every summary indicator as in JSON, rates as exact counts.
fn csv(summarized: &Summarized) -> Result<Vec<u8>, Failure> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let failure = |error: csv::Error| Failure::Write {
        target: "CSV".into(),
        error: error.into(),
    };
    let header = ["unit", "sub_unit", "period", "evaluated_on"]
        .into_iter()
        .chain(SUMMARY_INDICATORS.iter().copied());
    writer.write_record(header).map_err(failure)?;
    for group in &summarized.summary.groups {
        let json = group.to_json();
        let record: Vec<String> = ["unit", "sub_unit", "period", "evaluated_on"]
            .into_iter()
            .chain(SUMMARY_INDICATORS.iter().copied())
            .map(|key| match &json[key] {
                Json::Null => String::new(),
                // A unit a spreadsheet would run as a formula is quoted.
                Json::String(s) => crate::output::escape::csv_cell(s).into_owned(),
                other => other.to_string(),
            })
            .collect();
        writer.write_record(&record).map_err(failure)?;
    }
    writer.into_inner().map_err(|e| Failure::Write {
        target: "CSV".into(),
        error: e.into_error(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percents_round_half_up_to_two_places() {
        assert_eq!(percent(1, 2), "50.00%");
        assert_eq!(percent(5, 7), "71.43%");
        assert_eq!(percent(2, 3), "66.67%");
        assert_eq!(percent(1, 8), "12.50%");
        assert_eq!(percent(1, 80_000), "0.00%");
        assert_eq!(percent(1, 16_000), "0.01%"); // 0.00625% rounds up
        assert_eq!(percent(0, 3), "0.00%");
        assert_eq!(percent(3, 3), "100.00%");
    }
}
