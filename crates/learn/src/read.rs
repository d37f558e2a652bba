//! Action-log readers: propagation trees (Twitter15/16), the Higgs activity log, and a generic
//! CSV. Every parse error names the file (or the tar member) and the line.
//!
//! | format | input | an action | credit |
//! |---|---|---|---|
//! | tree | a directory with `tree/*.txt` (and `label.txt`), or a `.tar.gz`/`.tar` of them | `['u','tweet','min']->['v','tweet','min']`: `v` acted `min` minutes after the source, reacting to `u`; the `['ROOT',...]` line names the source | the parent `u` |
//! | higgs | `A B ts RT\|MT\|RE` (space separated, plain or `.gz`) | `A` retweeted, mentioned or replied to `B` at Unix time `ts`; cascades are time windows | `B` (information flows `B -> A`) |
//! | csv | `user,cascade,time[,parent]` (header optional, plain or `.gz`), `time` in seconds | `user` acted on `cascade` at `time` | `parent` when given; otherwise see [`credit_from_graph`] |

use std::collections::{BTreeMap, HashMap};
use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

use crate::log::{ActionLog, Cascade, Interner, assemble};

pub use crate::error::LogError;

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> LogError + '_ {
    move |source| LogError::Io { path: path.to_path_buf(), source }
}

/// Opens a plain or gzip file (by its magic bytes) as a buffered reader.
fn open_text(path: &Path) -> Result<Box<dyn BufRead>, LogError> {
    let mut file = File::open(path).map_err(io(path))?;
    let mut magic = [0u8; 2];
    let n = file.read(&mut magic).map_err(io(path))?;
    let file = File::open(path).map_err(io(path))?;
    if n == 2 && magic == [0x1f, 0x8b] {
        Ok(Box::new(BufReader::new(flate2::read::MultiGzDecoder::new(file))))
    } else {
        Ok(Box::new(BufReader::new(file)))
    }
}

// ---------------------------------------------------------------- propagation trees

/// Parses one side of a tree line, `['uid', 'tweet', 'delay']`, into `(uid, delay)`.
fn tree_node(text: &str) -> Option<(&str, f64)> {
    let inner = text.trim().strip_prefix('[')?.strip_suffix(']')?;
    let mut parts = inner.split(',').map(|p| p.trim().trim_matches('\''));
    let uid = parts.next()?;
    let _tweet = parts.next()?;
    let delay = parts.next()?;
    if parts.next().is_some() || uid.is_empty() {
        return None;
    }
    let delay = if uid == "ROOT" { 0.0 } else { delay.parse().ok()? };
    Some((uid, delay))
}

/// Reads one tree file's text into a cascade.
fn tree_cascade(
    users: &mut Interner,
    file: &str,
    id: String,
    label: Option<String>,
    text: &str,
) -> Result<Cascade, LogError> {
    let mut events = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let parsed = line.split_once("->").and_then(|(a, b)| Some((tree_node(a)?, tree_node(b)?)));
        let Some(((parent, _), (child, delay))) = parsed else {
            return Err(LogError::Parse {
                file: file.to_string(),
                line: i + 1,
                message: format!(
                    "expected ['parent_uid', 'tweet', 'minutes']->['child_uid', 'tweet', \
                     'minutes'], found `{}`",
                    line.chars().take(120).collect::<String>()
                ),
            });
        };
        // Some published trees have negative delays (a reply older than the source it is
        // attached to) and no ROOT line: times stay relative, and the cascade starts with its
        // earliest action.
        if !delay.is_finite() {
            return Err(LogError::Parse {
                file: file.to_string(),
                line: i + 1,
                message: format!("delay {delay} is not a number of minutes"),
            });
        }
        let child = users.id(child);
        let parent = (parent != "ROOT").then(|| users.id(parent));
        if parent.is_none() {
            // The ROOT line names the source, which acts at time 0 before anyone else (the
            // sort in `assemble` is stable).
            events.insert(0, (child, 0.0, None));
        } else {
            events.push((child, delay, parent));
        }
    }
    let cascade = assemble(id, label, 0.0, events);
    Ok(cascade)
}

fn parse_labels(file: &str, text: &str) -> Result<HashMap<String, String>, LogError> {
    let mut labels = HashMap::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let Some((label, id)) = line.split_once(':') else {
            return Err(LogError::Parse {
                file: file.to_string(),
                line: i + 1,
                message: format!("expected `label:source_tweet_id`, found `{line}`"),
            });
        };
        labels.insert(id.trim().to_string(), label.trim().to_string());
    }
    Ok(labels)
}

