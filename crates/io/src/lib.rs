//! Importers and exporters. Today: CSV export with formula neutralisation.
//! The directory importers (STS-web, SIECLE, AAF, ONDE) and the inventory
//! import/export come with their modules.

pub mod csv_export;
