//! Notifications leaving the platform. For now: SMS, behind a gateway interface with a log gateway for
//! development and tests and an HTTP gateway for a real provider. In-site messages join with the review
//! engine.

pub mod sms;
