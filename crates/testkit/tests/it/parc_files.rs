//! The parc_files integration tests.
