//! `parscore sensitivity`: how sure the scores are. The inputs are read and scored as
//! `evaluate` reads them; an uncertainty study of the batch (parscore-uncertainty) draws
//! samples of the model and scores every unit under each, exactly; the results are written
//! in every output format.

use std::io::IsTerminal;
use std::path::Path;

use parscore::{Decimal, Scheme, SchemeError};
use parscore_uncertainty::model::{Distribution, Keep, Vary, WeightsFile};
use parscore_uncertainty::{Level, Model, ModelFile, Settings, Study};

use crate::cli::{FactorLevel, OutputFormat, SensitivityArgs};
use crate::commands::{Done, evaluate_inputs};
use crate::fail::Failure;
use crate::output::sensitivity::{Analysis, ModelSource};
use crate::output::{self, Destination, Protected, Rendering};

/// The most samples a run takes: each is an evaluation of every unit (and the variance
/// shares take as many more per factor), held in memory until the statistics are made.
pub const MAX_SAMPLES: usize = 1_000_000;

pub fn run(args: &SensitivityArgs) -> Result<Done, Failure> {
    let format = match (args.format, &args.output) {
        (Some(format), _) => format,
        (None, None) => OutputFormat::Table,
        (None, Some(path)) => OutputFormat::from_path(path).ok_or_else(|| {
            Failure::Usage(format!(
                "cannot tell the format from `{}`: give --format \
                 (table, csv, json, md, html or xlsx)",
                path.display()
            ))
        })?,
    };
    if format == OutputFormat::Xlsx {
        output::binary::needs_file(args.output.as_deref(), "sensitivity.xlsx")?;
    }
    if !(1..=MAX_SAMPLES).contains(&args.samples) {
        return Err(Failure::Usage(format!(
            "--samples {}: give from 1 to {MAX_SAMPLES} samples",
            args.samples
        )));
    }
    if args.threads == Some(0) {
        return Err(Failure::Usage(
            "--threads 0: give at least one thread".into(),
        ));
    }
    if args.input.inputs.is_empty() {
        return Err(Failure::Usage("give at least one INPUT file".into()));
    }
    let destination = Destination::open(args.output.as_deref(), &own_files(args))?;
    // Read before the inputs: a model file that cannot be read is not worth a long read.
    let model_text = match &args.model {
        Some(path) => Some(
            std::fs::read_to_string(path)
                .map_err(|e| Failure::read(path.display().to_string(), e))?,
        ),
        None => None,
    };
    let run = evaluate_inputs(&args.input)?;
    if !args.input.quiet {
        for (_, line) in run.errors() {
            output::message(&line);
        }
    }
    let scheme = &run.batch.scheme;
    let (model, source) = model(
        scheme,
        args.model.as_deref().zip(model_text.as_deref()),
        args.weights,
    )?;
    let settings = Settings {
        samples: args.samples,
        seed: args.seed,
        threads: args.threads,
        sensitivity: Some(match args.factors {
            FactorLevel::Areas => Level::Areas,
            FactorLevel::Criteria => Level::Criteria,
        }),
    };
    let results = Study::new(&run.batch, &model, settings)
        .and_then(|study| study.run())
        .map_err(|e| Failure::Usage(format!("the study cannot run: {e}")))?;
    let certain = model.is_certain();
    if !args.input.quiet {
        output::message(&format!(
            "{} samples, seed {}: `--seed {}` gives these results again{}",
            args.samples,
            args.seed,
            args.seed,
            if certain {
                "; nothing varies under this model"
            } else {
                ""
            }
        ));
    }
    let analysis = Analysis {
        run: &run,
        results: &results,
        model: &source,
        certain,
    };
    let terminal = destination.is_stdout() && std::io::stdout().is_terminal();
    let rendering = Rendering {
        lang: args.lang,
        width: (terminal && format == OutputFormat::Table)
            .then(output::terminal_width)
            .flatten(),
        terminal,
    };
    let bytes = output::sensitivity::render(&analysis, format, rendering)?;
    if terminal && format == OutputFormat::Csv {
        destination.write(output::for_terminal(&bytes).as_ref())?;
    } else {
        destination.write(&bytes)?;
    }
    Ok(if run.batch.error_count() > 0 {
        Done::RowErrors
    } else {
        Done::Clean
    })
}

