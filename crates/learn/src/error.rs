//! Why an action log could not be read (shared by the readers and the tar reader).

use std::fmt;
use std::path::PathBuf;

/// Why a log could not be read.
#[derive(Debug)]
pub enum LogError {
    /// A file could not be opened or read.
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// A line that does not parse.
    Parse {
        /// The file (or `archive.tar.gz:member`).
        file: String,
        /// 1-based line number.
        line: usize,
        /// What is wrong and what was expected.
        message: String,
    },
    /// An archive that cannot be read as tar.
    Archive {
        /// The archive.
        file: String,
        /// What is wrong.
        message: String,
    },
    /// The input held no cascade at all.
    Empty(String),
}

impl fmt::Display for LogError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LogError::Io { path, source } => write!(f, "{}: {source}", path.display()),
            LogError::Parse { file, line, message } => write!(f, "{file}:{line}: {message}"),
            LogError::Archive { file, message } => write!(f, "{file}: {message}"),
            LogError::Empty(what) => write!(f, "{what}: no cascade found"),
        }
    }
}

impl std::error::Error for LogError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            LogError::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}
