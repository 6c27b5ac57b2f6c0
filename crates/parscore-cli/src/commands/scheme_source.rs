//! Finding the scheme a command names: a built-in id, or a file: TOML, JSON, or an Excel
//! workbook laid out like a published instrument.

use std::path::Path;

use parscore::Scheme;

use crate::fail::Failure;

/// Extensions of the workbooks a scheme can be read from.
const WORKBOOK_EXTENSIONS: [&str; 5] = ["xlsx", "xlsm", "xlsb", "xls", "ods"];

/// Loads `name` as a scheme file when such a file exists or the name looks like a path, and
/// as a built-in id otherwise.
pub fn load(name: &str) -> Result<Scheme, Failure> {
    let path = Path::new(name);
    if path.is_file() || looks_like_path(name) {
        let bytes = std::fs::read(path).map_err(|e| Failure::read(name, e))?;
        return from_bytes(name, &bytes);
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

/// A scheme from the bytes of the file `name`: a workbook when its first bytes or its
/// extension say so, else TOML or JSON text. Whatever the bytes, a scheme or a failure
/// that names the file (and, in a workbook, each problem's sheet and cell); never a panic.
pub fn from_bytes(name: &str, bytes: &[u8]) -> Result<Scheme, Failure> {
    if is_workbook(name, bytes) {
        return parscore_workbook::read_scheme(bytes).map_err(|e| Failure::workbook(name, e));
    }
    let text = std::str::from_utf8(bytes).map_err(|_| {
        Failure::read(
            name,
            "not UTF-8 text: a scheme is a TOML or JSON file, or an Excel workbook (.xlsx)",
        )
    })?;
    Scheme::from_text(text).map_err(|error| Failure::Scheme {
        file: name.to_string(),
        error,
    })
}

/// Whether `name` is meant as a file rather than a built-in id.
fn looks_like_path(name: &str) -> bool {
    name.contains(['/', '\\'])
        || extension(name).is_some_and(|e| {
            e == "toml" || e == "json" || WORKBOOK_EXTENSIONS.contains(&e.as_str())
        })
}

fn extension(name: &str) -> Option<String> {
    Path::new(name)
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
}

/// A zip (xlsx, xlsm, xlsb, ods) or OLE (xls) file, or one named as a workbook.
fn is_workbook(name: &str, bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04")
        || bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0])
        || extension(name).is_some_and(|e| WORKBOOK_EXTENSIONS.contains(&e.as_str()))
}
