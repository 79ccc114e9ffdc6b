//! Equipment and helpdesk indicators of a school.
