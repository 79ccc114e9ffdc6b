//! The parc integration tests.