/// Reads propagation trees from a directory (holding `tree/*.txt` and optionally
/// `label.txt`, or the `*.txt` tree files themselves) or from a `.tar`/`.tar.gz` archive of
/// such directories. `part`, when given, keeps only archive members or directory paths
/// containing it (e.g. `twitter15` in the Twitter15/16 archive, which holds both).
///
/// Cascades are ordered by id. Time O(log size).
pub fn read_trees(path: &Path, part: Option<&str>) -> Result<ActionLog, LogError> {
    let mut files: BTreeMap<String, (String, String)> = BTreeMap::new(); // id -> (name, text)
    let mut labels: HashMap<String, String> = HashMap::new();
    let keep = |name: &str| part.is_none_or(|p| name.contains(p));
    let mut take = |name: String, text: String| -> Result<(), LogError> {
        if !keep(&name) {
            return Ok(());
        }
        let base = name.rsplit('/').next().unwrap_or(&name).to_string();
        if base == "label.txt" {
            labels.extend(parse_labels(&name, &text)?);
        } else if let Some(id) = base.strip_suffix(".txt")
            && name.contains("tree/")
        {
            files.insert(id.to_string(), (name, text));
        }
        Ok(())
    };
    if path.is_dir() {
        let mut dirs = vec![path.to_path_buf()];
        while let Some(dir) = dirs.pop() {
            let entries = std::fs::read_dir(&dir).map_err(io(&dir))?;
            for entry in entries {
                let p = entry.map_err(io(&dir))?.path();
                if p.is_dir() {
                    dirs.push(p);
                } else if p.extension().is_some_and(|e| e == "txt") {
                    let text = std::fs::read_to_string(&p).map_err(io(&p))?;
                    let mut name = p.display().to_string();
                    // Tree files handed over directly (no `tree/` folder) still count.
                    if !name.contains("tree/") && !name.ends_with("label.txt") {
                        name = format!("tree/{name}");
                    }
                    take(name, text)?;
                }
            }
        }
    } else {
        let reader = open_text(path)?;
        crate::tar::for_each_file(reader, &path.display().to_string(), &mut |name, bytes| {
            let text = String::from_utf8_lossy(&bytes).into_owned();
            take(name.to_string(), text)
        })?;
    }
    if files.is_empty() {
        return Err(LogError::Empty(path.display().to_string()));
    }
    let mut users = Interner::default();
    let mut cascades = Vec::with_capacity(files.len());
    for (id, (name, text)) in files {
        let label = labels.get(&id).cloned();
        let file = if path.is_dir() { name } else { format!("{}:{name}", path.display()) };
        cascades.push(tree_cascade(&mut users, &file, id, label, &text)?);
    }
    let provenance = match part {
        Some(p) => format!("propagation trees {} ({p})", path.display()),
        None => format!("propagation trees {}", path.display()),
    };
    Ok(ActionLog { users: users.names, cascades, provenance })
}

// ---------------------------------------------------------------- Higgs activity

/// Which Higgs interactions count as actions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HiggsKinds {
    /// Retweets (`RT`). Default true.
    pub retweet: bool,
    /// Mentions (`MT`). Default true.
    pub mention: bool,
    /// Replies (`RE`). Default true.
    pub reply: bool,
}

impl Default for HiggsKinds {
    fn default() -> Self {
        HiggsKinds { retweet: true, mention: true, reply: true }
    }
}

/// Reads the Higgs activity log (`A B unix_ts RT|MT|RE`: `A` reacted to `B`, so information
/// flows `B -> A`; plain or gzip). The log is one long rumour, so cascades are consecutive
/// time windows of `window_minutes` from the first event: in each window an account acts at
/// its first event, credited to the account it reacted to. Time O(log size).
pub fn read_higgs(
    path: &Path,
    window_minutes: f64,
    kinds: HiggsKinds,
) -> Result<ActionLog, LogError> {
    let name = path.display().to_string();
    let reader = open_text(path)?;
    let mut users = Interner::default();
    let mut windows: BTreeMap<u64, Vec<(u32, f64, Option<u32>)>> = BTreeMap::new();
    let mut first: Option<f64> = None;
    for (i, line) in reader.lines().enumerate() {
        let line = line.map_err(io(path))?;
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let f: Vec<&str> = line.split_ascii_whitespace().collect();
        let bad = |message: String| LogError::Parse { file: name.clone(), line: i + 1, message };
        if f.len() != 4 {
            return Err(bad(format!("expected `A B unix_time RT|MT|RE`, found `{line}`")));
        }
        let ts: f64 = f[2]
            .parse()
            .ok()
            .filter(|t: &f64| t.is_finite())
            .ok_or_else(|| bad(format!("`{}` is not a Unix time", f[2])))?;
        let wanted = match f[3] {
            "RT" => kinds.retweet,
            "MT" => kinds.mention,
            "RE" => kinds.reply,
            other => return Err(bad(format!("interaction `{other}`: expected RT, MT or RE"))),
        };
        if !wanted {
            continue;
        }
        let minutes = ts / 60.0;
        let t0 = *first.get_or_insert(minutes);
        if minutes < t0 {
            return Err(bad("the log must be sorted by time".into()));
        }
        let w = ((minutes - t0) / window_minutes) as u64;
        let (a, b) = (users.id(f[0]), users.id(f[1]));
        windows.entry(w).or_default().push((a, minutes, Some(b)));
    }
    if windows.is_empty() {
        return Err(LogError::Empty(name));
    }
    let t0 = first.unwrap_or(0.0);
    let cascades = windows
        .into_iter()
        .map(|(w, events)| {
            let start = t0 + w as f64 * window_minutes;
            let mut c = assemble(format!("window {w}"), None, 0.0, events);
            // Times relative to the window's start, so "first T minutes" means the window's.
            let shift = c.start - start;
            c.start = start;
            for a in &mut c.actions {
                a.time += shift;
            }
            c
        })
        .collect();
    Ok(ActionLog {
        users: users.names,
        cascades,
        provenance: format!("Higgs activity {name}, {window_minutes}-minute windows"),
    })
}

