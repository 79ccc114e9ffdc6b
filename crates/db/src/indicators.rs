//! Equipment and helpdesk indicators.
