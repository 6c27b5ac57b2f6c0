//! The JSON document of a study: the results of `parscore-uncertainty` with the keys scripts
//! rely on (`units[]` with `unit`, `period`, `index`, `p05`, `p50`, `p95`, `grades`,
//! `rank_p05`, `rank_p95`; `variance_share[]` with `code`, `first`, `total`, `first_se`,
//! `total_se`), each unit with its `source` and criteria without input, and the model.
//! Exact figures are text (`"85.12"`), probabilities and shares numbers.

use serde_json::{Map, Value as Json, json};

use super::{Analysis, ModelSource};
use crate::output::json::render as pretty;

pub fn render(analysis: &Analysis<'_>) -> String {
    pretty(&document(analysis))
}

fn document(analysis: &Analysis<'_>) -> Json {
    let mut document = serde_json::to_value(analysis.results).unwrap_or(Json::Null);
    let Json::Object(fields) = &mut document else {
        return document;
    };
    let model = match analysis.model {
        ModelSource::Default { spread } => {
            json!({"file": null, "weights": spread.normalize().to_string(), "default": true})
        }
        ModelSource::Weights(spread) => {
            json!({"file": null, "weights": spread.normalize().to_string(), "default": false})
        }
        ModelSource::File { path, weights } => json!({
            "file": path,
            "weights": weights.map(|w| w.normalize().to_string()),
            "default": false,
        }),
    };
    let mut with_model = Map::new();
    for (key, value) in std::mem::take(fields) {
        let after = key == "seed";
        with_model.insert(key, value);
        if after {
            with_model.insert("model".into(), model.clone());
            with_model.insert("varies".into(), Json::Bool(!analysis.certain));
        }
    }
    *fields = with_model;
    if let Some(Json::Array(units)) = fields.get_mut("units") {
        for (unit, row) in units.iter_mut().zip(analysis.rows()) {
            let Json::Object(unit) = unit else { continue };
            let mut with_source = Map::new();
            for (key, value) in std::mem::take(unit) {
                let after = key == "row";
                with_source.insert(key, value);
                if after {
                    with_source.insert("source".into(), row.place.to_json());
                }
            }
            if let Some((count, points)) = row.missing {
                with_source.insert(
                    "missing".into(),
                    json!({"count": count, "points": points.normalize().to_string()}),
                );
            }
            *unit = with_source;
        }
    }
    document
}
