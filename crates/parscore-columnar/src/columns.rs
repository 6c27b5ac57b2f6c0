//! Columnar scoring: Arrow record batches in (a pandas, polars or pyarrow frame, a Parquet
//! file), the figures of every row out, scored in parallel, one block of rows at a time.
//!
//! Each column is typed once. A block's indicator columns are decoded into exact integer
//! lanes ([`lane`](crate::lane)), derived rates are formed from their counts down the lanes,
//! and each criterion is scored down the block by its compiled kernel ([`plan`](crate::plan),
//! [`kernel`](crate::kernel), [`pass`](crate::pass)). A row with a cell
//! the lanes cannot hold exactly, or an error to report, is scored again by the general,
//! row-by-row path, which reports exactly what [`Scheme::evaluate`] would. One output row
//! per input row, in order: a row that cannot be read or scored keeps its place with its
//! error.

use std::ops::Range;

use arrow_array::cast::AsArray;
use arrow_array::{Array, RecordBatch, StringArray};
use rayon::prelude::*;
use rust_decimal::Decimal;

use crate::ScoreBatches;
use crate::kernel::{POINT_PLACES, points_of};
use crate::lane::{Bits, Cell, Check, Lanes, Numbers, ONE};
use crate::plan::{Block, Plan};
use crate::points::CriterionPoints;
use crate::reader::{Raw, Reader};
use crate::{lane, points};
use parscore::engine::{POW10, TieBreak, competition_ranks, compiled, fit, read, set_values};
use parscore::{
    ExactSum, IndicatorSource, InputError, Inputs, Options, Rounding, Scheme, Score, Scorer,
    Status, Ties, Value,
};

/// How a columnar run reads and scores its rows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ColumnarOptions {
    /// A missing value fails its row.
    pub strict: bool,
    /// Columns that are not indicators of the scheme are skipped instead of failing every row.
    pub ignore_unknown: bool,
    /// Threads to score with; `None` uses every core (rayon's global pool).
    pub threads: Option<usize>,
    /// Keep the points of every leaf criterion ([`Figures::criteria`]), 16 bytes per
    /// criterion and row; off, only the headline figures are kept.
    pub criteria: bool,
    /// Keep what each row had no input for: every leaf criterion's status
    /// ([`Figures::statuses`], a byte per criterion and row) and the count and points of the
    /// criteria without input ([`Figures::missing`], [`Figures::missing_points`]), as
    /// [`Evaluation::missing_summary`](parscore::Evaluation::missing_summary) gives them.
    pub coverage: bool,
}

/// The figures of every input row, one entry per row in input order.
#[derive(Debug, Clone, PartialEq)]
pub struct Figures {
    /// Unit labels as read (trimmed; a number as its shortest decimal); null when empty.
    pub units: StringArray,
    /// Period labels as read, like `units`; all null without a `period` column.
    pub periods: StringArray,
    /// The rows that failed, by 0-based row, in order.
    pub errors: Vec<(usize, InputError)>,
    /// Total points, exact; 0 for a row that failed.
    pub points: Vec<Decimal>,
    /// The applicable maximum (the scheme's less every excluded criterion); 0 for a row that
    /// failed.
    pub max_points: Vec<Decimal>,
    /// The reported (rounded) index.
    pub index: Vec<Option<Decimal>>,
    /// Position of the row's grade in [`Scheme::grades`].
    pub grades: Vec<Option<usize>>,
    /// Competition rank within the row's period, as [`Batch`](parscore::Batch) ranks: by
    /// the reported index, then as the scheme's `[ranking]` says.
    pub ranks: Vec<Option<usize>>,
    /// The bonus points counted (see [`Evaluation::bonus_points`](parscore::Evaluation::bonus_points));
    /// empty when the scheme gives no bonus, 0 for a row that failed.
    pub bonus: Vec<Decimal>,
    /// The penalty points taken off (see
    /// [`Evaluation::penalty_points`](parscore::Evaluation::penalty_points)); empty when the
    /// scheme has no penalties, 0 for a row that failed.
    pub penalties: Vec<Decimal>,
    /// Each row's points in the scheme's tie-break nodes ([`Scheme::tie_break`]), as many a
    /// row as it has, row after row; empty when it has none, 0 for a row that failed. With
    /// `points` and `max_points`, what [`Scheme::rank_rows`] and [`TieKeys`](crate::TieKeys) need to rank
    /// rows scored apart.
    pub tie_keys: Vec<Decimal>,
    /// Points per leaf criterion (scheme order), each a column over the rows; empty unless
    /// [`ColumnarOptions::criteria`] asked for them.
    pub criteria: Vec<CriterionPoints>,
    /// The status of each leaf criterion (scheme order), each a column over the rows; `None`
    /// for a row that failed. Empty unless [`ColumnarOptions::coverage`] asked for them.
    pub statuses: Vec<Vec<Option<Status>>>,
    /// How many criteria of each row had no input (status `missing`); 0 for a row that
    /// failed. Empty unless [`ColumnarOptions::coverage`] asked for it.
    pub missing: Vec<u32>,
    /// The points the criteria without input stand for (their maxima, all lost); 0 for a
    /// row that failed. Empty unless [`ColumnarOptions::coverage`] asked for it.
    pub missing_points: Vec<Decimal>,
}

