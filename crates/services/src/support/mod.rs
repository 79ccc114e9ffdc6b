//! Support: organisations' contracts, working calendars and SLA due times; notifications and e-mail; reminders.
