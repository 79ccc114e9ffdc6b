//! Forward-only migrations shared by SQLite and PostgreSQL.
//! A landed migration is never edited: add a new one.

pub use sea_orm_migration::prelude::*;

mod m20261128_000001_socle;
mod m20261128_000002_annuaire;
mod m20261128_000003_sso;
mod m20261128_000004_second_factor;
mod m20261128_000005_parc;
mod m20261128_000006_assistance;
mod m20261128_000007_support;
mod m20261128_000008_kb;
mod m20261128_000009_helpdesk_indexes;
mod m20261128_000010_reservations;
mod m20261128_000011_loans;
mod m20261128_000012_booking_feeds;
mod m20261128_000013_parc_list_indexes;
mod m20261207_000014_ticket_list_indexes;
mod m20261207_000015_annuaire_left_index;
mod m20261207_000016_ticket_count_index;
mod m20261207_000017_pilotage_lettres;
mod m20261207_000018_pilotage_comite;
mod m20261207_000019_pilotage_formations;
mod m20261207_000020_pilotage_projet;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261128_000001_socle::Migration),
            Box::new(m20261128_000002_annuaire::Migration),
            Box::new(m20261128_000003_sso::Migration),
            Box::new(m20261128_000004_second_factor::Migration),
            Box::new(m20261128_000005_parc::Migration),
            Box::new(m20261128_000006_assistance::Migration),
            Box::new(m20261128_000007_support::Migration),
            Box::new(m20261128_000008_kb::Migration),
            Box::new(m20261128_000009_helpdesk_indexes::Migration),
            Box::new(m20261128_000010_reservations::Migration),
            Box::new(m20261128_000011_loans::Migration),
            Box::new(m20261128_000012_booking_feeds::Migration),
            Box::new(m20261128_000013_parc_list_indexes::Migration),
            Box::new(m20261207_000014_ticket_list_indexes::Migration),
            Box::new(m20261207_000015_annuaire_left_index::Migration),
            Box::new(m20261207_000016_ticket_count_index::Migration),
            Box::new(m20261207_000017_pilotage_lettres::Migration),
            Box::new(m20261207_000018_pilotage_comite::Migration),
            Box::new(m20261207_000019_pilotage_formations::Migration),
            Box::new(m20261207_000020_pilotage_projet::Migration),
        ]
    }
}