impl Figures {
    /// The number of rows, failed ones included.
    pub fn len(&self) -> usize {
        self.points.len()
    }

    /// Whether there are no rows.
    pub fn is_empty(&self) -> bool {
        self.points.is_empty()
    }

    /// The error of a row (0-based), if it failed.
    pub fn error(&self, row: usize) -> Option<&InputError> {
        self.errors
            .binary_search_by_key(&row, |(r, _)| *r)
            .ok()
            .map(|i| &self.errors[i].1)
    }
}

/// Rows rayon hands out at a time: enough to amortise a task, few enough to balance.
const CHUNK: usize = 8 * 1024;
/// Rows the kernels score at a time, so that a block's lanes stay in cache.
pub(crate) const BLOCK: usize = 256;

impl ScoreBatches for Scheme {
    /// Scores every row of the batches (all with the same columns): a `unit` column, an
    /// optional `period`, and a column per indicator id holding numbers, decimals, text cells
    /// (`"987/1000"`, `"n/a"`), booleans or nulls (missing). Floats are read as their
    /// shortest form (see [`Value::from_f64`]).
    ///
    /// Fails as a whole only for a table it cannot read at all: no `unit` column, a column
    /// given twice (two columns of one name, or of names that are one in Unicode's composed
    /// form), or a column of a type that holds no values (a list, a struct).
    ///
    /// ```
    /// use std::sync::Arc;
    /// use arrow_array::{ArrayRef, Float64Array, RecordBatch, StringArray};
    /// use parscore::{Decimal, Scheme};
    /// use parscore_columnar::{ColumnarOptions, ScoreBatches};
    ///
    /// let scheme = Scheme::builtin("lang-son-snn-2024")?;
    /// let batch = RecordBatch::try_from_iter([
    ///     ("unit", Arc::new(StringArray::from(vec!["A", "B"])) as ArrayRef),
    ///     ("survey_points", Arc::new(Float64Array::from(vec![Some(16.85), None]))),
    /// ])?;
    /// let figures = scheme.score_batches(&[batch], &ColumnarOptions::default())?;
    /// assert_eq!(figures.points, [Decimal::new(1685, 2), Decimal::ZERO]);
    /// assert_eq!(figures.units.value(1), "B");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    fn score_batches(
        &self,
        batches: &[RecordBatch],
        options: &ColumnarOptions,
    ) -> Result<Figures, InputError> {
        let tables = batches
            .iter()
            .map(|batch| Columns::of(self, batch, options.ignore_unknown))
            .collect::<Result<Vec<_>, _>>()?;
        let rows: usize = batches.iter().map(RecordBatch::num_rows).sum();
        let asked = |asked: bool, n: usize| if asked { n } else { 0 };
        let leaves = asked(options.criteria, compiled(self).leaves.len());
        let (covered, statuses) = (
            asked(options.coverage, rows),
            asked(options.coverage, compiled(self).leaves.len()),
        );
        let mut figures = Figures {
            units: StringArray::new_null(0),
            periods: StringArray::new_null(0),
            errors: Vec::new(),
            points: vec![Decimal::ZERO; rows],
            max_points: vec![Decimal::ZERO; rows],
            index: vec![None; rows],
            grades: vec![None; rows],
            ranks: Vec::new(),
            bonus: vec![Decimal::ZERO; asked(compiled(self).bonus.is_some(), rows)],
            penalties: vec![Decimal::ZERO; asked(compiled(self).penalties.is_some(), rows)],
            tie_keys: Vec::new(),
            criteria: Vec::new(),
            statuses: (0..statuses).map(|_| vec![None; rows]).collect(),
            missing: vec![0; covered],
            missing_points: vec![Decimal::ZERO; covered],
        };
        // One allocation each: `vec![column; leaves]` would copy the first column's zeros into
        // every other, where a fresh allocation's are the system's untouched pages.
        let mut criteria: Vec<Vec<i128>> = (0..leaves).map(|_| vec![0; rows]).collect();
        let width = compiled(self).tie_break.len();
        let mut keys = vec![Decimal::ZERO; rows * width];
        let mut tasks = Vec::new();
        let mut rest = Out::of(&mut figures, &mut criteria, &mut keys, width);
        let mut first_row = 0;
        for (table, batch) in tables.iter().zip(batches) {
            for start in (0..batch.num_rows()).step_by(CHUNK) {
                let end = (start + CHUNK).min(batch.num_rows());
                tasks.push(Task {
                    table,
                    rows: start..end,
                    first_row: first_row + start,
                    out: rest.take(end - start),
                });
            }
            first_row += batch.num_rows();
        }
        let plan = Plan::new(
            self,
            Options {
                strict: options.strict,
            },
        );
        let grading = Grading::of(self);
        let run = Run {
            scheme: self,
            plan: &plan,
            grading: &grading,
        };
        let score = |block: &mut Block, task: Task<'_, '_>| {
            task.table
                .score(&run, block, task.rows, task.first_row, task.out)
        };
        let workers = Workers::of(options.threads)?;
        // A block's scratch for each worker rather than each task: the leaves' memos of
        // quotients then fill once per worker, not once per 8,192 rows.
        let chunks = workers.map_init(tasks, Block::default, score);
        let columns = criteria.into_iter().enumerate().collect();
        figures.criteria = workers.map(columns, |(leaf, column)| {
            one_scale(column, leaf, leaves, &chunks)
        });
        let runs: Vec<usize> = batches
            .iter()
            .map(|batch| batch.num_rows().div_ceil(CHUNK))
            .collect();
        figures.units = joined(label_parts(&tables, &runs, &chunks, |table, chunk| {
            (&table.unit, &chunk.units)
        }))?;
        figures.periods = joined(label_parts(&tables, &runs, &chunks, |table, chunk| {
            (&table.period, &chunk.periods)
        }))?;
        figures.errors = chunks.into_iter().flat_map(|chunk| chunk.errors).collect();
        // Every index carries the scheme's places: its mantissa orders it.
        let periods = figures.index.iter().zip(figures.periods.iter());
        let tie = TieBreak {
            exact: compiled(self).ties == Ties::Exact,
            points: &figures.points,
            max_points: &figures.max_points,
            keys: &keys,
            width,
        };
        figures.ranks = competition_ranks(
            periods.map(|(index, period)| index.map(|_| period)),
            |row| figures.index[row].map_or(0, |index| index.mantissa()),
            TieBreak::needed(self).then_some(&tie),
        );
        figures.tie_keys = keys;
        Ok(figures)
    }

    /// The rows of `batch` to read one by one; fails as [`Scheme::score_batches`] fails for
    /// a table it cannot read at all.
    fn batch_rows(
        &self,
        batch: &RecordBatch,
        ignore_unknown: bool,
    ) -> Result<BatchRows<'_>, InputError> {
        Ok(BatchRows {
            scheme: self,
            columns: Columns::of(self, batch, ignore_unknown)?,
        })
    }
}

