//! The results document shared by every interface: the CLI's JSON output, the golden test
//! files and the Python `to_dict()` all have this shape. Numbers are JSON numbers holding
//! their exact decimal digits.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};
use serde_json::{Map, Value as Json, json};

use crate::error::InputError;
use crate::eval::batch::{Batch, UnitResult};
use crate::eval::rank::TieBreak;
use crate::eval::result::{CriterionResult, Evaluation};
use crate::scheme::Criterion;
use crate::value::Value;

/// A summary of a batch.
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    /// Rows in the batch, bad ones included.
    pub units: usize,
    /// Rows scored.
    pub ok: usize,
    /// Rows that failed with an error.
    pub errors: usize,
    /// Mean of the units' exact indices, rounded as the scheme reports.
    pub mean_index: Option<Decimal>,
    /// Units per grade, in the scheme's grade order.
    pub grades: Vec<(String, usize)>,
    /// Units scored with at least one criterion without input.
    pub missing_units: usize,
    /// Criteria without input, over every unit scored.
    pub missing_criteria: usize,
}

/// The results document of a batch.
#[derive(Debug, Clone, Copy)]
pub struct Report<'a> {
    batch: &'a Batch,
}

impl Batch {
    /// The results document of this batch, to build ([`Report::to_json`]) or to serialise
    /// one result at a time (`serde_json::to_writer(file, &batch.report())`).
    pub fn report(&self) -> Report<'_> {
        Report { batch: self }
    }

    /// Counts of rows scored and failed, the mean index and the units per grade.
    pub fn summary(&self) -> Summary {
        let scheme = &self.scheme;
        let indices: Vec<Decimal> = self
            .results
            .iter()
            .filter_map(|r| r.outcome.as_ref().ok()?.index())
            .collect();
        let mean_index = (!indices.is_empty()).then(|| {
            let sum: Decimal = indices.iter().sum();
            scheme.rounding().round(sum / Decimal::from(indices.len()))
        });
        let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
        let (mut missing_units, mut missing_criteria) = (0, 0);
        for result in &self.results {
            let Ok(evaluation) = &result.outcome else {
                continue;
            };
            if let Some(grade) = evaluation.grade() {
                *counts.entry(grade.name.as_str()).or_default() += 1;
            }
            let missing = evaluation.missing().count();
            if missing > 0 {
                missing_units += 1;
                missing_criteria += missing;
            }
        }
        Summary {
            units: self.results.len(),
            ok: self.ok_count(),
            errors: self.error_count(),
            mean_index,
            grades: scheme
                .grades()
                .iter()
                .map(|g| {
                    (
                        g.name.clone(),
                        counts.get(g.name.as_str()).copied().unwrap_or(0),
                    )
                })
                .collect(),
            missing_units,
            missing_criteria,
        }
    }
}

/// An exact decimal as a JSON number.
pub(crate) fn number(d: Decimal) -> Json {
    d.normalize()
        .to_string()
        .parse::<serde_json::Number>()
        .map_or(Json::Null, Json::Number)
}

fn opt_number(d: Option<Decimal>) -> Json {
    d.map_or(Json::Null, number)
}

/// A value as JSON: numbers as numbers, counts as `"a/b"` text (exact), bools, `"n/a"`.
pub(crate) fn value_json(value: Option<Value>) -> Json {
    match value {
        None => Json::Null,
        Some(Value::Number(d)) => number(d),
        Some(Value::Bool(b)) => Json::Bool(b),
        Some(other) => Json::String(other.to_string()),
    }
}

