//! The one error type of the facade: every engine error it wraps stays reachable through
//! [`std::error::Error::source`], and no message names a command-line flag (a command line
//! adds its own hint, e.g. from [`Error::setting`]).

use std::fmt;
use std::path::PathBuf;

pub use crate::memory::MemoryLimit;
use crate::memory::human_bytes;
pub use crate::setting::Setting;

/// Everything that can go wrong in a facade call.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// Opening or reading a graph source failed.
    Open(clout_ingest::source::OpenError),
    /// Reading edge lists failed.
    Read(clout_ingest::read::ReadError),
    /// Writing a snapshot failed.
    Snapshot(clout_ingest::snapshot::SnapshotError),
    /// An output file could not be created, written or moved into place.
    Output(clout_ingest::outfile::OutputError),
    /// Building a graph failed.
    Build(clout_graph::BuildError),
    /// A generator setting is invalid.
    Generate(clout_graph::generate::GenerateError),
    /// A file could not be read.
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// A line of an id, cost or quality file is wrong.
    Line {
        /// The file.
        path: PathBuf,
        /// 1-based line number.
        line: usize,
        /// What is wrong.
        problem: String,
    },
    /// A file lists no accounts.
    EmptyList(PathBuf),
    /// An account named by its original id is not in the graph.
    UnknownAccount {
        /// The id as given (escaped for printing).
        id: String,
        /// Where it was given ("seed account").
        role: &'static str,
    },
    /// A centrality kernel failed; the message names nodes by their original ids.
    Centrality {
        /// The message with original ids.
        message: String,
        /// The kernel's error.
        source: clout_centrality::CentralityError,
    },
    /// A kernel disagrees with its independent verifier.
    Verification {
        /// The score.
        score: &'static str,
        /// The verifier's finding.
        finding: String,
    },
    /// Edge probabilities could not be derived; the message names nodes by original ids.
    Probabilities {
        /// The message with original ids.
        message: String,
        /// The engine's error.
        source: clout_reach::ProbError,
    },
    /// A probability specification could not be parsed.
    ProbabilitySpec(clout_reach::ProbSpecError),
    /// A simulation could not run.
    Simulation(clout_reach::SimError),
    /// A selection could not run.
    Selection(clout_reach::SelectError),
    /// A call would need more memory than allowed.
    MemoryLimit(MemoryLimit),
    /// A setting is out of range or does not fit the others.
    Invalid {
        /// The setting.
        setting: Setting,
        /// Why.
        message: String,
    },
    /// An action log could not be read (the message names the file and line).
    Log(clout_learn::LogError),
    /// A validation could not run.
    Validate(clout_learn::ValidateError),
}

impl Error {
    /// The setting to change to get past this error, when there is one.
    pub fn setting(&self) -> Option<Setting> {
        match self {
            Error::MemoryLimit(m) => Some(m.lower),
            Error::Invalid { setting, .. } => Some(*setting),
            _ => None,
        }
    }

    pub(crate) fn invalid(setting: Setting, message: impl Into<String>) -> Error {
        Error::Invalid { setting, message: message.into() }
    }

    pub(crate) fn line(path: &std::path::Path, line: usize, problem: impl Into<String>) -> Error {
        Error::Line { path: path.to_path_buf(), line, problem: problem.into() }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Open(e) => e.fmt(f),
            Error::Read(e) => e.fmt(f),
            Error::Snapshot(e) => e.fmt(f),
            Error::Output(e) => e.fmt(f),
            Error::Build(e) => e.fmt(f),
            Error::Generate(e) => e.fmt(f),
            Error::Io { path, .. } => write!(f, "cannot read {}", path.display()),
            Error::Line { path, line, problem } => {
                write!(f, "{}:{line}: {problem}", path.display())
            }
            Error::EmptyList(path) => write!(f, "{} lists no accounts", path.display()),
            Error::UnknownAccount { id, role } => {
                write!(f, "{role} `{id}` is not in the graph")
            }
            Error::Centrality { message, .. } | Error::Probabilities { message, .. } => {
                f.write_str(message)
            }
            Error::Verification { score, finding } => {
                write!(f, "{score} disagrees with its verifier: {finding}")
            }
            Error::ProbabilitySpec(e) => e.fmt(f),
            Error::Simulation(e) => e.fmt(f),
            Error::Selection(e) => e.fmt(f),
            Error::MemoryLimit(m) => write!(
                f,
                "{} needs about {} of memory, more than the {} {}",
                m.what,
                human_bytes(m.needed),
                human_bytes(m.budget.bytes),
                m.budget.source.describe()
            ),
            Error::Invalid { message, .. } => f.write_str(message),
            Error::Log(e) => write!(f, "{e}"),
            Error::Validate(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Open(e) => Some(e),
            Error::Read(e) => Some(e),
            Error::Snapshot(e) => Some(e),
            Error::Output(e) => Some(e),
            Error::Build(e) => Some(e),
            Error::Generate(e) => Some(e),
            Error::Io { source, .. } => Some(source),
            Error::Centrality { source, .. } => Some(source),
            Error::Probabilities { source, .. } => Some(source),
            Error::ProbabilitySpec(e) => Some(e),
            Error::Simulation(e) => Some(e),
            Error::Selection(e) => Some(e),
            Error::Log(e) => std::error::Error::source(e),
            Error::Validate(e) => Some(e),
            _ => None,
        }
    }
}

impl From<MemoryLimit> for Error {
    fn from(m: MemoryLimit) -> Error {
        Error::MemoryLimit(m)
    }
}

macro_rules! from {
    ($($variant:ident($ty:ty)),* $(,)?) => {$(
        impl From<$ty> for Error {
            fn from(e: $ty) -> Error {
                Error::$variant(e)
            }
        }
    )*};
}

from! {
    Open(clout_ingest::source::OpenError),
    Read(clout_ingest::read::ReadError),
    Snapshot(clout_ingest::snapshot::SnapshotError),
    Output(clout_ingest::outfile::OutputError),
    Build(clout_graph::BuildError),
    Generate(clout_graph::generate::GenerateError),
    Simulation(clout_reach::SimError),
    Selection(clout_reach::SelectError),
    Log(clout_learn::LogError),
    Validate(clout_learn::ValidateError),
}

/// An error and its causes (following [`source`](std::error::Error::source)), joined by `: `.
/// A cause whose text the message already contains is left out: many error types print their
/// source and also return it.
pub fn describe(err: &(dyn std::error::Error + 'static)) -> String {
    describe_with(err, &|cause| cause.to_string())
}

/// [`describe`], rendering each cause with `text` (a command line adds its flag names there).
pub fn describe_with(
    err: &(dyn std::error::Error + 'static),
    text: &dyn Fn(&(dyn std::error::Error + 'static)) -> String,
) -> String {
    let mut message = String::new();
    let mut cause = Some(err);
    while let Some(c) = cause {
        let t = text(c);
        if !message.contains(&t) {
            if !message.is_empty() {
                message.push_str(": ");
            }
            message.push_str(&t);
        }
        cause = c.source();
    }
    message
}

/// The facade's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;
