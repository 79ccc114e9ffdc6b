//! Importers and exporters: directory files (STS-web, SIECLE, AAF, ONDE) and
//! CSV export with formula neutralisation.

pub mod annuaire;
pub mod csv_export;
pub mod ical;
pub mod ical_feed;
pub mod parc;
pub mod school_list;
