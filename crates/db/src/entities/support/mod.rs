//! Support entities: contracts, targets, notifications, outgoing mail, job leases, knowledge base.