/// The files the command reads, which `--output` must not name.
fn own_files(args: &SensitivityArgs) -> Vec<Protected<'_>> {
    let mut files: Vec<Protected<'_>> = args
        .input
        .inputs
        .iter()
        .map(|path| Protected::new(path, "an input"))
        .collect();
    files.push(Protected::new(Path::new(&args.input.scheme), "the scheme"));
    if let Some(model) = &args.model {
        files.push(Protected::new(model, "the uncertainty model"));
    }
    files
}

/// The model: the file's (its problems located at their lines, as a scheme's), with
/// `--weights` laid over its `[weights]`; or `--weights` alone; or the scheme's default.
/// Whatever the text, a model or a failure naming the file; never a panic.
pub fn model(
    scheme: &Scheme,
    file: Option<(&Path, &str)>,
    weights: Option<Decimal>,
) -> Result<(Model, ModelSource), Failure> {
    let weights_file = |spread: Decimal| WeightsFile {
        distribution: Distribution::Uniform,
        spread: Some(toml::Spanned::new(0..0, parscore::file::Num(spread))),
        concentration: None,
        vary: Vary::Criteria,
        keep: Keep::Total,
        fixed: Vec::new(),
        criterion: Vec::new(),
    };
    let weights_problem = |error: SchemeError| {
        let reasons: Vec<String> = error
            .problems()
            .iter()
            .map(|p| p.kind.to_string())
            .collect();
        Failure::Usage(format!("--weights: {}", reasons.join("; ")))
    };
    let Some((path, text)) = file else {
        return match weights {
            Some(spread) => {
                let file = ModelFile {
                    weights: Some(weights_file(spread)),
                    ..ModelFile::default()
                };
                let model = Model::from_file(scheme, file).map_err(weights_problem)?;
                Ok((model, ModelSource::Weights(spread)))
            }
            None => {
                let spread = if scheme.estimated() {
                    Decimal::from(DEFAULT_SPREAD)
                } else {
                    Decimal::ZERO
                };
                Ok((Model::default_for(scheme), ModelSource::Default { spread }))
            }
        };
    };
    let shown = path.display().to_string();
    let located = |error: SchemeError| Failure::Scheme {
        file: shown.clone(),
        error,
    };
    let model = Model::from_toml(scheme, text).map_err(located)?;
    let source = ModelSource::File {
        path: shown.clone(),
        weights,
    };
    let Some(spread) = weights else {
        return Ok((model, source));
    };
    // The file read as data, its `[weights]` replaced: the rest of it was checked above,
    // with its places.
    let mut file = model_file(text).map_err(located)?;
    file.weights = Some(weights_file(spread));
    let model = Model::from_file(scheme, file).map_err(weights_problem)?;
    Ok((model, source))
}

/// The default spread of an estimated scheme's points, as `Model::default_for` draws it
/// (a test checks that the two agree).
const DEFAULT_SPREAD: i64 = 20;

/// A model file as data: its keys at the top, or in an `[uncertainty]` table.
fn model_file(text: &str) -> Result<ModelFile, SchemeError> {
    #[derive(serde::Deserialize)]
    struct Section {
        uncertainty: ModelFile,
    }
    let syntax = |e: toml::de::Error| SchemeError::Syntax {
        location: None,
        code: None,
        message: e.message().trim().to_string(),
    };
    let table: toml::Table = toml::from_str(text).map_err(syntax)?;
    if table.contains_key("uncertainty") {
        toml::from_str::<Section>(text)
            .map(|s| s.uncertainty)
            .map_err(syntax)
    } else {
        toml::from_str::<ModelFile>(text).map_err(syntax)
    }
}
