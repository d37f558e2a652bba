//! Running one job per process on timely dataflow: connect, start timely's communication
//! threads and one worker on the connected sockets, check that every process runs the same
//! thing, run the job, and fail fast when a peer goes away.
//!
//! One timely worker per process: the kernels parallelize inside a process with rayon (the
//! command line's thread count), so timely only moves data between processes.
//!
//! Failure: timely's receive thread panics with "timely communication error: ..." when a
//! peer's connection ends without a clean shutdown (its process died), and its send thread
//! when a write fails. A panic hook records the first such message from a thread of timely's
//! (their names start with `timely:`) instead of printing it; the waiting worker sees it
//! within one park interval and returns [`ClusterError::PeerLost`]. The failed run's threads
//! are then abandoned (not joined: joining would wait on the dead peer), so the caller should
//! end the process soon after such an error.

use std::sync::{Mutex, Once, OnceLock, mpsc};
use std::time::Duration;

use timely::WorkerConfig;
use timely::communication::Hooks;
use timely::communication::allocator::zero_copy::initialize::initialize_networking_from_sockets;
use timely::communication::allocator::{AllocatorBuilder, ProcessBuilder};

use crate::cluster::{ClusterConfig, connect};
use crate::collective::Collective;
use crate::error::ClusterError;

/// The first failure reported by a thread of timely's.
static LOST: OnceLock<String> = OnceLock::new();

/// Installs (once) the hook that records panics of timely's threads; other panics go to the
/// hook that was installed before.
fn watch_timely_threads() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let thread = std::thread::current();
            if thread.name().is_some_and(|name| name.starts_with("timely:")) {
                let message = info
                    .payload()
                    .downcast_ref::<String>()
                    .map(String::as_str)
                    .or_else(|| info.payload().downcast_ref::<&str>().copied())
                    .unwrap_or("a communication thread stopped");
                let _ = LOST.set(format!("{}: {message}", thread.name().unwrap_or("timely")));
            } else {
                previous(info);
            }
        }));
    });
}

/// Why the run lost a peer, if it did.
fn lost() -> Option<String> {
    LOST.get().cloned()
}

/// Runs `job` as this process's part of a cluster run.
///
/// Connects to every peer (within [`ClusterConfig::connect_timeout`]), starts timely on those
/// connections, then exchanges `description` (what this process is about to compute: its
/// command and a fingerprint of its input; see [`crate::describe_input`]) with every process
/// and refuses to go on unless all are equal; then runs `job` with the all-gather.
///
/// # Errors
/// Those of the connection ([`ClusterError::Listen`], [`ClusterError::Connect`]), of timely's
/// start ([`ClusterError::Timely`]), [`ClusterError::Mismatch`] when the descriptions differ,
/// [`ClusterError::PeerLost`] / [`ClusterError::Silent`] when a peer fails, and the job's.
pub fn run<T, F>(cfg: &ClusterConfig, description: String, job: F) -> Result<T, ClusterError>
where
    T: Send + 'static,
    F: FnOnce(&mut Collective) -> Result<T, ClusterError> + Send + 'static,
{
    watch_timely_threads();
    let sockets = connect(cfg)?;
    let hooks = Hooks::default();
    let local = ProcessBuilder::new_typed_vector(1, hooks.refill.clone(), hooks.spill.clone());
    let (builders, comms) =
        initialize_networking_from_sockets(local, sockets, cfg.process, 1, hooks)
            .map_err(|e| ClusterError::Timely(e.to_string()))?;
    let builders = builders.into_iter().map(AllocatorBuilder::Tcp).collect();
    let (done, outcome) = mpsc::channel();
    let work = Mutex::new(Some((job, done, description)));
    let silence = cfg.silence_timeout;
    let guards = timely::execute::execute_from(
        builders,
        Box::new(comms),
        WorkerConfig::default(),
        move |worker| {
            let taken = work.lock().map(|mut w| w.take()).unwrap_or(None);
            let Some((job, done, description)) = taken else { return };
            let mut collective = Collective::new(worker, silence, &lost);
            let result =
                same_everywhere(&mut collective, &description).and_then(|()| job(&mut collective));
            let _ = done.send(result);
        },
    )
    .map_err(ClusterError::Timely)?;
    let limit = silence.min(Duration::from_secs(60));
    match outcome.recv() {
        Ok(Ok(value)) => {
            shut_down(guards, limit);
            Ok(value)
        }
        // The peers are gone or silent: joining timely's threads would wait on them.
        Ok(Err(e @ (ClusterError::PeerLost { .. } | ClusterError::Silent { .. }))) => {
            std::mem::forget(guards);
            Err(e)
        }
        // Every process reaches the same verdict (a mismatch, a refused config): shut down
        // cleanly so that no peer mistakes this process's exit for a crash.
        Ok(Err(e)) => {
            shut_down(guards, limit);
            Err(e)
        }
        Err(_) => {
            std::mem::forget(guards);
            Err(ClusterError::PeerLost {
                detail: lost().unwrap_or_else(|| "the timely worker stopped".into()),
            })
        }
    }
}

/// A clean shutdown: every process closes its input, then timely's threads end. Joined on a
/// thread of its own, waiting at most `limit`, so that a peer that dies now cannot hold this
/// process (whose outcome is settled) forever.
fn shut_down<T: Send + 'static>(guards: timely::communication::WorkerGuards<T>, limit: Duration) {
    let (joined, wait) = mpsc::channel();
    let joiner = std::thread::Builder::new().name("timely:shutdown".into()).spawn(move || {
        let _ = guards.join();
        let _ = joined.send(());
    });
    if joiner.is_ok() {
        let _ = wait.recv_timeout(limit);
    }
}

/// Exchanges `description` with every process; an error names the first that differs.
fn same_everywhere(collective: &mut Collective, description: &str) -> Result<(), ClusterError> {
    let me = collective.index();
    let all = collective.all_gather(description.as_bytes().to_vec())?;
    for (other, theirs) in all.iter().enumerate() {
        if theirs.as_slice() != description.as_bytes() {
            return Err(ClusterError::Mismatch {
                process: me,
                other,
                mine: description.to_string(),
                theirs: String::from_utf8_lossy(theirs).into_owned(),
            });
        }
    }
    Ok(())
}
