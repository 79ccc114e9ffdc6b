//! Directory importers: STS-web, SIECLE/BEE, AAF and ONDE/BE1D, streaming.

pub mod model;

pub use model::*;