/// The rows of a record batch, each read on its own as [`Scheme::score_batches`] reads it:
/// for the full [`Evaluation`](parscore::Evaluation) of a row the columnar engine scored, with
/// its margins and reasons, or the error the engine gives it.
///
/// ```
/// use std::sync::Arc;
/// use arrow_array::{ArrayRef, Float64Array, RecordBatch, StringArray};
/// use parscore::{Options, Scheme};
/// use parscore_columnar::ScoreBatches;
///
/// let scheme = Scheme::builtin("lang-son-snn-2024")?;
/// let batch = RecordBatch::try_from_iter([
///     ("unit", Arc::new(StringArray::from(vec!["A"])) as ArrayRef),
///     ("survey_points", Arc::new(Float64Array::from(vec![16.85]))),
/// ])?;
/// let rows = scheme.batch_rows(&batch, false)?;
/// let evaluation = scheme.evaluate(&rows.inputs(0)?, &Options::default())?;
/// assert_eq!(evaluation.criterion("KS.1").unwrap().points().to_string(), "16.85");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct BatchRows<'s> {
    scheme: &'s Scheme,
    columns: Columns,
}

impl BatchRows<'_> {
    /// The inputs of row `i` (from 0): its unit and period labels and each cell, read and
    /// checked as the columnar engine reads them; the error it gives the row when a cell
    /// fails (a row without a unit fails as row `i + 1`).
    pub fn inputs(&self, i: usize) -> Result<Inputs, InputError> {
        let (columns, mut text) = (&self.columns, String::new());
        let mut values = vec![None; self.scheme.indicators().len()];
        columns.read_row(self.scheme, i, i, &mut text, &mut values)?;
        let mut label = |reader: &Option<Reader>| {
            let label = reader.as_ref().and_then(|r| r.label(i, &mut text));
            label.map(str::to_string)
        };
        let unit = label(&columns.unit).unwrap_or_default();
        let mut inputs = self.scheme.inputs(unit, label(&columns.period));
        set_values(&mut inputs, values);
        Ok(inputs)
    }
}

/// What every task of a run scores with.
#[derive(Clone, Copy)]
struct Run<'a> {
    scheme: &'a Scheme,
    plan: &'a Plan,
    grading: &'a Grading,
}

/// Where a run's work is done: on the caller's thread, or on rayon's global pool or one of
/// the caller's size.
enum Workers {
    One,
    Global,
    Pool(rayon::ThreadPool),
}

impl Workers {
    fn of(threads: Option<usize>) -> Result<Workers, InputError> {
        Ok(match threads {
            Some(1) => Workers::One,
            None => Workers::Global,
            Some(threads) => Workers::Pool(
                rayon::ThreadPoolBuilder::new()
                    .num_threads(threads)
                    .build()
                    .map_err(|e| InputError::Row {
                        row: 0,
                        reason: format!("cannot start {threads} threads: {e}"),
                    })?,
            ),
        })
    }

    /// `f` of every item, in order, each call with a scratch `S` that `init` makes for its
    /// worker (one per split of the work under rayon) and that calls on the same worker share.
    fn map_init<T: Send, S, R: Send>(
        &self,
        items: Vec<T>,
        init: impl Fn() -> S + Sync + Send,
        f: impl Fn(&mut S, T) -> R + Sync + Send,
    ) -> Vec<R> {
        match self {
            Workers::One => {
                let mut scratch = init();
                items
                    .into_iter()
                    .map(|item| f(&mut scratch, item))
                    .collect()
            }
            Workers::Global => items.into_par_iter().map_init(init, f).collect(),
            Workers::Pool(pool) => {
                pool.install(|| items.into_par_iter().map_init(init, f).collect())
            }
        }
    }

