//! Support organisations' contracts and calendars, notifications, outgoing mail, job leases.
