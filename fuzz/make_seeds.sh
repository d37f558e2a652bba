#!/usr/bin/env bash
# Regenerates the seed corpora in fuzz/corpus/ from small slices of datasets/ (and of the shared
# Bitcoin / signed samples when ../shared/datasets exists). Seeds for read_edges start with the
# three config bytes the target reads (see fuzz_targets/read_edges.rs); snapshot seeds are graph
# descriptions (see fuzz_targets/snapshot.rs). Needs gzip, zstd and pzstd.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
data="$here/../datasets"
shared="${CLOUT_DATASETS:-$here/../../shared/datasets}"
[ -d "$shared" ] || shared="/work/shared/datasets"
out="$here/corpus"
rm -rf "$out"
mkdir -p "$out/read_edges" "$out/decompress" "$out/snapshot"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# seed NAME CONFIG-BYTES-IN-OCTAL FILE: the config bytes followed by the file.
seed() { { printf "$2"; cat "$3"; } > "$out/read_edges/$1"; }

head -n 30 "$data/wiki-vote/Wiki-Vote.txt" > "$tmp/wiki.txt"
head -n 20 "$data/karate/karate.edges" > "$tmp/karate.txt"
head -n 20 "$data/karate/karate_weighted.edges" > "$tmp/karate_w.txt"
printf 'a,b,w\n"@alice","@bob",1.5\n"@bob","x, y",2\n"@carol",@alice,-0.25\n' > "$tmp/quoted.csv"
printf '@alice @bob\n@bob @carol\n@carol @alice\n@alice @alice\n@alice @bob\n' > "$tmp/handles.txt"
printf '1 2\nnot a line\n2 3 4\n3\n# comment\n\n4 5\r\n' > "$tmp/bad.txt"
printf '# synthetic: rmat\n1 2 1\n2 3 -1\n3 1 +1\n' > "$tmp/signed_small.txt"
seed wiki '\000\000\000' "$tmp/wiki.txt"
seed karate_undirected '\002\000\000' "$tmp/karate.txt"
seed karate_weighted '\002\004\001' "$tmp/karate_w.txt"
seed quoted_csv_header '\240\002\204' "$tmp/quoted.csv"
seed handles_keep_loops '\001\026\000' "$tmp/handles.txt"
seed skip_bad_lines '\000\040\000' "$tmp/bad.txt"
seed tiny_blocks '\001\100\000' "$tmp/karate.txt"
seed signed_small '\004\000\000' "$tmp/signed_small.txt"
if [ -d "$shared" ]; then
  (zcat "$shared/sign-epinions/soc-sign-epinions.txt.gz" || true) | head -n 25 > "$tmp/epinions.txt"
  (zcat "$shared/bitcoin/soc-sign-bitcoinotc.csv.gz" || true) | head -n 20 > "$tmp/bitcoin.csv"
  seed epinions_signed '\004\000\000' "$tmp/epinions.txt"
  seed bitcoin_csv '\011\000\000' "$tmp/bitcoin.csv"
fi
gzip -9 -n -c "$tmp/karate.txt" > "$tmp/karate.gz"
zstd -q -19 -c "$tmp/karate.txt" > "$tmp/karate.zst"
pzstd -q -p 1 -c "$tmp/karate.txt" > "$tmp/karate.pzst"
seed karate_gz '\002\000\000' "$tmp/karate.gz"
seed karate_zst '\002\000\000' "$tmp/karate.zst"
seed karate_pzstd '\002\000\000' "$tmp/karate.pzst"

cp "$tmp/karate.gz" "$tmp/karate.zst" "$tmp/karate.pzst" "$out/decompress/"
cp "$tmp/wiki.txt" "$out/decompress/plain.txt"
{ gzip -n -c "$tmp/karate.txt"; gzip -n -c "$tmp/handles.txt"; } > "$out/decompress/two_members.gz"
zstd -q --no-check -c "$tmp/handles.txt" > "$out/decompress/no_checksum.zst"
{ zstd -q -c "$tmp/karate.txt"; zstd -q -c "$tmp/handles.txt"; } > "$out/decompress/two_frames.zst"

# Snapshot graph descriptions: flags, node count, arc count, then arcs (u, v, attribute bytes),
# provenance length and bytes, id bytes, then mutation count 0 and checksum mode 0.
python3 - "$out/snapshot" <<'PY'
import os, random, sys
random.seed(7)
out = sys.argv[1]
for flags in [0x00, 0x06, 0x0e, 0x17, 0x1f, 0x41, 0x9e, 0x3e]:
    n, m = 8, 20
    body = bytes([flags, n, m])
    for _ in range(m):
        body += bytes([random.randrange(n), random.randrange(n), random.randrange(256)])
    body += bytes([5]) + b"seed!" + bytes(random.randrange(256) for _ in range(n))
    with open(os.path.join(out, f"graph_{flags:02x}"), "wb") as f:
        f.write(body + bytes([0, 0]))
PY
du -sh "$out"
