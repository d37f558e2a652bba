//! The one communication pattern the distributed kernels need, on timely dataflow: an
//! all-gather in rounds. In round `r` every process contributes one byte string and receives
//! every process's string of round `r`, in process order.
//!
//! The dataflow is a single input whose records `(destination, (round, source, payload))` are routed
//! by timely's `exchange` to their destination worker and collected by a sink; a probe tells
//! when every process has closed round `r` (timely's progress tracking: no record of round `r`
//! can still arrive). Payloads are plain bytes so that the kernels choose their encoding and
//! the bytes each round moves are counted exactly ([`Traffic`]).
//!
//! While waiting, the worker steps timely with a short park and checks whether a peer's
//! connection broke (reported by [`crate::runner`]) or the peers were silent for longer than
//! the configured limit; either ends the run with an error instead of waiting forever.

use std::cell::RefCell;
use std::rc::Rc;
use std::time::{Duration, Instant};

use timely::container::CapacityContainerBuilder;
use timely::dataflow::channels::pact::Pipeline;
use timely::dataflow::operators::generic::operator::Operator;
use timely::dataflow::operators::{Exchange, Input, Probe};
use timely::dataflow::{InputHandle, ProbeHandle};
use timely::worker::Worker;

use crate::error::ClusterError;

/// A message: (round, source process, payload).
type Message = (u64, u32, Vec<u8>);

/// A message in flight, with its destination process.
type Routed = (u64, Message);

/// Bytes this process sent to and received from its peers (payloads only, not timely's
/// framing), in total and for the last round.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Traffic {
    /// Rounds completed.
    pub rounds: u64,
    /// Payload bytes sent to other processes, all rounds.
    pub sent: u64,
    /// Payload bytes received from other processes, all rounds.
    pub received: u64,
    /// Payload bytes sent in the last round.
    pub last_sent: u64,
}

/// A process's end of the all-gather (one timely worker per process).
pub struct Collective<'w> {
    worker: &'w mut Worker,
    input: InputHandle<u64, CapacityContainerBuilder<Vec<Routed>>>,
    probe: ProbeHandle<u64>,
    /// Payloads received, with their round (a fast peer's next round can arrive before this
    /// process has taken the current one).
    inbox: Rc<RefCell<Vec<Message>>>,
    round: u64,
    silence: Duration,
    lost: &'w dyn Fn() -> Option<String>,
    traffic: Traffic,
}

impl<'w> Collective<'w> {
    /// Builds the dataflow on `worker`. `lost` says whether (and why) a peer's connection
    /// broke; `silence` bounds each wait.
    pub(crate) fn new(
        worker: &'w mut Worker,
        silence: Duration,
        lost: &'w dyn Fn() -> Option<String>,
    ) -> Self {
        let mut input = InputHandle::new();
        let probe = ProbeHandle::new();
        let inbox = Rc::new(RefCell::new(Vec::new()));
        let sink = Rc::clone(&inbox);
        worker.dataflow::<u64, _, _>(|scope| {
            scope
                .input_from(&mut input)
                .exchange(|(destination, _): &Routed| *destination)
                .probe_with(&probe)
                .sink(Pipeline, "Inbox", move |(handle, _frontier)| {
                    handle.for_each(|_, data: &mut Vec<Routed>| {
                        sink.borrow_mut().extend(data.drain(..).map(|(_, message)| message));
                    });
                });
        });
        Collective {
            worker,
            input,
            probe,
            inbox,
            round: 0,
            silence,
            lost,
            traffic: Traffic::default(),
        }
    }

    /// This process's index.
    pub fn index(&self) -> usize {
        self.worker.index()
    }

    /// The number of processes.
    pub fn peers(&self) -> usize {
        self.worker.peers()
    }

    /// The bytes moved so far.
    pub fn traffic(&self) -> Traffic {
        self.traffic
    }

    /// Sends `payload` to every process (itself included) and returns every process's payload
    /// of this round, in process order.
    ///
    /// # Errors
    /// [`ClusterError::PeerLost`] when a peer's connection broke, [`ClusterError::Silent`]
    /// when the round did not complete within the silence limit, [`ClusterError::Protocol`]
    /// when a process sent twice or not at all in a round.
    pub fn all_gather(&mut self, payload: Vec<u8>) -> Result<Vec<Vec<u8>>, ClusterError> {
        self.gather(payload, true)
    }

    /// [`Self::all_gather`] for a caller that keeps its own data: this process's entry of the
    /// result is empty, and the payload is moved into the last send instead of copied (one
    /// copy of it less in memory: PageRank's states).
    ///
    /// # Errors
    /// Those of [`Self::all_gather`].
    pub fn gather_others(&mut self, payload: Vec<u8>) -> Result<Vec<Vec<u8>>, ClusterError> {
        self.gather(payload, false)
    }

    fn gather(&mut self, payload: Vec<u8>, keep_own: bool) -> Result<Vec<Vec<u8>>, ClusterError> {
        let peers = self.peers();
        let me = self.index();
        let bytes = payload.len() as u64 * (peers as u64 - 1);
        let this_round = self.round;
        // To every other process; this process's own payload never goes through timely, and
        // is not kept at all unless asked for (the last send takes it).
        let others: Vec<usize> = (0..peers).filter(|&p| p != me).collect();
        let mut own = None;
        let mut payload = Some(payload);
        for (i, &destination) in others.iter().enumerate() {
            let last = i + 1 == others.len() && !keep_own;
            let data = if last { payload.take() } else { payload.clone() };
            let data = data.unwrap_or_default();
            self.input.send((destination as u64, (this_round, me as u32, data)));
        }
        if keep_own || others.is_empty() {
            own = payload.take();
        }
        self.round += 1;
        self.input.advance_to(self.round);
        let started = Instant::now();
        while self.probe.less_than(self.input.time()) {
            self.worker.step_or_park(Some(Duration::from_millis(50)));
            if let Some(detail) = (self.lost)() {
                return Err(ClusterError::PeerLost { detail });
            }
            if self.probe.less_than(self.input.time()) && started.elapsed() > self.silence {
                return Err(ClusterError::Silent { waited: started.elapsed() });
            }
        }
        let mut slots: Vec<Option<Vec<u8>>> = vec![None; peers];
        slots[me] = Some(own.unwrap_or_default());
        let arrived = {
            let mut inbox = self.inbox.borrow_mut();
            let (now, later): (Vec<_>, Vec<_>) =
                inbox.drain(..).partition(|(round, _, _)| *round == this_round);
            *inbox = later;
            now
        };
        for (_, source, data) in arrived {
            let slot = slots.get_mut(source as usize).ok_or_else(|| {
                ClusterError::Protocol(format!("a message from process {source} of {peers}"))
            })?;
            if slot.replace(data).is_some() {
                return Err(ClusterError::Protocol(format!(
                    "two messages from process {source} in round {}",
                    self.round
                )));
            }
        }
        let mut all = Vec::with_capacity(peers);
        for (source, slot) in slots.into_iter().enumerate() {
            let data = slot.ok_or_else(|| {
                ClusterError::Protocol(format!(
                    "no message from process {source} in round {}",
                    self.round
                ))
            })?;
            if source != me {
                self.traffic.received += data.len() as u64;
            }
            all.push(data);
        }
        self.traffic.rounds += 1;
        self.traffic.sent += bytes;
        self.traffic.last_sent = bytes;
        Ok(all)
    }
}
