//! A leaf scored down a block of rows in two passes, each a loop monomorphised for the leaf's
//! kernel, so that no row decides the rule again.
//!
//! The dense pass takes the leaf's usual cell (see [`Usual`]) in every row with only the
//! kernel's arithmetic, and lists the rows it cannot finish: missing, n/a, a cell of another
//! kind, a figure that needs a quotient or the general scoring. The full step then gives each
//! listed row everything a rule may meet: the verdict of its cell and target, the kernel's
//! step, a quotient, the memo, the general scoring, or the general path for the whole row.

use super::kernel::{Arithmetic, Order, Step};
use super::lane::{Cell, Lane, set_bits};
use super::leaf::{LeafPlan, Usual, Verdict};
use super::memo::Memo;
use parscore::{Options, Scheme, Value};

/// One leaf's part of a block: the cells it reads and the figures it writes, by row.
pub(super) struct LeafRows<'a> {
    pub(super) leaf: &'a LeafPlan,
    pub(super) values: Lane<'a>,
    /// The cells of the indicator its target names.
    pub(super) references: Option<&'a [Cell]>,
    /// The accumulator its points are added to.
    pub(super) totals: &'a mut [i128],
    /// Each row's applicable maximum, which falls where the leaf's does not count.
    pub(super) max_points: &'a mut [i128],
    /// The leaf's own points, when criteria are wanted.
    pub(super) kept: Option<&'a mut [i128]>,
    /// The rows for the general path.
    pub(super) slow: &'a mut [bool],
    pub(super) memo: &'a mut Memo,
    /// What the leaf's general scoring reads: the scheme, a buffer of values by indicator
    /// slot, the options.
    pub(super) scheme: &'a Scheme,
    pub(super) buffer: &'a mut [Option<Value>],
    pub(super) options: Options,
}

impl LeafRows<'_> {
    /// A leaf whose kernel has a dense pass: against a fixed target its usual cells first,
    /// then the rows they list in full; against another indicator every row in full.
    pub(super) fn score<K: Arithmetic>(mut self, kernel: &K, others: &mut [usize]) {
        if self.references.is_some() {
            let rows = 0..self.totals.len();
            self.full_step(kernel, rows);
        } else {
            let listed = self.usual_pass(kernel, others);
            self.full_step(kernel, others[..listed].iter().copied());
        }
    }

    /// A threshold against another indicator: numbers against numbers by their order, the
    /// other rows in full.
    pub(super) fn score_by_order(mut self, kernel: &Order, others: &mut [usize]) {
        let (Lane::Cells(values), Some(references)) = (self.values, self.references) else {
            unreachable!("a leaf with a reference reads cells (reads_numbers)")
        };
        let pairs = values.iter().zip(references);
        let kept = self.kept.as_deref_mut();
        let listed = dense_pass(
            pairs,
            self.totals,
            kept,
            others,
            #[inline(always)]
            |(&value, &reference)| kernel.by_order(value, reference),
        );
        self.full_step(kernel, others[..listed].iter().copied());
    }

    /// A leaf left to its general scoring, row by row.
    pub(super) fn score_general(mut self) {
        for row in 0..self.totals.len() {
            let figures = shortfall(self.leaf, self.general(row));
            self.add(row, figures);
        }
    }

    /// The dense pass over the leaf's usual cells, in a loop for each kind of lane so that
    /// none carries another's arithmetic (and registers). Returns how many rows it listed in
    /// `others`.
    fn usual_pass<K: Arithmetic>(&mut self, kernel: &K, others: &mut [usize]) -> usize {
        let (totals, kept, memo) = (&mut *self.totals, self.kept.as_deref_mut(), &mut *self.memo);
        match self.values {
            // Every row scored as a number, without asking what it holds; then each missing
            // row, scored as whatever number its slot holds, is taken back (the pass is pure:
            // the same figure) and listed, unless the pass listed it already.
            Lane::Numbers(numbers) => {
                let units = &numbers.units[..totals.len()];
                let cells = units.iter().map(|&units| Cell::Number(units));
                let mut listed = dense_pass(
                    cells,
                    totals,
                    kept,
                    others,
                    #[inline(always)]
                    |cell| kernel.dense(cell, memo),
                );
                for (word, &missing) in numbers.missing.iter().enumerate() {
                    for bit in set_bits(missing) {
                        let row = word * 64 + bit;
                        if let Some(p) = kernel.dense(Cell::Number(units[row]), memo) {
                            totals[row] -= p;
                            others[listed] = row;
                            listed += 1;
                        }
                    }
                }
                listed
            }
            Lane::Cells(cells) if self.leaf.usual == Usual::Counts => dense_pass(
                cells.iter().copied(),
                totals,
                kept,
                others,
                #[inline(always)]
                |cell| match cell {
                    Cell::Counts { .. } => kernel.dense(cell, memo),
                    _ => None,
                },
            ),
            Lane::Cells(cells) => dense_pass(
                cells.iter().copied(),
                totals,
                kept,
                others,
                #[inline(always)]
                |cell| match cell {
                    Cell::Number(_) | Cell::Bool(_) => kernel.dense(cell, memo),
                    _ => None,
                },
            ),
        }
    }

    /// Each of `rows` in full: the verdict of its cell and target, then the kernel's step.
    fn full_step<K: Arithmetic>(&mut self, kernel: &K, rows: impl Iterator<Item = usize>) {
        let leaf = self.leaf;
        for row in rows {
            let figures = match (self.values.cell(row), self.references) {
                (Cell::Number(v), None) => {
                    self.figures(kernel, row, Cell::Number(v), leaf.test.number(v))
                }
                (Cell::Bool(b), None) => {
                    self.figures(kernel, row, Cell::Bool(b), leaf.test.bool(b))
                }
                (value, references) => {
                    match leaf.verdict(value, references.map(|r| r[row]), self.options) {
                        Verdict::Done(figures) => shortfall(leaf, figures),
                        Verdict::Passed(passed) => self.figures(kernel, row, value, passed),
                    }
                }
            };
            self.add(row, figures);
        }
    }

    /// Adds a row's points and takes its shortfall off its maximum, as [`shortfall`] gives
    /// them; `None` marks it for the general path.
    #[inline(always)]
    fn add(&mut self, row: usize, figures: Option<(i128, i128)>) {
        match figures {
            Some((p, shortfall)) => {
                self.totals[row] += p;
                if shortfall != 0 {
                    self.max_points[row] -= shortfall;
                }
                if let Some(kept) = self.kept.as_deref_mut() {
                    kept[row] = p;
                }
            }
            None => self.slow[row] = true,
        }
    }

    /// What the kernel's step makes of a row's value, as [`shortfall`] gives it; a step's
    /// own points fall short by a literal 0, so that their row skips the maximum.
    #[inline(always)]
    fn figures<K: Arithmetic>(
        &mut self,
        kernel: &K,
        row: usize,
        value: Cell,
        passed: Option<bool>,
    ) -> Option<(i128, i128)> {
        let leaf = self.leaf;
        match kernel.step(value, passed) {
            Step::Points(points) => Some((points, 0)),
            Step::Slow => None,
            Step::General => shortfall(leaf, self.general(row)),
            Step::Memo(cell) => {
                shortfall(leaf, self.memo.get(cell, None, || kernel.quotient(cell)))
            }
            Step::Quotient(cell) => shortfall(leaf, kernel.quotient(cell)),
        }
    }

    /// The leaf's general scoring of a row, through its memo.
    fn general(&mut self, row: usize) -> Option<(i128, i128)> {
        let (value, reference) = (self.values.cell(row), self.references.map(|r| r[row]));
        let (leaf, scheme, buffer, options) =
            (self.leaf, self.scheme, &mut *self.buffer, self.options);
        self.memo.get(value, reference, || {
            leaf.general(scheme, value, reference, buffer, options)
        })
    }
}