    /// `f` of every item, in order.
    fn map<T: Send, R: Send>(&self, items: Vec<T>, f: impl Fn(T) -> R + Sync + Send) -> Vec<R> {
        self.map_init(items, || (), |_, item| f(item))
    }
}

/// A criterion's column, written block by block at the places each run of rows had needed
/// by then, brought to the most of them: blocks with fewer are scaled up (a multiplication,
/// where narrowing again would divide).
fn one_scale(
    mut column: Vec<i128>,
    leaf: usize,
    leaves: usize,
    chunks: &[Labels],
) -> CriterionPoints {
    let blocks = || {
        chunks.iter().flat_map(|chunk| {
            let starts = chunk.rows.clone().step_by(BLOCK);
            starts
                .zip(chunk.places.chunks_exact(leaves))
                .map(move |(start, places)| {
                    (
                        start..(start + BLOCK).min(chunk.rows.end),
                        u32::from(places[leaf]),
                    )
                })
        })
    };
    let scale = blocks().map(|(_, places)| places).max().unwrap_or(0);
    for (rows, places) in blocks() {
        if places < scale {
            let up = POW10[(scale - places) as usize];
            for units in &mut column[rows] {
                *units *= up;
            }
        }
    }
    CriterionPoints::at_scale(column, scale)
}

/// The labels of each batch (of `runs[b]` runs of rows each), as [`joined`] takes them: a
/// batch's own column when every run of it kept its labels as a slice of that column (the
/// usual case: clean text labels), so that they are not copied at all; else its runs'.
fn label_parts<'a>(
    tables: &'a [Columns],
    runs: &[usize],
    chunks: &'a [Labels],
    labels: impl Fn(&'a Columns, &'a Labels) -> (&'a Option<Reader>, &'a StringArray),
) -> Vec<&'a StringArray> {
    let mut parts = Vec::new();
    let mut rest = chunks;
    for (table, &count) in tables.iter().zip(runs) {
        let (batch, tail) = rest.split_at(count);
        rest = tail;
        let column = batch
            .first()
            .and_then(|chunk| match labels(table, chunk).0 {
                Some(Reader::Text(column)) => Some(column),
                _ => None,
            });
        // A run's labels were built anew, in buffers of their own, unless they are a slice
        // of the column: then their offsets lie within the column's.
        let kept = |column: &StringArray| {
            let offsets = column.offsets().as_ptr_range();
            batch
                .iter()
                .all(|chunk| offsets.contains(&labels(table, chunk).1.offsets().as_ptr()))
        };
        match column {
            Some(column) if kept(column) => parts.push(column),
            _ => parts.extend(batch.iter().map(|chunk| labels(table, chunk).1)),
        }
    }
    parts
}

/// The label columns of the batches or of their runs of rows, one after the other, copied
/// only when there are more than one. Fails only when the labels of all batches together
/// pass the 2 GiB a string column holds.
fn joined(parts: Vec<&StringArray>) -> Result<StringArray, InputError> {
    match parts.as_slice() {
        [] => return Ok(StringArray::new_null(0)),
        [one] => return Ok((*one).clone()),
        _ => {}
    }
    let parts: Vec<&dyn Array> = parts.iter().map(|part| *part as &dyn Array).collect();
    arrow_select::concat::concat(&parts)
        .map(|joined| joined.as_string::<i32>().clone())
        .map_err(|e| InputError::Row {
            row: 0,
            reason: format!("the unit and period labels cannot be joined into one column: {e}"),
        })
}

/// A run of rows to score, and where its figures go.
struct Task<'t, 'f> {
    table: &'t Columns,
    rows: Range<usize>,
    first_row: usize,
    out: Out<'f>,
}

/// The figures of a run of rows: slices of the full-length columns of [`Figures`], so that
/// each task writes its rows in place.
struct Out<'f> {
    points: &'f mut [Decimal],
    max_points: &'f mut [Decimal],
    index: &'f mut [Option<Decimal>],
    grades: &'f mut [Option<usize>],
    /// Each criterion's points, block by block at the places its column had needed by then
    /// (brought to one scale by [`one_scale`]).
    criteria: Vec<&'f mut [i128]>,
    /// With coverage: each criterion's status, and each row's criteria without input.
    statuses: Vec<&'f mut [Option<Status>]>,
    missing: &'f mut [u32],
    missing_points: &'f mut [Decimal],
    /// Empty when the scheme has no bonus, no penalties.
    bonus: &'f mut [Decimal],
    penalties: &'f mut [Decimal],
    /// Each row's points in the tie-break nodes, `width` a row.
    keys: &'f mut [Decimal],
    width: usize,
}

/// Takes the first `n` items of a column off it (all of a shorter one: an empty column of a
/// figure not asked for).
fn take<'f, T>(column: &mut &'f mut [T], n: usize) -> &'f mut [T] {
    let all = std::mem::take(column);
    let (head, tail) = all.split_at_mut(n.min(all.len()));
    *column = tail;
    head
}

