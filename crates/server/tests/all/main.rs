//! The server's integration tests, one binary (linking the server, Typst included, once instead of once per
//! file): each module is one capability or concern, over real HTTP on SQLite and PostgreSQL (`common::TestApp`,
//! the `both!` macro). Run one module with `cargo test --test all review::`.

#[macro_use]
mod common;

mod accounts;
mod announcements;
mod assessment;
mod calls;
mod calls_review;
mod enterprises;
mod authorization;
mod cli;
mod dashboard;
mod files;
mod fuzz;
mod layout;
mod lifecycle;
mod identity;
mod load;
mod openapi;
mod platform;
mod portal;
mod providers;
mod reference;
mod registration;
mod review;
mod robustness;
mod s3;
mod search;
mod security;
mod sms_gateway;
mod unified_identity;
