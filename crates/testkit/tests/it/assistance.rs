//! The assistance integration tests.
