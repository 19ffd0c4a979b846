//! Configuration errors that name the file, line and column.

use std::path::{Path, PathBuf};

/// A configuration problem, with where it is.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{}{}: {message}", file.display(), location(*line, *column))]
pub struct ConfigError {
    pub file: PathBuf,
    /// 1-based; 0 when unknown.
    pub line: u64,
    pub column: u64,
    pub message: String,
}

fn location(line: u64, column: u64) -> String {
    if line == 0 { String::new() } else { format!(":{line}:{column}") }
}

impl ConfigError {
    pub fn io(file: &Path, error: &std::io::Error) -> ConfigError {
        ConfigError::plain(file, format!("cannot read: {error}"))
    }

    pub fn plain(file: &Path, message: String) -> ConfigError {
        ConfigError { file: file.to_path_buf(), line: 0, column: 0, message }
    }

    pub fn at(file: &Path, location: &serde_saphyr::Location, message: String) -> ConfigError {
        ConfigError { file: file.to_path_buf(), line: location.line(), column: location.column(), message }
    }

    pub fn from_yaml(file: &Path, error: &serde_saphyr::Error) -> ConfigError {
        let (line, column) = error.location().map(|l| (l.line(), l.column())).unwrap_or((0, 0));
        ConfigError { file: file.to_path_buf(), line, column, message: first_line(&error.to_string()) }
    }
}

/// serde-saphyr renders a source snippet after the message; keep the message.
fn first_line(text: &str) -> String {
    text.lines().next().unwrap_or(text).trim().to_string()
}
