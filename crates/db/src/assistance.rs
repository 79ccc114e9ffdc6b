//! Assistance queries: support organisations, tickets, SLA, knowledge base.