impl Report<'_> {
    /// The whole document: `{"scheme": …, "results": […], "summary": …}`.
    ///
    /// This builds the document in memory; a large batch is better written with
    /// `serde_json::to_writer` on the report itself, which renders one result at a time
    /// into the same text.
    pub fn to_json(&self) -> Json {
        json!({
            "scheme": self.scheme_json(),
            "results": self.batch.results.iter().map(Report::result_json).collect::<Vec<_>>(),
            "summary": self.summary_json(),
        })
    }

    /// The document's `scheme` field: which scheme scored the batch, with its `bonus`,
    /// `penalties` and `ranking` when it sets them.
    pub fn scheme_json(&self) -> Json {
        let scheme = &self.batch.scheme;
        let mut out = json!({
            "id": scheme.id(),
            "title": scheme.title(),
            "version": scheme.version(),
            "estimated": scheme.estimated(),
        });
        if let Some((group, cap)) = scheme.bonus() {
            out["bonus"] = json!({
                "code": group.code,
                "title": group.title,
                "cap": number(cap),
                "index_above_100": scheme.index_above_100(),
            });
        }
        if let Some((group, cap)) = scheme.penalties() {
            out["penalties"] =
                json!({"code": group.code, "title": group.title, "cap": number(cap)});
        }
        if TieBreak::needed(scheme) {
            out["ranking"] = json!({
                "ties": scheme.file().ranking.ties,
                "tie_break": scheme.tie_break().map(|c| &c.code).collect::<Vec<_>>(),
            });
        }
        out
    }

    /// One entry of the document's `results`.
    pub fn result_json(result: &UnitResult) -> Json {
        let mut out = Map::new();
        out.insert("row".into(), json!(result.row));
        out.insert("unit".into(), json!(result.unit));
        out.insert("period".into(), json!(result.period));
        match &result.outcome {
            Ok(evaluation) => {
                out.insert("status".into(), json!("ok"));
                out.insert("error".into(), Json::Null);
                evaluation_fields(evaluation, &mut out);
                out.insert("rank".into(), json!(result.rank));
            }
            Err(error) => {
                out.insert("status".into(), json!("error"));
                out.insert("error".into(), error_json(error, result.row));
            }
        }
        Json::Object(out)
    }

    /// The document's `summary` field: with `missing`, how many units have criteria without
    /// input and how many such criteria there are in all.
    pub fn summary_json(&self) -> Json {
        let summary = self.batch.summary();
        json!({
            "units": summary.units,
            "ok": summary.ok,
            "errors": summary.errors,
            "mean_index": opt_number(summary.mean_index),
            "grades": summary.grades.iter()
                .map(|(name, n)| (name.clone(), json!(n)))
                .collect::<Map<_, _>>(),
            "missing": {
                "units": summary.missing_units,
                "criteria": summary.missing_criteria,
            },
        })
    }
}

/// The document of [`Report::to_json`], serialised one result at a time: a batch of many
/// units is written without its whole document in memory.
///
/// ```
/// use parscore::{Options, Scheme};
///
/// let scheme = Scheme::builtin("lang-son-snn-2024")?;
/// let mut unit = scheme.inputs("Sở A", None);
/// unit.set_text("survey_points", "18")?;
/// let batch = scheme.evaluate_batch([Ok(unit)], &Options::default());
/// let mut text = Vec::new();
/// serde_json::to_writer(&mut text, &batch.report())?;
/// assert_eq!(serde_json::from_slice::<serde_json::Value>(&text)?, batch.report().to_json());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
impl Serialize for Report<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut document = serializer.serialize_map(Some(3))?;
        document.serialize_entry("scheme", &self.scheme_json())?;
        document.serialize_entry("results", &Each(&self.batch.results, Report::result_json))?;
        document.serialize_entry("summary", &self.summary_json())?;
        document.end()
    }
}

/// A sequence serialised by rendering each item as it is written.
struct Each<'a, T, F>(&'a [T], F);

impl<T, F: Fn(&T) -> Json> Serialize for Each<'_, T, F> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut items = serializer.serialize_seq(Some(self.0.len()))?;
        for item in self.0 {
            items.serialize_element(&(self.1)(item))?;
        }
        items.end()
    }
}

/// The JSON of one evaluation (without batch fields such as rank). `missing` says how many
/// criteria had no input, the points they stand for and their codes, so that a gap is never
/// read as a failure.
pub(crate) fn evaluation_fields(evaluation: &Evaluation, out: &mut Map<String, Json>) {
    out.insert("points".into(), number(evaluation.points()));
    out.insert("max_points".into(), number(evaluation.max_points()));
    if let Some(bonus) = evaluation.bonus_points() {
        out.insert("bonus_points".into(), number(bonus));
    }
    if let Some(penalty) = evaluation.penalty_points() {
        out.insert("penalty_points".into(), number(penalty));
    }
    // With a bonus or penalties, each criterion and group says which part it is of.
    let scheme = evaluation.scheme();
    let parts = scheme.bonus().is_some() || scheme.penalties().is_some();
    let part = |criterion: &Criterion, json: &mut Json| {
        if parts {
            json["part"] = json!(criterion.part.name());
        }
    };
    out.insert("index".into(), opt_number(evaluation.index_rounded()));
    out.insert("grade".into(), json!(evaluation.grade().map(|g| &g.name)));
    let (count, points) = evaluation.missing_summary();
    out.insert(
        "missing".into(),
        json!({
            "count": count,
            "points": number(points),
            "criteria": evaluation.missing().map(|c| c.code()).collect::<Vec<_>>(),
        }),
    );
    let groups = evaluation
        .groups()
        .map(|g| {
            let mut json = json!({
                "code": g.code(),
                "title": g.title(),
                "points": number(g.points()),
                "max_points": number(g.max_points()),
                "index": opt_number(
                    evaluation
                        .scheme()
                        .rounding()
                        .index(g.points(), g.max_points())
                ),
            });
            part(g.criterion(), &mut json);
            json
        })
        .collect::<Vec<_>>();
    out.insert("groups".into(), Json::Array(groups));
    let criteria = evaluation
        .criteria()
        .map(|c| {
            let mut json = criterion_json(&c);
            part(c.criterion(), &mut json);
            json
        })
        .collect();
    out.insert("criteria".into(), Json::Array(criteria));
}