// ---------------------------------------------------------------- generic CSV

/// Reads `user,cascade,time[,parent]` lines (plain or gzip; a first line whose `time` is not a
/// number is a header; `time` in seconds). An empty or absent `parent` leaves the action
/// without credit, to be filled by [`credit_from_graph`]. Cascades are ordered by start time.
pub fn read_csv(path: &Path) -> Result<ActionLog, LogError> {
    let name = path.display().to_string();
    let reader = open_text(path)?;
    let mut users = Interner::default();
    let mut order: Vec<String> = Vec::new();
    let mut events: HashMap<String, Vec<(u32, f64, Option<u32>)>> = HashMap::new();
    for (i, line) in reader.lines().enumerate() {
        let line = line.map_err(io(path))?;
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let f: Vec<&str> = line.split(',').map(str::trim).collect();
        let bad = |message: String| LogError::Parse { file: name.clone(), line: i + 1, message };
        if f.len() < 3 || f.len() > 4 {
            return Err(bad(format!("expected `user,cascade,time[,parent]`, found `{line}`")));
        }
        let Some(time) = f[2].parse::<f64>().ok().filter(|t| t.is_finite()) else {
            if i == 0 {
                continue; // header
            }
            return Err(bad(format!("time `{}` is not a number of seconds", f[2])));
        };
        if f[0].is_empty() || f[1].is_empty() {
            return Err(bad("empty user or cascade".into()));
        }
        let user = users.id(f[0]);
        let parent = f.get(3).filter(|p| !p.is_empty()).map(|p| users.id(p));
        let list = events.entry(f[1].to_string()).or_insert_with(|| {
            order.push(f[1].to_string());
            Vec::new()
        });
        list.push((user, time / 60.0, parent));
    }
    let mut cascades: Vec<Cascade> = order
        .into_iter()
        .map(|id| {
            let ev = events.remove(&id).unwrap_or_default();
            assemble(id, None, 0.0, ev)
        })
        .collect();
    if cascades.is_empty() {
        return Err(LogError::Empty(name));
    }
    cascades.sort_by(|a, b| a.start.total_cmp(&b.start).then_with(|| a.id.cmp(&b.id)));
    Ok(ActionLog { users: users.names, cascades, provenance: format!("action CSV {name}") })
}

/// Credits every action that has no parent to the earlier actors of its cascade among the
/// account's in-neighbours in a social graph, within `window_minutes` before it (Goyal, Bonchi
/// & Lakshmanan, WSDM 2010). `in_neighbors(v)` lists the accounts `v` follows (who can
/// influence `v`), as account numbers of `log.users`. Time O(actions x in-degree).
pub fn credit_from_graph(
    log: &mut ActionLog,
    in_neighbors: &dyn Fn(u32) -> Vec<u32>,
    window_minutes: f64,
) {
    for c in &mut log.cascades {
        let when: HashMap<u32, f64> = c.actions.iter().map(|a| (a.user, a.time)).collect();
        for a in &mut c.actions {
            if !a.parents.is_empty() {
                continue;
            }
            let mut credited: Vec<u32> = in_neighbors(a.user)
                .into_iter()
                .filter(|u| {
                    when.get(u).is_some_and(|&t| t < a.time && a.time - t <= window_minutes)
                })
                .collect();
            credited.sort_unstable();
            credited.dedup();
            a.parents = credited;
        }
    }
}
