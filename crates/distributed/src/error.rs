//! The one error type of the distributed runner.

use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

/// Why a distributed run failed.
#[derive(Debug)]
#[non_exhaustive]
pub enum ClusterError {
    /// The host file could not be read.
    HostFile {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The cluster description is inconsistent (process index out of range, wrong number of
    /// hosts, no processes).
    Layout(String),
    /// This process could not listen on its own address.
    Listen {
        /// The address from the host file.
        address: String,
        /// Why.
        source: std::io::Error,
    },
    /// Not every peer connected within the deadline.
    Connect {
        /// The processes still missing.
        missing: Vec<usize>,
        /// The deadline.
        waited: Duration,
        /// The last connection error seen, if any.
        last_error: Option<String>,
    },
    /// Starting timely's communication threads or workers failed.
    Timely(String),
    /// The processes do not run the same command on the same input.
    Mismatch {
        /// This process.
        process: usize,
        /// The first process that differs.
        other: usize,
        /// This process's description of its run.
        mine: String,
        /// The other process's description.
        theirs: String,
    },
    /// A peer went away (its connection broke) during the run.
    PeerLost {
        /// What timely's communication layer reported.
        detail: String,
    },
    /// No message arrived from the peers within the wait limit.
    Silent {
        /// How long this process waited.
        waited: Duration,
    },
    /// A message from a peer could not be decoded.
    Protocol(String),
    /// A centrality kernel refused its input (the same on every process).
    Centrality(clout::centrality::CentralityError),
    /// The simulation refused its input (the same on every process).
    Simulation(clout::reach::SimError),
    /// Seed selection refused its input (the same on every process).
    Selection(clout::reach::select::SelectError),
    /// The computation itself failed (the same on every process, as every process checks the
    /// same inputs).
    Engine(clout::Error),
}

impl fmt::Display for ClusterError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ClusterError::HostFile { path, .. } => {
                write!(f, "cannot read the host file {}", path.display())
            }
            ClusterError::Layout(why) => write!(f, "bad cluster layout: {why}"),
            ClusterError::Listen { address, .. } => write!(f, "cannot listen on {address}"),
            ClusterError::Connect { missing, waited, last_error } => {
                write!(
                    f,
                    "processes {missing:?} did not connect within {:.0} s",
                    waited.as_secs_f64()
                )?;
                if let Some(e) = last_error {
                    write!(f, " (last error: {e})")?;
                }
                Ok(())
            }
            ClusterError::Timely(why) => write!(f, "starting timely dataflow failed: {why}"),
            ClusterError::Mismatch { process, other, mine, theirs } => write!(
                f,
                "process {other} runs something else than process {process}; every process must \
                 run the same command on the same input.\n  process {process}: {mine}\n  \
                 process {other}: {theirs}"
            ),
            ClusterError::PeerLost { detail } => {
                write!(f, "lost the connection to a peer process ({detail}); stopping")
            }
            ClusterError::Silent { waited } => write!(
                f,
                "no message from the peer processes for {:.0} s; stopping",
                waited.as_secs_f64()
            ),
            ClusterError::Protocol(why) => write!(f, "malformed message from a peer: {why}"),
            ClusterError::Centrality(e) => e.fmt(f),
            ClusterError::Simulation(e) => e.fmt(f),
            ClusterError::Selection(e) => e.fmt(f),
            ClusterError::Engine(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for ClusterError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ClusterError::HostFile { source, .. } | ClusterError::Listen { source, .. } => {
                Some(source)
            }
            ClusterError::Centrality(e) => Some(e),
            ClusterError::Simulation(e) => Some(e),
            ClusterError::Selection(e) => Some(e),
            ClusterError::Engine(e) => Some(e),
            _ => None,
        }
    }
}

impl From<clout::Error> for ClusterError {
    fn from(e: clout::Error) -> Self {
        ClusterError::Engine(e)
    }
}
