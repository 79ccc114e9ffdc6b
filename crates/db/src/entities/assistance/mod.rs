//! Assistance entities: tickets, their counters, history, comments and
//! attachments; equipment unavailability; in-app notifications; the QR
//! form's throttle.

pub mod asset_unavailability;
pub mod notification;
pub mod qr_report_throttle;
pub mod ticket;
pub mod ticket_attachment;
pub mod ticket_comment;
pub mod ticket_counter;
pub mod ticket_event;
