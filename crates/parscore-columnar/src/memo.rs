//! Recent figures of each leaf by its cells. Quotients and the general scoring of a leaf are
//! pure functions of its cells, and real columns repeat their values (rates to two decimals,
//! the same yes/no and target), so most rows find their figures here instead of in decimal
//! arithmetic.

use super::lane::Cell;

/// A leaf's cells, and its figures for them (`None`: the row takes the general path).
type Memoised = (Cell, Option<Cell>, Option<(i128, i128)>);

#[derive(Default)]
pub(super) struct Memo {
    /// Allocated on first use: most leaves never need it.
    entries: Vec<Option<Memoised>>,
}

impl Memo {
    const SIZE: usize = 4096;

    /// The figures of a leaf's value and reference, from the memo or from `compute`.
    #[inline(always)]
    pub(super) fn get(
        &mut self,
        value: Cell,
        reference: Option<Cell>,
        compute: impl FnOnce() -> Option<(i128, i128)>,
    ) -> Option<(i128, i128)> {
        if self.entries.is_empty() {
            self.entries.resize(Memo::SIZE, None);
        }
        let slot =
            (hash(value) ^ reference.map_or(0, |r| hash(r).rotate_left(17))) as usize % Memo::SIZE;
        match self.entries[slot] {
            Some((v, r, figures)) if v == value && r == reference => figures,
            _ => {
                let figures = compute();
                self.entries[slot] = Some((value, reference, figures));
                figures
            }
        }
    }
}

/// A cheap, well-spread hash of a cell (a multiply and a fold).
fn hash(cell: Cell) -> u64 {
    let (a, b) = match cell {
        Cell::Missing => (1, 0),
        Cell::NotApplicable => (2, 0),
        Cell::Bool(b) => (3, u64::from(b)),
        Cell::Number(v) => (v as u64, 4),
        Cell::Counts { num, den } => (num as u64, den as u64),
    };
    let mixed = (a ^ b.rotate_left(32)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    mixed ^ (mixed >> 29)
}
