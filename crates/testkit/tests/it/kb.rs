//! The kb integration tests.