fn criterion_json(c: &CriterionResult<'_>) -> Json {
    json!({
        "code": c.code(),
        "title": c.title(),
        "indicator": c.indicator().id,
        "value": value_json(c.value()),
        "target": c.target().map(ToString::to_string),
        "passed": c.passed(),
        "margin": opt_number(c.margin()),
        "points": number(c.points()),
        "max_points": number(c.max_points()),
        "lost_points": number(c.lost_points()),
        "recoverable": number(c.recoverable()),
        "status": c.status().name(),
        "explanation": c.explanation(),
    })
}

fn error_json(error: &InputError, row: usize) -> Json {
    json!({
        "message": error.to_string(),
        "indicator": error.indicator(),
        "code": error.code(),
        "row": row,
    })
}

impl Evaluation {
    /// This evaluation as a JSON object with the fields of a report's result.
    pub fn to_json(&self) -> Json {
        let mut out = Map::new();
        out.insert("unit".into(), json!(self.unit()));
        out.insert("period".into(), json!(self.period()));
        evaluation_fields(self, &mut out);
        Json::Object(out)
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use crate::{InputError, Options, Scheme};

    #[test]
    fn each_result_and_the_summary_say_what_had_no_input() {
        let scheme = Scheme::from_toml(
            r#"
            id = "gaps"
            title = "Gaps"
            version = "1"
            [[indicators]]
            id = "held"
            title = "Đối thoại"
            kind = "bool"
            [[indicators]]
            id = "on_time"
            title = "Đúng hạn"
            kind = "percent"
            [[areas]]
            code = "A"
            title = "A"
            [[areas.criteria]]
            code = "A.1"
            title = "Đối thoại"
            indicator = "held"
            max_points = 1.5
            rule = { kind = "boolean" }
            [[areas.criteria]]
            code = "A.2"
            title = "Đúng hạn"
            indicator = "on_time"
            max_points = 2.25
            target = ">= 99"
            rule = { kind = "threshold" }
            "#,
        )
        .unwrap();
        let mut gap = scheme.inputs("Chi cục Thủy lợi", Some("2024".into()));
        gap.set_text("held", "có").unwrap();
        let mut whole = scheme.inputs("Sở NN&PTNT", Some("2024".into()));
        whole.set_text("held", "không").unwrap();
        whole.set_text("on_time", "99").unwrap();
        let rows = [
            Ok(gap),
            Ok(whole),
            Err(InputError::UnknownIndicator("x".into())),
        ];
        let batch = scheme.evaluate_batch(rows, &Options::default());
        let document = batch.report().to_json();
        assert_eq!(
            document["results"][0]["missing"],
            json!({"count": 1, "points": 2.25, "criteria": ["A.2"]})
        );
        assert_eq!(
            document["results"][1]["missing"],
            json!({"count": 0, "points": 0, "criteria": []})
        );
        assert!(document["results"][2].get("missing").is_none());
        assert_eq!(
            document["summary"]["missing"],
            json!({"units": 1, "criteria": 1})
        );
    }

    #[test]
    fn the_streamed_document_is_the_text_of_the_built_one() {
        let scheme = Scheme::builtin("lang-son-snn-2024").unwrap();
        let mut unit = scheme.inputs("Sở A", Some("2024".into()));
        unit.set_text("survey_points", "16.85").unwrap();
        unit.set_text("dossiers_on_time", "987").unwrap();
        unit.set_text("dossiers_resolved", "1000").unwrap();
        let rows = [Ok(unit), Err(InputError::UnknownIndicator("x".into()))];
        let batch = scheme.evaluate_batch(rows, &Options::default());
        let report = batch.report();
        assert_eq!(
            serde_json::to_string_pretty(&report).unwrap(),
            serde_json::to_string_pretty(&report.to_json()).unwrap()
        );
        assert_eq!(
            serde_json::to_string(&report).unwrap(),
            report.to_json().to_string()
        );
    }
}