impl<'f> Out<'f> {
    fn of(
        figures: &'f mut Figures,
        criteria: &'f mut [Vec<i128>],
        keys: &'f mut [Decimal],
        width: usize,
    ) -> Out<'f> {
        Out {
            points: &mut figures.points,
            max_points: &mut figures.max_points,
            index: &mut figures.index,
            grades: &mut figures.grades,
            criteria: criteria.iter_mut().map(Vec::as_mut_slice).collect(),
            statuses: figures.statuses.iter_mut().map(Vec::as_mut_slice).collect(),
            missing: &mut figures.missing,
            missing_points: &mut figures.missing_points,
            bonus: &mut figures.bonus,
            penalties: &mut figures.penalties,
            keys,
            width,
        }
    }

    /// Takes the figures of the first `rows` rows off these.
    fn take(&mut self, rows: usize) -> Out<'f> {
        Out {
            points: take(&mut self.points, rows),
            max_points: take(&mut self.max_points, rows),
            index: take(&mut self.index, rows),
            grades: take(&mut self.grades, rows),
            criteria: self.criteria.iter_mut().map(|c| take(c, rows)).collect(),
            statuses: self.statuses.iter_mut().map(|c| take(c, rows)).collect(),
            missing: take(&mut self.missing, rows),
            missing_points: take(&mut self.missing_points, rows),
            bonus: take(&mut self.bonus, rows),
            penalties: take(&mut self.penalties, rows),
            keys: take(&mut self.keys, rows * self.width),
            width: self.width,
        }
    }

    /// Writes a scored row's statuses (with each leaf's maximum in point units) and its
    /// criteria without input.
    fn cover(
        &mut self,
        row: usize,
        statuses: impl Iterator<Item = (Status, i128)>,
        recent: &mut Recent,
    ) {
        let (mut count, mut points) = (0, 0);
        for (column, (status, max)) in self.statuses.iter_mut().zip(statuses) {
            if status == Status::Missing {
                count += 1;
                points += max;
            }
            column[row] = Some(status);
        }
        self.missing[row] = count;
        self.missing_points[row] = recent.decimal(points);
    }

    /// Takes back what [`Plan::cover`] wrote of a row that failed: it has no statuses, and
    /// nothing without input.
    fn uncover(&mut self, row: usize) {
        for column in &mut self.statuses {
            column[row] = None;
        }
        if let Some(missing) = self.missing.get_mut(row) {
            *missing = 0;
            self.missing_points[row] = Decimal::ZERO;
        }
    }

    /// Writes a row's bonus, penalty points and tie-break points, each given as its node's
    /// points (the penalties section's negated).
    fn put_sections(&mut self, row: usize, points: impl Fn(Section) -> Decimal) {
        if let Some(bonus) = self.bonus.get_mut(row) {
            *bonus = points(Section::Bonus);
        }
        if let Some(penalty) = self.penalties.get_mut(row) {
            *penalty = -points(Section::Penalties);
        }
        for (key, cell) in self.keys[row * self.width..][..self.width]
            .iter_mut()
            .enumerate()
        {
            *cell = points(Section::Key(key));
        }
    }

    /// Writes a scored row's figures.
    fn put(&mut self, grading: &Grading, row: usize, score: Score) {
        let index = grading.rounding.index_units(score.points, score.max_points);
        self.points[row] = score.points;
        self.max_points[row] = score.max_points;
        self.index[row] =
            index.map(|units| Decimal::from_i128_with_scale(units, grading.rounding.places));
        self.grades[row] = index.and_then(|units| grading.grade(units));
    }
}

/// Which figure [`Out::put_sections`] asks for.
#[derive(Clone, Copy)]
enum Section {
    Bonus,
    Penalties,
    /// The points of the tie-break node at this position.
    Key(usize),
}

/// The scheme's rounding, and its grades' lower bounds in units of the reported index, so
/// that a row's grade is found by integer comparisons.
struct Grading {
    rounding: Rounding,
    /// The least reported index (in units of `10^-places`) of each grade, in scheme order.
    floors: Vec<i128>,
}

impl Grading {
    fn of(scheme: &Scheme) -> Grading {
        let rounding = scheme.rounding();
        let unit = Decimal::from_i128_with_scale(POW10[rounding.places as usize], 0);
        let floors = scheme
            .grades()
            .iter()
            .map(|grade| {
                // A reported index has `places` decimals: it reaches a bound with more
                // exactly when it reaches the bound rounded up to them.
                match grade.min_index.checked_mul(unit) {
                    Some(scaled) => scaled.ceil().mantissa(),
                    None if grade.min_index.is_sign_negative() => i128::MIN,
                    None => i128::MAX,
                }
            })
            .collect();
        Grading { rounding, floors }
    }

    fn grade(&self, index: i128) -> Option<usize> {
        self.floors.iter().position(|&floor| index >= floor)
    }
}

/// The labels and errors of a run of rows, joined in order afterwards.
struct Labels {
    units: StringArray,
    periods: StringArray,
    errors: Vec<(usize, InputError)>,
    /// The run's rows in the whole input.
    rows: Range<usize>,
    /// The places each criterion's points were written at, block after block (`BLOCK`
    /// rows each), one per criterion.
    places: Vec<u8>,
}

