//! Finding the lines behind an error found after parsing: the builder reports a repeated arc
//! whose summed weight overflows by its dense ids, when edges no longer carry line numbers
//! (keeping them would cost 8 bytes per edge on every read). Regular files can be read again,
//! so the lines of that edge are found by a second, sequential scan, on the error path only.

use std::io::{BufRead, BufReader, Read};

use super::plan::{MAX_LINE, Plan};
use crate::error::ReadError;
use crate::input::Opened;
use crate::parse::{
    Layout, LineKind, SLOT_DST, SLOT_SRC, SLOT_WEIGHT, classify, parse_u64, parse_weight,
    split_fields, unescape,
};

/// Where the weights of a repeated edge stopped being finite.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct OverflowAt {
    /// The input holding the line where the sum became infinite, and that line (1-based).
    pub at: (String, u64),
    /// The first line with the edge, and its input.
    pub first: (String, u64),
}

/// The edge to look for: ids as written on a line (`A B`), and whether `B A` counts too.
pub(crate) struct EdgeIds<'a> {
    pub a: &'a str,
    pub b: &'a str,
    pub either_order: bool,
    /// Ids are integers (compared by value, so `007` finds 7 when ids were forced integers).
    pub integer: bool,
}

impl EdgeIds<'_> {
    fn same(&self, token: &[u8], id: &str) -> bool {
        if self.integer {
            parse_u64(token).ok().is_some_and(|x| id.parse() == Ok(x))
        } else {
            token == id.as_bytes()
        }
    }

    /// The weight of `line` if it holds this edge.
    fn weight_on(&self, line: &[u8], layout: &Layout) -> Option<f64> {
        let mut raw: [&[u8]; 4] = [&[]; 4];
        let split = split_fields(line, layout, &mut raw).ok()?;
        if split.seen < layout.roles.len() {
            return None;
        }
        let field = |slot: usize| {
            if split.escaped & (1 << slot) != 0 { unescape(raw[slot]) } else { raw[slot].to_vec() }
        };
        let (x, y) = (field(SLOT_SRC), field(SLOT_DST));
        let forward = self.same(&x, self.a) && self.same(&y, self.b);
        let backward = self.either_order && self.same(&x, self.b) && self.same(&y, self.a);
        if !forward && !backward {
            return None;
        }
        parse_weight(&field(SLOT_WEIGHT))
    }
}

/// Reads the inputs again and sums the weights of the lines holding `edge`, in input order
/// (the order the builder sums them in); returns where the sum first became infinite.
/// `None` if an input cannot be opened or read, or the sum never overflows.
pub(crate) fn locate_overflow<'a>(
    count: usize,
    open: &mut dyn FnMut(usize) -> Result<Opened<'a>, ReadError>,
    plan: &Plan,
    edge: &EdgeIds<'_>,
) -> Option<OverflowAt> {
    let mut sum = 0.0f64;
    let mut first = None;
    for index in 0..count {
        let source = open(index).ok()?;
        let file = source.name().to_string();
        let mut reader = BufReader::with_capacity(1 << 20, source);
        let mut layout: Option<Layout> = None;
        let mut line = Vec::new();
        let mut number = 0u64;
        loop {
            line.clear();
            let read = (&mut reader).take(MAX_LINE as u64 + 1).read_until(b'\n', &mut line);
            if read.ok()? == 0 {
                break;
            }
            number += 1;
            let mut text = line.strip_suffix(b"\n").unwrap_or(&line);
            if number == 1 {
                text = text.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(text);
            }
            if classify(text) != LineKind::Data {
                continue;
            }
            let layout = match &layout {
                Some(layout) => layout,
                None => {
                    let header = plan.header.then_some(text);
                    let settled = layout.insert(plan.layout(plan.separator(text), header).ok()?);
                    if plan.header {
                        continue;
                    }
                    settled
                }
            };
            let Some(weight) = edge.weight_on(text, layout) else { continue };
            let first = first.get_or_insert_with(|| (file.clone(), number));
            sum += weight;
            if !sum.is_finite() {
                return Some(OverflowAt { at: (file, number), first: first.clone() });
            }
        }
    }
    None
}
