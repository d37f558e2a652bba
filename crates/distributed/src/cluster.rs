//! Who the processes are and how they find each other: timely's launch conventions (every
//! process runs the same command with its own index and one host file listing `host:port` per
//! process, in index order), and the TCP connections between them, made with a deadline.
//!
//! timely's own connection setup retries forever and reports on stdout, where process 0 writes
//! its results; connecting here instead bounds the wait (a process that never comes up is an
//! error after [`ClusterConfig::connect_timeout`]) and keeps stdout clean. The sockets are then
//! handed to timely's communication layer, which carries every message of the run.
//!
//! Protocol (the same as timely's): process `i` connects to every process `j < i` and sends
//! its index as a big-endian `u64`; it accepts a connection from every `j > i` on its own
//! address and reads theirs.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream, ToSocketAddrs};
use std::path::Path;
use std::time::{Duration, Instant};

use crate::error::ClusterError;

/// One process's view of the cluster.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClusterConfig {
    /// This process's index, in `0..hosts.len()`.
    pub process: usize,
    /// `host:port` of every process, in index order.
    pub hosts: Vec<String>,
    /// How long to wait for every peer to connect. Default 30 s.
    pub connect_timeout: Duration,
    /// How long to wait for the peers' next message before giving up on them (a peer whose
    /// process dies is noticed at once, through its closed connection; this bounds the wait
    /// for a peer that hangs or a network that drops everything). Default 10 minutes.
    pub silence_timeout: Duration,
}

impl ClusterConfig {
    /// A cluster of `hosts.len()` processes of which this is `process`, with the default
    /// timeouts.
    ///
    /// # Errors
    /// [`ClusterError::Layout`] when `hosts` is empty or `process` is not below its length.
    pub fn new(process: usize, hosts: Vec<String>) -> Result<Self, ClusterError> {
        if hosts.is_empty() {
            return Err(ClusterError::Layout("no hosts".into()));
        }
        if process >= hosts.len() {
            return Err(ClusterError::Layout(format!(
                "process index {process} with {} hosts (indices start at 0)",
                hosts.len()
            )));
        }
        Ok(ClusterConfig {
            process,
            hosts,
            connect_timeout: Duration::from_secs(30),
            silence_timeout: Duration::from_secs(600),
        })
    }

    /// The number of processes.
    pub fn processes(&self) -> usize {
        self.hosts.len()
    }
}

/// Reads a host file: one `host:port` per line, in process order; blank lines and lines
/// starting with `#` are skipped. When `processes` is given the file must have at least that
/// many hosts, and only the first `processes` are used (timely's rule).
///
/// # Errors
/// [`ClusterError::HostFile`] when it cannot be read; [`ClusterError::Layout`] for too few
/// hosts or a line that is not `host:port`.
pub fn read_hostfile(path: &Path, processes: Option<usize>) -> Result<Vec<String>, ClusterError> {
    let text = std::fs::read_to_string(path)
        .map_err(|source| ClusterError::HostFile { path: path.to_path_buf(), source })?;
    let mut hosts = Vec::new();
    for (number, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        match line.rsplit_once(':') {
            Some((host, port)) if !host.is_empty() && port.parse::<u16>().is_ok() => {
                hosts.push(line.to_string())
            }
            _ => {
                return Err(ClusterError::Layout(format!(
                    "{} line {}: `{line}` is not host:port",
                    path.display(),
                    number + 1
                )));
            }
        }
    }
    if let Some(wanted) = processes {
        if hosts.len() < wanted {
            return Err(ClusterError::Layout(format!(
                "{} lists {} hosts for {wanted} processes",
                path.display(),
                hosts.len()
            )));
        }
        hosts.truncate(wanted);
    }
    Ok(hosts)
}

/// Connects this process to every other one; entry `i` is the stream to process `i` (`None` for
/// this process).
///
/// # Errors
/// [`ClusterError::Listen`] when this process cannot listen on its address;
/// [`ClusterError::Connect`] when some peer does not connect within the deadline.
pub(crate) fn connect(cfg: &ClusterConfig) -> Result<Vec<Option<TcpStream>>, ClusterError> {
    let me = cfg.process;
    let deadline = Instant::now() + cfg.connect_timeout;
    let listener = if me + 1 < cfg.processes() {
        let address = &cfg.hosts[me];
        let listener = TcpListener::bind(address)
            .map_err(|source| ClusterError::Listen { address: address.clone(), source })?;
        listener
            .set_nonblocking(true)
            .map_err(|source| ClusterError::Listen { address: address.clone(), source })?;
        Some(listener)
    } else {
        None
    };
    let mut streams: Vec<Option<TcpStream>> = (0..cfg.processes()).map(|_| None).collect();
    let mut last_error = None;
    let missing = |streams: &[Option<TcpStream>]| -> Vec<usize> {
        (0..streams.len()).filter(|&i| i != me && streams[i].is_none()).collect()
    };
    loop {
        // Connect to the lower indices.
        for (peer, slot) in streams.iter_mut().enumerate().take(me) {
            if slot.is_none() {
                match dial(&cfg.hosts[peer], me) {
                    Ok(stream) => *slot = Some(stream),
                    Err(e) => {
                        last_error = Some(format!("process {peer} at {}: {e}", cfg.hosts[peer]))
                    }
                }
            }
        }
        // Accept the higher ones.
        if let Some(listener) = &listener {
            loop {
                match listener.accept() {
                    Ok((stream, _)) => match greet(stream, me, cfg.processes()) {
                        Ok((peer, stream)) => streams[peer] = Some(stream),
                        Err(e) => last_error = Some(format!("an incoming connection: {e}")),
                    },
                    Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => break,
                    Err(e) => {
                        last_error = Some(format!("accepting: {e}"));
                        break;
                    }
                }
            }
        }
        let still = missing(&streams);
        if still.is_empty() {
            return Ok(streams);
        }
        if Instant::now() >= deadline {
            return Err(ClusterError::Connect {
                missing: still,
                waited: cfg.connect_timeout,
                last_error,
            });
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Connects to a lower-indexed process and introduces itself.
fn dial(address: &str, me: usize) -> std::io::Result<TcpStream> {
    let target = address
        .to_socket_addrs()?
        .next()
        .ok_or_else(|| std::io::Error::other("the name resolves to no address"))?;
    let mut stream = TcpStream::connect_timeout(&target, Duration::from_secs(1))?;
    stream.set_nodelay(true)?;
    stream.write_all(&(me as u64).to_be_bytes())?;
    Ok(stream)
}

/// Reads the index of a higher-indexed process that connected.
fn greet(
    mut stream: TcpStream,
    me: usize,
    processes: usize,
) -> std::io::Result<(usize, TcpStream)> {
    stream.set_nonblocking(false)?;
    stream.set_read_timeout(Some(Duration::from_secs(5)))?;
    let mut index = [0u8; 8];
    stream.read_exact(&mut index)?;
    stream.set_read_timeout(None)?;
    stream.set_nodelay(true)?;
    let peer = u64::from_be_bytes(index) as usize;
    if peer <= me || peer >= processes {
        return Err(std::io::Error::other(format!("unexpected process index {peer}")));
    }
    Ok((peer, stream))
}
