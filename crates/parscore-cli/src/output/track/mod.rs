//! `records track` in each output format: the JSON document is the core's tracking with the
//! scheme and the records read; the table, CSV, Markdown and HTML are made from it.

mod csv;
mod html;
mod markdown;
mod table;
mod view;

use parscore::Scheme;
use parscore_records::YearTracking;
use serde_json::{Map, Value as Json, json};

use super::Lang;
use crate::cli::TrackFormat;
use crate::fail::Failure;
use view::View;

/// A year tracked, with what it was tracked against and from.
pub struct Tracked<'a> {
    pub tracking: &'a YearTracking,
    pub scheme: &'a Scheme,
    /// The records' summary document (files, counts, bad records); its groups are left out.
    pub records: Json,
}

pub fn render(
    tracked: &Tracked<'_>,
    format: TrackFormat,
    lang: Lang,
    width: Option<u16>,
) -> Result<Vec<u8>, Failure> {
    let view = View::new(tracked, lang);
    Ok(match format {
        TrackFormat::Json => super::json_text(&document(tracked)?).into_bytes(),
        TrackFormat::Table => table::render(&view, width).into_bytes(),
        TrackFormat::Csv => csv::render(tracked.tracking)?,
        TrackFormat::Md => markdown::render(&view).into_bytes(),
        TrackFormat::Html => html::render(&view).into_bytes(),
    })
}

/// `{"scheme", "as_of", "year", …, "criteria", "untracked", "trends", "records"}`.
fn document(tracked: &Tracked<'_>) -> Result<Json, Failure> {
    let scheme = tracked.scheme;
    let mut document = Map::new();
    document.insert(
        "scheme".into(),
        json!({
            "id": scheme.id(),
            "title": scheme.title(),
            "version": scheme.version(),
            "estimated": scheme.estimated(),
        }),
    );
    let tracking = serde_json::to_value(tracked.tracking).map_err(|e| Failure::Write {
        target: "JSON".into(),
        error: e.into(),
    })?;
    if let Json::Object(fields) = tracking {
        document.extend(fields);
    }
    let mut records = tracked.records.clone();
    if let Json::Object(fields) = &mut records {
        fields.shift_remove("groups");
    }
    document.insert("records".into(), records);
    Ok(Json::Object(document))
}
