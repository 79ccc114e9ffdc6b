//! Assistance entities: support contracts, tickets, comments, attachments, notifications, knowledge base.