/// A batch's columns, each typed once.
struct Columns {
    unit: Option<Reader>,
    period: Option<Reader>,
    /// Indicator slot and reader of each indicator column.
    cells: Vec<(usize, Reader)>,
    /// Slots of the indicators no column gives.
    absent: Vec<usize>,
    /// The first column that is not an indicator, when unknown columns fail rows.
    unknown: Option<String>,
}

impl Columns {
    fn of(
        scheme: &Scheme,
        batch: &RecordBatch,
        ignore_unknown: bool,
    ) -> Result<Columns, InputError> {
        let schema = batch.schema();
        let mut columns = Columns {
            unit: None,
            period: None,
            cells: Vec::new(),
            absent: Vec::new(),
            unknown: None,
        };
        for (field, array) in schema.fields().iter().zip(batch.columns()) {
            let name = field.name();
            let reader = || {
                Reader::of(array).ok_or_else(|| InputError::InvalidValue {
                    indicator: name.clone(),
                    reason: format!(
                        "the column holds {} values, which are not numbers, text or yes/no",
                        field.data_type()
                    ),
                })
            };
            let twice = || InputError::Row {
                row: 0,
                reason: format!(
                    "the table has two columns `{name}`: which one is meant cannot be told"
                ),
            };
            match (name.as_str(), scheme.slot(name)) {
                ("unit", _) if columns.unit.is_some() => return Err(twice()),
                ("period", _) if columns.period.is_some() => return Err(twice()),
                ("unit", _) => columns.unit = Some(reader()?),
                ("period", _) => columns.period = Some(reader()?),
                (_, Some(slot)) if columns.cells.iter().any(|(s, _)| *s == slot) => {
                    return Err(twice());
                }
                (_, Some(slot)) => columns.cells.push((slot, reader()?)),
                (_, None) if ignore_unknown => {}
                (_, None) => {
                    columns.unknown.get_or_insert_with(|| name.clone());
                }
            }
        }
        if columns.unit.is_none() {
            let names: Vec<&str> = schema.fields().iter().map(|f| f.name().as_str()).collect();
            return Err(InputError::Row {
                row: 0,
                reason: format!(
                    "the table has no `unit` column (its columns: {})",
                    names.join(", ")
                ),
            });
        }
        columns.absent = (0..scheme.indicators().len())
            .filter(|slot| columns.cells.iter().all(|(s, _)| s != slot))
            .collect();
        Ok(columns)
    }

    /// Reads row `i` of the batch (`row` in the whole input) into `values`, by indicator
    /// slot, as the row-by-row engine reads it; fails as it fails such a row.
    fn read_row(
        &self,
        scheme: &Scheme,
        i: usize,
        row: usize,
        text: &mut String,
        values: &mut [Option<Value>],
    ) -> Result<(), InputError> {
        if self.unit.as_ref().and_then(|u| u.label(i, text)).is_none() {
            return Err(InputError::Row {
                row: row + 1,
                reason: "no `unit`".into(),
            });
        }
        if let Some(column) = &self.unknown {
            return Err(InputError::UnknownIndicator(column.clone()));
        }
        values.fill(None);
        for (slot, reader) in &self.cells {
            let indicator = &scheme.indicators()[*slot];
            let refuse = |reason| InputError::InvalidValue {
                indicator: indicator.id.clone(),
                reason,
            };
            values[*slot] = match reader.raw(i, text).map_err(refuse)? {
                Raw::Missing => None,
                Raw::Value(value) => Some(fit(indicator, value)?),
                Raw::Text(cell) => read(indicator, cell)?,
            };
        }
        Ok(())
    }

