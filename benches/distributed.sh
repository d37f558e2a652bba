#!/usr/bin/env bash
# clout across processes: one process x 2 threads against two processes x 1 thread on this
# machine, alternating, 7 runs each; every process under /usr/bin/time for its wall time and
# peak RSS, and its own summary line (kernel time, bytes sent and received).
# Build first: cargo build --release --features distributed --bin clout
# Usage: benches/distributed.sh CLOUT COMMAND...   e.g.
#   benches/distributed.sh target/release/clout rank /tmp/d/slashdot.clout --pagerank-method power --tol 1e-10
#   benches/distributed.sh target/release/clout simulate /tmp/d/slashdot.clout --seeds 2494,398,381 --model icn --quality 0.7 --trials 3000 --json
#   benches/distributed.sh target/release/clout select /tmp/d/slashdot.clout -k 50 --epsilon 0.1 --method imm --trials 0
# Take medians of the 7 lines of each kind (docs/distributed.md lists the figures).
set -u
B=$1; shift
H=/tmp/dist-bench-hosts.txt
printf '127.0.0.1:24101\n127.0.0.1:24102\n' > $H
for run in 1 2 3 4 5 6 7; do
  # one process, two threads
  /usr/bin/time -f "single wall %e rss_kb %M" $B --threads 2 "$@" > /dev/null 2> /tmp/dist-single.err
  grep -E "^single|pagerank|trials in|trials/s|; select " /tmp/dist-single.err | tr '\n' ' '; echo
  # two processes, one thread each
  start=$(date +%s.%N)
  /usr/bin/time -f "p0 wall %e rss_kb %M" $B --threads 1 "$@" --processes 2 --process 0 --hostfile $H > /dev/null 2> /tmp/dist-p0.err &
  a=$!
  /usr/bin/time -f "p1 wall %e rss_kb %M" $B --threads 1 "$@" --processes 2 --process 1 --hostfile $H > /dev/null 2> /tmp/dist-p1.err &
  b=$!
  wait $a $b
  end=$(date +%s.%N)
  echo "pair wall $(echo "$end - $start" | bc)" $(grep -E "^p0|process 0 of|pagerank|trials/s" /tmp/dist-p0.err | tr '\n' ' ') $(grep -E "^p1|process 1 of" /tmp/dist-p1.err | tr '\n' ' ')
done
