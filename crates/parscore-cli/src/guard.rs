//! The last line of defence: a panic that escapes a command anyway becomes an internal error
//! that says where it happened, and the run ends with exit 2, never 101 or an abort.
//!
//! A panic hook keeps the message and place of the first panic (the cause, when a worker
//! thread's panic makes another follow) instead of printing Rust's own message; the command
//! prints it once, as a `parscore:` line, also when a worker's panic was turned into an
//! error of the run rather than passed on.

use std::fmt;
use std::panic::{self, AssertUnwindSafe};
use std::sync::{Mutex, Once};

/// A panic caught at the command's boundary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Internal {
    /// What the panic said.
    pub message: String,
    /// `file:line:column` of the panic, when known.
    pub location: Option<String>,
}

impl fmt::Display for Internal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "internal error")?;
        if let Some(location) = &self.location {
            write!(f, " at {location}")?;
        }
        write!(
            f,
            ": {} (a bug in parscore: please report it with the command that caused it)",
            self.message
        )
    }
}

/// The first panic of the run, as the hook saw it.
static FIRST: Mutex<Option<Internal>> = Mutex::new(None);
static HOOK: Once = Once::new();

/// Runs `f`; a panic in it (or in a thread whose panic it passes on) is returned as the
/// [`Internal`] error of the first panic seen.
pub fn guarded<T>(f: impl FnOnce() -> T) -> Result<T, Internal> {
    HOOK.call_once(|| {
        // Tests keep the harness's own report of a failing test; the command prints the
        // internal error instead.
        let previous = cfg!(test).then(panic::take_hook);
        panic::set_hook(Box::new(move |info| {
            if let Some(previous) = &previous {
                previous(info);
            }
            let message = match info.payload().downcast_ref::<&str>() {
                Some(text) => (*text).to_string(),
                None => match info.payload().downcast_ref::<String>() {
                    Some(text) => text.clone(),
                    None => "a panic without a message".into(),
                },
            };
            let location = info
                .location()
                .map(|l| format!("{}:{}:{}", l.file(), l.line(), l.column()));
            let mut first = FIRST.lock().unwrap_or_else(|p| p.into_inner());
            first.get_or_insert(Internal { message, location });
        }));
    });
    panic::catch_unwind(AssertUnwindSafe(f)).map_err(|payload| {
        let seen = FIRST.lock().unwrap_or_else(|p| p.into_inner()).take();
        seen.unwrap_or_else(|| Internal {
            message: payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "a panic without a message".into()),
            location: None,
        })
    })
}

/// A panic of the run that did not reach [`guarded`]: a worker thread's, whose end its
/// caller made into an error of its own (or ignored). The run may be wrong; the command
/// reports it too.
pub fn panicked_elsewhere() -> Option<Internal> {
    FIRST.lock().unwrap_or_else(|p| p.into_inner()).take()
}

#[cfg(test)]
mod tests {
    use super::*;

    // One test, so that no other test's panic (under the same hook) can be taken for this
    // one's.
    #[test]
    fn a_panic_becomes_a_located_internal_error() {
        assert_eq!(guarded(|| 41 + 1), Ok(42));

        let line = line!() + 1;
        let caught = guarded(|| -> u8 { panic!("Multiplication overflowed in Sở NN&PTNT") });
        let internal = caught.unwrap_err();
        assert_eq!(internal.message, "Multiplication overflowed in Sở NN&PTNT");
        let location = internal.location.clone().unwrap();
        assert!(
            location.starts_with(&format!("crates/parscore-cli/src/guard.rs:{line}:"))
                || location.starts_with(&format!("src/guard.rs:{line}:")),
            "{location}"
        );
        let text = internal.to_string();
        assert!(
            text.starts_with("internal error at ") && text.contains(": Multiplication overflowed"),
            "{text}"
        );

        // A worker's panic that the caller passes on: the worker's message is the cause.
        let caught = guarded(|| {
            let worker = std::thread::spawn(|| -> u8 { panic!("index out of bounds in a worker") });
            worker.join().expect("the worker finished")
        });
        assert_eq!(
            caught.unwrap_err().message,
            "index out of bounds in a worker"
        );

        // A worker's panic that the caller makes into an error of its own: the run ends,
        // and the panic is still there to report.
        let ended = guarded(|| {
            std::thread::spawn(|| panic!("a reading thread broke"))
                .join()
                .map_err(|_| "the CSV parser stopped")
        });
        assert_eq!(ended, Ok(Err("the CSV parser stopped")));
        assert_eq!(
            panicked_elsewhere().map(|i| i.message),
            Some("a reading thread broke".to_string())
        );
        assert_eq!(panicked_elsewhere(), None);

        // A payload that is not text.
        let caught = guarded(|| std::panic::panic_any(7_u32));
        assert_eq!(caught.unwrap_err().message, "a panic without a message");
    }
}
