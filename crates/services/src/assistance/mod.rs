//! Assistance: the helpdesk with the support services.
