//! The integration tests: one binary (one link, one place to look), a module per feature. Each
//! test that touches the database is marked `#[both_backends]` where it is defined
//! (`tests/macros`), and runs on SQLite and on PostgreSQL.

mod common;

mod action_plan;
mod architecture;
mod assist;
mod cli;
mod durability;
mod export;
mod hardening;
mod instances;
mod kinds;
mod languages;
mod map;
mod migrations;
mod national;
mod outreach;
mod paper;
mod privacy;
mod resident_flow;
mod save_and_return;
mod staff;
mod statistics;
mod surveys;
mod tally;
mod weighting;
mod xlsform;
