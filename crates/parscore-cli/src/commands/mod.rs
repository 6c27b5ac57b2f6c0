//! One module per command. Each returns how the run went, or the failure that stopped it.

pub mod compare;
pub mod evaluate;
pub mod explain;
pub mod records;
pub mod scheme;
pub mod scheme_source;
pub mod schemes;
pub mod sensitivity;
pub mod template;
pub mod track;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use parscore::{RawRow, Scheme};

use parscore_records::IndicatorMap;

use crate::cli::{InputArgs, RecordsArgs};
use crate::fail::Failure;
use crate::input::{self, FileRows, Place, ReadOptions, SourceRow};
use crate::records::Summarized;
use crate::run::{Run, RunOptions};

/// How a command that ran to the end went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Done {
    /// Everything asked for was done: exit 0.
    Clean,
    /// Some rows have errors; the others were scored: exit 1.
    RowErrors,
}

/// Dossier records whose counts become inputs (`evaluate --records`).
pub struct RecordsInput<'a> {
    pub files: &'a [PathBuf],
    pub options: &'a RecordsArgs,
    pub mapping: Option<&'a Path>,
    pub map: Option<&'a str>,
}

/// Loads the scheme, reads the inputs and scores them.
pub fn evaluate_inputs(args: &InputArgs) -> Result<Run, Failure> {
    evaluate_inputs_with(args, None).map(|(run, _)| run)
}

/// Loads the scheme, reads the inputs and the records, joins them by unit and period, and
/// scores them.
pub fn evaluate_inputs_with(
    args: &InputArgs,
    records: Option<RecordsInput<'_>>,
) -> Result<(Run, Option<Summarized>), Failure> {
    if args.inputs.is_empty() && records.is_none() {
        return Err(Failure::Usage(
            "give at least one INPUT file (or, to `evaluate`, --records FILE)".into(),
        ));
    }
    let scheme = scheme_source::load(&args.scheme)?;
    let files = if args.inputs.is_empty() {
        Vec::new()
    } else {
        input::read_all(
            &args.inputs,
            &ReadOptions {
                format: args.input_format,
                sheet: args.sheet.clone(),
                // The sheet may be the record files'.
                sheet_unused_ok: records.is_some(),
                decimal: args.decimal,
                scheme: Some(scheme.clone()),
            },
        )?
    };
    // Checked before the records are read and any row is scored: a misspelt header is
    // one mistake of the file, not one of every row.
    for ignored in input::columns::check(&scheme, &files, args.ignore_unknown)? {
        eprintln!("parscore: warning: {ignored}");
    }
    let mut rows = FileRows::rows_of(files);
    let mut summarized = None;
    let mut records_document = None;
    if let Some(records) = records {
        // The map is checked before the records are read: a long read should not end in
        // a mistake on the command line.
        let map = indicator_map(&scheme, records.mapping, records.map)?;
        let done = crate::records::summarize(&crate::records::Request {
            files: records.files,
            args: records.options,
            sheet: args.sheet.as_deref(),
            strict: args.strict,
        })?;
        let files: Vec<String> = done
            .sources
            .labels()
            .into_iter()
            .map(String::from)
            .collect();
        let given = done.summary.raw_rows(&map);
        records_document = Some(crate::records::records_json(&done, &map, &given));
        join_records(&mut rows, given, &files);
        summarized = Some(done);
    }
    if rows.is_empty() {
        crate::output::message("warning: the inputs hold no rows");
    }
    let mut run = Run::evaluate(
        &scheme,
        rows,
        RunOptions {
            strict: args.strict,
            ignore_unknown: args.ignore_unknown,
        },
    );
    run.records = records_document;
    Ok((run, summarized))
}

