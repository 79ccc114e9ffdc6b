//! Réservations entities: the timetable and the bookings.

pub mod booking;
pub mod booking_calendar;
pub mod booking_day_off;
pub mod booking_feed;
pub mod booking_resource;
pub mod booking_slot;
