//! The integration suite: each test runs against a real server, on a fresh
//! database, once on SQLite and once on PostgreSQL.

mod annuaire_import;
mod annuaire_pages;
mod annuaire_reimport;
mod api;
mod api_bookings;
mod api_contract;
mod api_loans;
mod api_support;
mod api_tickets;
mod assistance;
mod audit;
mod auth;
mod auth_limits;
mod bounds;
mod display;
mod home;
mod indicators;
mod journal;
mod kb;
mod loans;
mod mail;
mod mfa;
mod offered_actions;
mod ops;
mod parc;
mod parc_files;
mod people;
mod reservation_feeds;
mod reservation_occupancy;
mod reservations;
mod scoping;
mod security;
mod sso;
mod support;
mod ticket_lists;
