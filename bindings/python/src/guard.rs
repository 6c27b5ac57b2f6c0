//! The boundary every call into the core crosses: a panic that escapes the core anyway (a bug,
//! an arithmetic overflow) becomes a `ParscoreError` saying what was being done, never a
//! `pyo3_runtime.PanicException`, which `except Exception` does not catch.

use std::cell::Cell;
use std::panic::{self, AssertUnwindSafe};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use pyo3::prelude::*;

use crate::errors::parscore_error;

/// Guarded calls under way, on any thread: the core scores on rayon's threads too, and a
/// panic there reaches the guarded call that handed it the work.
static GUARDED: AtomicUsize = AtomicUsize::new(0);

thread_local! {
    /// Guarded calls under way on this thread.
    static GUARDED_HERE: Cell<usize> = const { Cell::new(0) };
}

/// The last quiet panic's message and where it happened, as the panic hook saw it (the
/// payload does not say where).
static LAST_PLACE: Mutex<Option<(String, String)>> = Mutex::new(None);

/// Installs the panic hook that keeps guarded panics quiet: those of a thread inside a
/// guarded call, and those of rayon's workers while one runs, which rayon carries to it.
/// Any other panic is printed by the hook that was there before, whatever other thread is
/// inside a guarded call: a panic that cannot unwind (in a destructor, or across an
/// `extern "C"` callback of an Arrow stream) aborts the process, and its message is then the
/// only trace of its cause.
pub fn install_hook() {
    let previous = panic::take_hook();
    panic::set_hook(Box::new(move |info| {
        if aborts(text(info.payload())) {
            // The guarded panic before it (in a destructor, or under an `extern "C"`
            // callback) will never reach its `ParscoreError`: say what it was.
            if let Some((message, place)) = LAST_PLACE.lock().ok().and_then(|mut p| p.take()) {
                eprintln!("parscore: a guarded panic could not unwind: {message} (at {place})");
            }
            previous(info);
            return;
        }
        if !quiet() {
            previous(info);
            return;
        }
        let message = text(info.payload()).unwrap_or("a panic without a message");
        if let (Some(location), Ok(mut place)) = (info.location(), LAST_PLACE.lock()) {
            // A dependency's file from its crate's folder on (`rust_decimal-1.43.0/src/…`),
            // not the builder's cargo registry path.
            let file = location.file();
            let file = file
                .split_once("/registry/src/")
                .and_then(|(_, rest)| rest.split_once('/'))
                .map_or(file, |(_, rest)| rest);
            *place = Some((message.to_string(), format!("{file}:{}", location.line())));
        }
    }));
}

/// A panic's message, when it is text.
fn text(payload: &(dyn std::any::Any + Send)) -> Option<&str> {
    (payload.downcast_ref::<&str>().copied())
        .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
}

/// Whether a panic's message is the one Rust raises when a panic meets a frame it cannot
/// unwind (the process then aborts): a panic while another unwinds through a destructor,
/// or one inside an `extern "C"` function.
fn aborts(message: Option<&str>) -> bool {
    matches!(
        message,
        Some("panic in a function that cannot unwind" | "panic in a destructor during cleanup")
    )
}

/// Whether a panic on this thread is a guarded call's, which its `ParscoreError` reports.
fn quiet() -> bool {
    // `try_with`: a panic while this thread's locals are torn down is nobody's to report.
    let here = GUARDED_HERE.try_with(Cell::get).unwrap_or(0) > 0;
    here || (rayon::current_thread_index().is_some() && GUARDED.load(Ordering::SeqCst) > 0)
}

/// Runs `f`, which calls the core, turning a panic into a `ParscoreError`: "internal error
/// while {what}: {message} (at {file}:{line}); please report it". `f` may release the GIL
/// (`py.detach`) and score on other threads: a panic there reaches this thread too.
pub fn guard<T>(py: Python<'_>, what: &str, f: impl FnOnce() -> PyResult<T>) -> PyResult<T> {
    /// Counts a guarded call for as long as it runs, however it ends.
    struct Guarded;
    impl Drop for Guarded {
        fn drop(&mut self) {
            GUARDED.fetch_sub(1, Ordering::SeqCst);
            let _ = GUARDED_HERE.try_with(|here| here.set(here.get().saturating_sub(1)));
        }
    }
    GUARDED.fetch_add(1, Ordering::SeqCst);
    let _ = GUARDED_HERE.try_with(|here| here.set(here.get() + 1));
    let outcome = {
        let _guarded = Guarded;
        panic::catch_unwind(AssertUnwindSafe(f))
    };
    outcome.unwrap_or_else(|payload| {
        let message = text(&*payload).unwrap_or("a panic without a message");
        let place = LAST_PLACE
            .lock()
            .ok()
            .and_then(|mut place| place.take())
            .map(|(_, place)| format!(" (at {place})"))
            .unwrap_or_default();
        Err(parscore_error(
            py,
            format!("internal error while {what}: {message}{place}; please report it"),
        ))
    })
}

/// Panics inside a guard, as a bug in the core would: on this thread (`"here"`), with the
/// GIL released (`"detached"`) or on a rayon worker (`"worker"`); or (`"beside"`) on a
/// thread of its own, outside any guard, while the guarded call runs, before the guarded
/// call panics itself; or (`"abort"`) inside an `extern "C"` function, which aborts the
/// process. Only the tests call it, to show that no panic reaches Python as a
/// `PanicException`, and which panics are printed.
#[pyfunction]
pub fn _panic_for_tests(py: Python<'_>, place: &str) -> PyResult<()> {
    guard(py, "testing the guard", || {
        match place {
            "here" => panic!("a test panic on the calling thread"),
            "detached" => py.detach(|| panic!("a test panic without the GIL")),
            "abort" => {
                extern "C" fn cannot_unwind() {
                    panic!("a test panic that cannot unwind");
                }
                cannot_unwind();
            }
            "beside" => py.detach(|| {
                let outside = std::thread::spawn(|| panic!("a test panic outside any guard"));
                assert!(outside.join().is_err(), "the thread of its own panicked");
                panic!("a test panic after one outside any guard")
            }),
            "worker" => py.detach(|| {
                use rayon::prelude::*;
                (0..64).into_par_iter().for_each(|i| {
                    assert!(i != 63, "a test panic on a worker thread");
                });
            }),
            _ => {}
        }
        Ok(())
    })
}
