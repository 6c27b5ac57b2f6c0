//! A progress bar on standard error for a run that lasts more than a moment, when standard
//! error is a terminal: never in a pipe or a log, never for a run that ends at once.

use std::io::IsTerminal;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// How long a run goes before it shows its progress.
const SHOW_AFTER: Duration = Duration::from_millis(800);

pub struct Progress {
    bar: Option<ProgressBar>,
    started: Instant,
    shown: bool,
}

impl Default for Progress {
    fn default() -> Progress {
        let bar = std::io::stderr().is_terminal().then(|| {
            // Drawn once the run has lasted a moment.
            ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden())
        });
        Progress {
            bar,
            started: Instant::now(),
            shown: false,
        }
    }
}

impl Progress {
    /// Counts rows without a known end: the first reading of the inputs.
    pub fn reading(&mut self) {
        if let Some(bar) = &self.bar {
            if let Ok(style) = ProgressStyle::with_template("{msg} {human_pos} rows, {elapsed}") {
                bar.set_style(style);
            }
            bar.set_message("reading");
        }
    }

    /// Counts rows towards `rows`: the scoring and writing.
    pub fn scoring(&mut self, rows: usize) {
        if let Some(bar) = &self.bar {
            bar.set_position(0);
            bar.set_length(rows as u64);
            if let Ok(style) = ProgressStyle::with_template(
                "{msg} {wide_bar} {human_pos}/{human_len} rows, {eta} left",
            ) {
                bar.set_style(style);
            }
            bar.set_message("scoring");
        }
    }

    pub fn advance(&mut self, rows: usize) {
        let Some(bar) = &self.bar else {
            return;
        };
        bar.inc(rows as u64);
        if !self.shown && self.started.elapsed() >= SHOW_AFTER {
            self.shown = true;
            bar.set_draw_target(ProgressDrawTarget::stderr());
        }
    }

    /// A line on standard error, above the bar.
    pub fn message(&self, text: &str) {
        match &self.bar {
            Some(bar) if self.shown => bar.suspend(|| crate::output::message(text)),
            _ => crate::output::message(text),
        }
    }
}

/// The bar goes when the run ends, however it ends.
impl Drop for Progress {
    fn drop(&mut self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