/// The indicator map: `--mapping FILE` with `--map` pairs added, or the pairs alone, or
/// the scheme's own map; checked against the scheme.
fn indicator_map(
    scheme: &Scheme,
    mapping: Option<&Path>,
    pairs: Option<&str>,
) -> Result<IndicatorMap, Failure> {
    let mut map = match mapping {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .map_err(|e| Failure::read(path.display().to_string(), e))?;
            IndicatorMap::from_toml(&text)
                .map_err(|e| Failure::read(path.display().to_string(), e))?
        }
        None if pairs.is_some() => IndicatorMap::default(),
        None => IndicatorMap::for_scheme(scheme),
    };
    if let Some(pairs) = pairs {
        let usage = |e: parscore_records::MappingError| Failure::Usage(format!("--map: {e}"));
        let extra = IndicatorMap::parse_pairs(pairs).map_err(usage)?;
        for (name, id) in extra.pairs() {
            map.insert(name, id).map_err(usage)?;
        }
    }
    let source = match (mapping, pairs) {
        (Some(path), _) => path.display().to_string(),
        (None, Some(_)) => "--map".to_string(),
        (None, None) => format!("the indicator map of `{}`", scheme.id()),
    };
    map.check(scheme)
        .map_err(|e| Failure::Records(format!("{source}: {e}")))?;
    if map.is_empty() {
        return Err(Failure::Records(format!(
            "{source} is empty: the scheme `{}` has no indicator named like a summary \
             indicator; give --mapping FILE or --map name=id,…",
            scheme.id()
        )));
    }
    Ok(map)
}

/// Joins the rows the records give (one per unit and period) to the input rows of the same
/// unit and period: the records' cells fill in, and an indicator both give is an error of
/// that row naming both. An input row without a period takes the records of its unit when
/// they cover one period only. Groups no input row has become rows of their own.
fn join_records(rows: &mut Vec<SourceRow>, groups: Vec<RawRow>, files: &[String]) {
    let key = |unit: &Option<String>| unit.as_deref().map(str::trim).unwrap_or("").to_string();
    let mut by_unit_period: HashMap<(String, Option<String>), usize> = HashMap::new();
    for (i, row) in rows.iter().enumerate() {
        let period = row.raw.period.clone();
        by_unit_period
            .entry((key(&row.raw.unit), period))
            .or_insert(i);
    }
    let mut periods_of_unit: HashMap<String, Vec<String>> = HashMap::new();
    for group in &groups {
        periods_of_unit
            .entry(key(&group.unit))
            .or_default()
            .extend(group.period.clone());
    }
    let records = files.join(", ");
    for group in groups {
        let unit = key(&group.unit);
        let exact = by_unit_period.get(&(unit.clone(), group.period.clone()));
        let unperiodized = by_unit_period.get(&(unit.clone(), None));
        let target = match (exact, unperiodized) {
            (Some(&i), _) => Some(i),
            (None, Some(&i)) => {
                let periods = &periods_of_unit[&unit];
                if periods.len() == 1 {
                    rows[i].raw.period = group.period.clone();
                    Some(i)
                } else {
                    rows[i].problem.get_or_insert_with(|| {
                        format!(
                            "no period, and the records of {records} give this unit several \
                             ({}): add a `period` column",
                            periods.join(", ")
                        )
                    });
                    None
                }
            }
            (None, None) => None,
        };
        let Some(i) = target else {
            let number = rows.len() + 1;
            rows.push(SourceRow {
                place: Place::Records {
                    files: files.to_vec(),
                },
                raw: RawRow {
                    row: number,
                    ..group
                },
                problem: None,
                bad_cells: Vec::new(),
            });
            continue;
        };
        let row = &mut rows[i];
        for (id, value) in group.cells {
            match row.raw.cells.iter_mut().find(|(name, _)| *name == id) {
                Some((_, given)) if !given.trim().is_empty() => {
                    let given = given.trim().to_string();
                    row.problem.get_or_insert_with(|| {
                        format!(
                            "indicator `{id}` is given both here ({given}) and by the records \
                             of {records} ({value})"
                        )
                    });
                }
                Some((_, empty)) => *empty = value,
                None => row.raw.cells.push((id, value)),
            }
        }
    }
}
