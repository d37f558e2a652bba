//! clout-centrality: parallel centrality kernels (being written).