    /// Scores `rows` of the batch (`first_row` is the first one's place in the whole input)
    /// into `out`, block by block, in `block`'s scratch.
    fn score(
        &self,
        run: &Run<'_>,
        block: &mut Block,
        rows: Range<usize>,
        first_row: usize,
        mut out: Out<'_>,
    ) -> Labels {
        let Run {
            scheme,
            plan,
            grading,
        } = *run;
        let indicators = scheme.indicators();
        let checks: Vec<Check<'_>> = self
            .cells
            .iter()
            .map(|(slot, _)| Check::new(&indicators[*slot]))
            .collect();
        let mut text = String::new();
        let units = self
            .unit
            .as_ref()
            .map(|u| u.labels(rows.clone(), &mut text));
        let periods = self
            .period
            .as_ref()
            .map(|p| p.labels(rows.clone(), &mut text));
        let mut errors = Vec::new();
        let mut lanes = Lanes::new(indicators.len(), BLOCK);
        let mut slow = [false; BLOCK];
        let mut general = General::new(scheme);
        let criteria = !out.criteria.is_empty();
        let coverage = !out.statuses.is_empty();
        let mut recent = Recent::default();
        let mut recent_missing = Recent::default();
        let mut places = Vec::new();
        let mut needed = vec![0; out.criteria.len()];
        for start in rows.clone().step_by(BLOCK) {
            let end = (start + BLOCK).min(rows.end);
            let n = end - start;
            let slow = &mut slow[..n];
            slow.fill(self.unknown.is_some());
            let at = start - rows.start;
            match &units {
                Some(units) if units.null_count() == 0 => {}
                Some(units) => {
                    for (r, slow) in slow.iter_mut().enumerate() {
                        *slow |= units.is_null(at + r);
                    }
                }
                None => slow.fill(true),
            }
            for ((slot, reader), check) in self.cells.iter().zip(&checks) {
                if let Reader::Bool(array) = reader
                    && plan.reads_bits(*slot)
                {
                    lanes.bits[*slot] = Some(Bits::of(array, start..end));
                    continue;
                }
                if let Some(floats) = lane::number_column(reader, check)
                    && plan.reads_numbers(*slot)
                {
                    let numbers = lanes.numbers[*slot].get_or_insert_with(Numbers::default);
                    lane::decode_numbers(floats, check, start..end, numbers, slow);
                    continue;
                }
                lane::decode(
                    reader,
                    check,
                    start..end,
                    &mut lanes.cells[*slot],
                    slow,
                    &mut text,
                );
            }
            for &slot in &self.absent {
                lanes.cells[slot].clear();
                lanes.cells[slot].resize(n, Cell::Missing);
            }
            derive(scheme, &mut lanes.cells, &lanes.numbers, slow);
            plan.score(scheme, &lanes, n, criteria, block, slow);
            if coverage {
                let statuses = out.statuses.iter_mut().map(|column| &mut column[at..]);
                plan.cover(&lanes, n, statuses, block);
            }
            for (r, &slow) in slow.iter().enumerate() {
                let row = at + r;
                if slow {
                    match general.score(self, scheme, plan, start + r, first_row + row, &mut text) {
                        Ok(score) => {
                            out.put(grading, row, score);
                            if coverage {
                                let statuses = general.scorer.leaf_statuses().iter().copied();
                                let statuses = statuses.zip(plan.leaf_maxima());
                                out.cover(row, statuses, &mut recent_missing);
                            }
                            let scorer = &general.scorer;
                            out.put_sections(row, |section| {
                                match section {
                                    Section::Bonus => compiled(scheme).bonus.map(|s| s.node),
                                    Section::Penalties => {
                                        compiled(scheme).penalties.map(|s| s.node)
                                    }
                                    Section::Key(key) => Some(compiled(scheme).tie_break[key]),
                                }
                                .map_or(Decimal::ZERO, |node| scorer.node_points(node))
                            });
                            if criteria {
                                for (leaf, points) in
                                    general.scorer.leaf_points().iter().enumerate()
                                {
                                    block.leaf_points[leaf * n + r] = points_of(*points);
                                }
                            }
                        }
                        Err(error) => {
                            errors.push((first_row + row, error));
                            out.uncover(row);
                            out.points[row] = Decimal::ZERO;
                            out.max_points[row] = Decimal::ZERO;
                            out.index[row] = None;
                            out.grades[row] = None;
                            out.put_sections(row, |_| Decimal::ZERO);
                            if criteria {
                                for leaf in 0..out.criteria.len() {
                                    block.leaf_points[leaf * n + r] = 0;
                                }
                            }
                        }
                    }
                    continue;
                }
                let score = Score {
                    points: decimal(block.total(r)),
                    max_points: recent.decimal(block.max_points[r]),
                };
                out.put(grading, row, score);
                if coverage {
                    out.missing[row] = block.missing[r];
                    out.missing_points[row] = recent_missing.decimal(block.missing_points[r]);
                }
                let keys = plan.keys();
                out.put_sections(row, |section| {
                    decimal(match section {
                        Section::Bonus => block.bonus[r],
                        Section::Penalties => block.penalties[r],
                        Section::Key(key) => block.keys[r * keys + key],
                    })
                });
            }
            // Each criterion's points at the places the column has needed so far.
            for ((leaf, column), most) in out.criteria.iter_mut().enumerate().zip(&mut needed) {
                let points = &block.leaf_points[leaf * n..][..n];
                points::narrow(points, &mut column[at..at + n], most);
                places.push(*most as u8);
            }
        }
        let none = || StringArray::new_null(rows.len());
        Labels {
            units: units.unwrap_or_else(none),
            periods: periods.unwrap_or_else(none),
            errors,
            rows: first_row..first_row + rows.len(),
            places,
        }
    }
}

/// Point units as a decimal.
fn decimal(units: i128) -> Decimal {
    ExactSum::from_units(units, POINT_PLACES).to_decimal()
}

/// The last figure of a column made a decimal: a row's maximum is mostly that of the row
/// before.
#[derive(Default)]
struct Recent(Option<(i128, Decimal)>);

impl Recent {
    fn decimal(&mut self, units: i128) -> Decimal {
        match self.0 {
            Some((last, decimal)) if last == units => decimal,
            _ => {
                let made = decimal(units);
                self.0 = Some((units, made));
                made
            }
        }
    }
}

