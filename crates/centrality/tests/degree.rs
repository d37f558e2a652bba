//! Degrees on the shipped datasets: follower naming checked against raw line counts.

mod common;

use clout_centrality::{DegreeKind, degree_centrality, degrees, weighted_degrees};
use clout_graph::EdgeReading;
use common::{dataset, load};

#[test]
fn wiki_vote_followers_are_votes_received() {
    let w = load("wiki-vote/Wiki-Vote.txt", EdgeReading::Follows, false);
    let d = degrees(&w.graph);
    // Count straight from the file: a line "A B" is a vote by A for B.
    let text = std::fs::read_to_string(dataset("wiki-vote/Wiki-Vote.txt")).unwrap();
    let mut received = vec![0u64; w.original.len()];
    let mut cast = vec![0u64; w.original.len()];
    for line in text.lines().filter(|l| !l.starts_with('#')) {
        let mut f = line.split_whitespace().map(|x| x.parse::<u64>().unwrap());
        let (a, b) = (f.next().unwrap(), f.next().unwrap());
        cast[w.dense(a) as usize] += 1;
        received[w.dense(b) as usize] += 1;
    }
    assert_eq!(d.followers(), &received[..]);
    assert_eq!(d.following(), &cast[..]);
    assert_eq!(d.get(DegreeKind::Out), &received[..]);
    assert_eq!(d.total.iter().sum::<u64>(), 2 * 103_689);
    let c = degree_centrality(&w.graph, DegreeKind::Out);
    let top = (0..c.len()).max_by(|&a, &b| c[a].total_cmp(&c[b])).unwrap();
    assert_eq!(c[top], received[top] as f64 / 7114.0);
}

#[test]
fn karate_weighted_degrees() {
    let k = load("karate/karate_weighted.edges", EdgeReading::Undirected, true);
    let d = degrees(&k.graph);
    assert_eq!(d.total[0], 16); // member 1 has 16 friends
    assert_eq!(d.total[33], 17); // member 34 has 17
    let w = weighted_degrees(&k.graph).unwrap();
    assert_eq!(w.in_weight, w.out_weight);
    assert_eq!(w.total, w.out_weight);
    let total: f64 = w.total.iter().sum();
    let file_total: f64 = std::fs::read_to_string(dataset("karate/karate_weighted.edges"))
        .unwrap()
        .lines()
        .filter(|l| !l.starts_with('#'))
        .map(|l| l.split_whitespace().nth(2).unwrap().parse::<f64>().unwrap())
        .sum();
    assert_eq!(total, 2.0 * file_total);
}
