"""One module per peer library. Each defines `METHODS`: a list of `common.Method`.

Peer modules are imported only inside a worker subprocess (`worker.py`), by an interpreter
that has the library installed; the orchestrator (`compare.py`) never imports them, except
`clout_peer`, which uses only the standard library and drives the `clout` binary.
"""
