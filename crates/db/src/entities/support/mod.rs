//! Support entities: organisations with their contact and calendar, contract
//! targets, the schools' in-house targets and calendars, job leases.

pub mod etab_support_calendar;
pub mod etab_support_target;
pub mod job_lease;
pub mod support_organisation;
pub mod support_target;
