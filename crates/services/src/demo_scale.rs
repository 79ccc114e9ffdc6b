//! Scale demo: N schools with realistic assets and tickets, for benchmarks.