/// Forms each derived rate from its counts down the lanes, where not given directly, as
/// [`Scheme::resolve`] does for one unit; what it would refuse marks the row, and so does a
/// rate given directly beside both its counts, which the general path checks.
fn derive(
    scheme: &Scheme,
    lanes: &mut [Vec<Cell>],
    numbers: &[Option<Numbers>],
    slow: &mut [bool],
) {
    for &slot in &compiled(scheme).derived {
        let (a, b, reduction) = match compiled(scheme).indicators[slot].source {
            IndicatorSource::Input => continue,
            IndicatorSource::Ratio {
                numerator,
                denominator,
            } => (numerator, denominator, false),
            IndicatorSource::Reduction { baseline, current } => (baseline, current, true),
        };
        // Taken out for the pass, so that it is written while its sources are read.
        let mut derived = std::mem::take(&mut lanes[slot]);
        let (a, b) = (&lanes[a], &lanes[b]);
        if let Some(given) = &numbers[slot] {
            for (row, slow) in slow.iter_mut().enumerate() {
                let present = given.missing[row / 64] >> (row % 64) & 1 == 0;
                let counted = matches!(
                    (a.get(row), b.get(row)),
                    (Some(Cell::Number(_)), Some(Cell::Number(_)))
                );
                *slow |= present && counted;
            }
        }
        if reduction {
            form(&mut derived, a, b, slow, reduce);
        } else {
            form(&mut derived, a, b, slow, ratio);
        }
        lanes[slot] = derived;
    }
}

/// Forms the cells of `derived` not given directly from two source lanes: one loop per
/// kind of derivation, so that none asks which it is row by row.
fn form(
    derived: &mut [Cell],
    a: &[Cell],
    b: &[Cell],
    slow: &mut [bool],
    from_numbers: impl Fn(i64, i64) -> Option<Cell>,
) {
    for ((cell, (&a, &b)), slow) in derived.iter_mut().zip(a.iter().zip(b)).zip(slow) {
        if *cell != Cell::Missing {
            // Given directly and through its counts: the general path checks they agree.
            if matches!((a, b), (Cell::Number(_), Cell::Number(_))) {
                *slow = true;
            }
            continue;
        }
        let formed = match (a, b) {
            (Cell::Number(a), Cell::Number(b)) => from_numbers(a, b),
            (Cell::NotApplicable, _) | (_, Cell::NotApplicable) => Some(Cell::NotApplicable),
            _ => Some(Cell::Missing),
        };
        *cell = formed.unwrap_or_else(|| {
            *slow = true;
            Cell::Missing
        });
    }
}

/// A whole count from lane units.
#[inline]
fn count(units: i64) -> Option<i64> {
    let count = units / ONE;
    (count * ONE == units).then_some(count)
}

/// `num / den` of two counts in lane units, as [`Value::ratio`] forms it; `None` for what it
/// refuses.
///
/// A rate's sources are counts (the scheme's validation sees to it), which the lanes hold
/// only whole: their units divide by [`ONE`] exactly.
fn ratio(num: i64, den: i64) -> Option<Cell> {
    let (num, den) = (num / ONE, den / ONE);
    if num < 0 || num > den {
        return None;
    }
    match (num, den) {
        (0, 0) => Some(Cell::NotApplicable),
        (_, 0) => None,
        _ => Some(Cell::Counts { num, den }),
    }
}

/// The reduction from `baseline` to `current` in lane units, as a rate of whole counts.
fn reduce(baseline: i64, current: i64) -> Option<Cell> {
    if baseline == 0 {
        return Some(Cell::NotApplicable);
    }
    let (baseline, current) = (count(baseline)?, count(current)?);
    if baseline < 0 {
        return None;
    }
    // Counts are below 10^10 in lanes: their difference fits.
    Some(Cell::Counts {
        num: baseline - current,
        den: baseline,
    })
}

/// The general, row-by-row path for the rows the kernels leave: every cell read again as a
/// value and the row scored by a [`Scorer`], which reports what the evaluation reports.
struct General {
    scorer: Scorer,
    values: Vec<Option<Value>>,
}

impl General {
    fn new(scheme: &Scheme) -> General {
        General {
            scorer: Scorer::new(scheme),
            values: vec![None; scheme.indicators().len()],
        }
    }

    fn score(
        &mut self,
        columns: &Columns,
        scheme: &Scheme,
        plan: &Plan,
        i: usize,
        row: usize,
        text: &mut String,
    ) -> Result<Score, InputError> {
        columns.read_row(scheme, i, row, text, &mut self.values)?;
        self.scorer.score_values(&self.values, &plan.options())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_are_formed_from_counts() {
        let counts = |num, den| Some(Cell::Counts { num, den });
        assert_eq!(ratio(3 * ONE, 4 * ONE), counts(3, 4));
        assert_eq!(ratio(0, 0), Some(Cell::NotApplicable));
        // Left to the general path, which reports why. (A count that is not whole never
        // reaches a lane: the columnar properties draw them.)
        for (num, den) in [(ONE, 0), (2 * ONE, ONE), (-ONE, ONE)] {
            assert_eq!(ratio(num, den), None, "{num}/{den}");
        }
    }

    #[test]
    fn reductions_are_formed_from_whole_counts_only() {
        let counts = |num, den| Some(Cell::Counts { num, den });
        assert_eq!(reduce(10 * ONE, 7 * ONE), counts(3, 10));
        assert_eq!(reduce(10 * ONE, 12 * ONE), counts(-2, 10));
        assert_eq!(reduce(0, ONE / 2), Some(Cell::NotApplicable));
        for (baseline, current) in [(10 * ONE, ONE / 2), (ONE / 2, 0), (-ONE, 0)] {
            assert_eq!(reduce(baseline, current), None, "{baseline} → {current}");
        }
    }
}
