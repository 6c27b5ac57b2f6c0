//! Dossier records in Arrow record batches: a frame handed over from Python, a Parquet or
//! Arrow IPC file.

mod batches;
mod cells;

pub use batches::BatchCounter;
pub use cells::ArrowCells;
