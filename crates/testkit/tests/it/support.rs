//! The support integration tests.
