//! Finding the scheme a command names: a built-in id or a file.

use std::path::Path;

use parscore::Scheme;

use crate::fail::Failure;

/// Loads `name` as a scheme file when such a file exists or the name looks like a path, and
/// as a built-in id otherwise.
pub fn load(name: &str) -> Result<Scheme, Failure> {
    let path = Path::new(name);
    let looks_like_path = name.contains(['/', '\\'])
        || matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("toml" | "json")
        );
    if path.is_file() || looks_like_path {
        let text = std::fs::read_to_string(path).map_err(|e| Failure::read(name, e))?;
        return Scheme::from_text(&text).map_err(|error| Failure::Scheme {
            file: name.to_string(),
            error,
        });
    }
    if parscore::builtin_ids().any(|id| id == name) {
        return Scheme::builtin(name).map_err(|error| Failure::Scheme {
            file: format!("built-in scheme {name}"),
            error,
        });
    }
    Err(Failure::Usage(format!(
        "`{name}` is neither a built-in scheme ({}) nor a file",
        parscore::builtin_ids().collect::<Vec<_>>().join(", ")
    )))
}
