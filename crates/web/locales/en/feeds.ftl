# Bookings: iCalendar subscriptions (calendars).
resa-feed-title = Calendar subscription (iCalendar)
resa-feed-intro = A secret address lets a calendar application (Thunderbird, Outlook, a phone) show these bookings, from 30 days back to one year ahead. Anyone who knows it can read the calendar: revoke it if it was shared.
resa-feed-none = No active subscription.
resa-feed-live = Active subscription, created on
resa-feed-create = Create the subscription address
resa-feed-regenerate = Generate a new address (the old one stops working)
resa-feed-revoke = Revoke the address
resa-feed-created-title = Subscription address created
resa-feed-created = Here is the subscription address. Copy it now: it will not be shown again.
resa-feed-url = Subscription address (iCalendar)
resa-feed-secret-hint = Paste it into your calendar application ("subscribe to a calendar from a URL"). Do not share it.
resa-feed-back = Back
resa-feed-calname-resource = Bookings — { $name }
resa-feed-calname-person = My bookings — { $name }
flash-resa-feed-revoked = The subscription address was revoked.
# Bookings: occupancy rates.
resa-occupancy-link = Occupancy rates
resa-occupancy-title = Booking occupancy rates — { $name }
resa-occupancy-period = From { $start } to { $end }: { $days } school days.
resa-occupancy-how = Rate = booked slots (approved bookings) ÷ bookable slots (school days Monday to Friday, holidays and closed days excluded, × the timetable's slots, for the active resources).
resa-occupancy-per-resource = Occupancy per resource
resa-occupancy-per-slot = Occupancy per slot
resa-occupancy-col-slot = Slot
resa-occupancy-col-rate = Occupancy rate
resa-occupancy-value = { $rate } ({ $booked } of { $bookable })
