//! The indicators integration tests.