/// A leaf's points, and how far the applicable maximum falls short of the leaf's; `None`:
/// the row takes the general path.
#[inline(always)]
fn shortfall(leaf: &LeafPlan, figures: Option<(i128, i128)>) -> Option<(i128, i128)> {
    figures.map(|(p, max)| (p, leaf.max - max))
}

/// Adds each row's points by `dense` to its total, and keeps them when `kept` asks; lists
/// the rows `dense` leaves in `others`. Returns how many it listed.
///
/// Each `dense` given is marked `#[inline(always)]`: left to itself, the compiler calls a
/// kernel with a quotient once a row, which costs more than the kernel's arithmetic.
#[inline(always)]
fn dense_pass<T>(
    cells: impl Iterator<Item = T>,
    totals: &mut [i128],
    kept: Option<&mut [i128]>,
    others: &mut [usize],
    dense: impl FnMut(T) -> Option<i128>,
) -> usize {
    // Keeping the points is a loop of its own, so that the usual one does not test for it
    // row by row.
    match kept {
        Some(kept) => dense_rows(cells, totals, others, dense, |row, p| kept[row] = p),
        None => dense_rows(cells, totals, others, dense, |_, _| {}),
    }
}

#[inline(always)]
fn dense_rows<T>(
    cells: impl Iterator<Item = T>,
    totals: &mut [i128],
    others: &mut [usize],
    mut dense: impl FnMut(T) -> Option<i128>,
    mut keep: impl FnMut(usize, i128),
) -> usize {
    let mut listed = 0;
    for (row, (total, cell)) in totals.iter_mut().zip(cells).enumerate() {
        match dense(cell) {
            Some(p) => {
                *total += p;
                keep(row, p);
            }
            None => {
                others[listed] = row;
                listed += 1;
            }
        }
    }
    listed
}
