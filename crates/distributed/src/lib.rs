//! clout across processes, on timely dataflow (McSherry, Murray, Isaacs, Isard: "Naiad: a
//! timely dataflow system", SOSP 2013; the `timely` crate).
//!
//! Every process runs the same command with its own index and a host file listing every
//! process's `host:port` (timely's conventions). [`run`] connects the processes, starts timely
//! on the connections, checks that all of them run the same thing on the same input
//! ([`describe_input`]), and hands the job an all-gather ([`Collective`]) through which the
//! distributed kernels exchange their partial results:
//! - [`pagerank()`]: rows partitioned, states exchanged after every power step; the result is
//!   bit for bit the single-machine power method's.
//! - [`simulate()`]: trials partitioned, the parts' reductions gathered once and appended in
//!   trial order; every estimate is bit for bit the single-machine simulation's.
//! - [`imm()`] and [`opim()`]: the RR sets partitioned, the greedy's coverage counts summed
//!   across processes each step; the chosen seeds, gains, estimate (and OPIM-C's bounds and
//!   stopping round) are the single machine's.
//!
//! A peer that dies makes the others stop with [`ClusterError::PeerLost`] within a fraction
//! of a second; one that never connects, [`ClusterError::Connect`] after the connect timeout;
//! one that hangs, [`ClusterError::Silent`] after the silence timeout.

mod cluster;
mod collective;
mod error;
mod fingerprint;
mod pagerank;
mod runner;
mod select;
mod simulate;

pub use cluster::{ClusterConfig, read_hostfile};
pub use collective::{Collective, Traffic};
pub use error::ClusterError;
pub use fingerprint::describe_input;
pub use pagerank::{PageRankRun, pagerank};
pub use runner::run;
pub use select::{SelectionRun, imm, opim};
pub use simulate::{SimulationRun, simulate};
