## Support
support-sla-on-time = On time
support-sla-due-soon = Due soon
support-sla-overdue = Overdue
support-sla-met = Target met
support-sla-missed = Target missed
support-error-hours = Type spans such as 08:00-12:00, 13:30-17:30.
support-error-hours-order = Spans must follow one another without overlapping, each ending after it starts.
support-error-closed-day = Type one date per line, as YYYY-MM-DD (for example 2026-12-25).
support-orgs-title = Support organisations
support-orgs-intro = The providers, the académie's assistance, the local authority and the publishers who repair the schools' equipment, with their contract's targets.
support-orgs-count = { $count } organisation(s)
support-orgs-all = All support organisations
support-org-new = New support organisation
support-org-edit = Edit the support organisation
support-field-kind = Kind of organisation
support-field-contact = Contact
support-field-contact-name = Contact name
support-field-contact-email = Contact e-mail
support-field-contact-phone = Contact phone
support-field-website = Website
support-website-hint = Full address starting with https://
support-field-collectivite = Local authority (for an organisation of that kind)
support-field-notes = Notes
support-no-collectivite = None
support-none = Not given
support-cancel = Cancel
support-kind-private-provider = Private provider
support-kind-academie-assistance = Académie assistance
support-kind-collectivite = Local authority
support-kind-publisher = Publisher
support-kind-in-house = In-house
support-serves-title = Schools served
support-serves-none = No school.
support-serves-others = and { $count } other school(s)
support-targets-title = Contract targets
support-targets-intro = Times counted in working hours of the calendar below, Paris time.
support-targets-edit = Edit the targets
support-targets-heading = Targets: { $name }
support-targets-form-intro = For each priority, the response time and the resolution time, in working minutes (240 = 4 working hours). Leave both empty for no target.
support-field-priority = Priority
support-field-response = Response
support-field-resolution = Resolution
support-field-response-minutes = Response (working minutes)
support-field-resolution-minutes = Resolution (working minutes)
support-no-target = No target
support-priority-p1 = P1 — critical
support-priority-p2 = P2 — high
support-priority-p3 = P3 — medium
support-priority-p4 = P4 — low
support-duration-minutes = { $m } min
support-duration-hours = { $h } h
support-duration-hours-minutes = { $h } h { $m }
support-calendar-title = Working hours
support-calendar-edit = Edit the calendar
support-calendar-heading = Calendar: { $name }
support-calendar-form-intro = For each day, the working spans such as 08:00-12:00, 13:30-17:30; leave a non-working day empty.
support-field-day = Day
support-field-hours = Working spans
support-closed = Closed
support-closed-days = Closed days
support-closed-hint = One date per line, as YYYY-MM-DD (public holidays, school holidays).
support-no-closed-days = No closed day.
support-day-mon = Monday
support-day-tue = Tuesday
support-day-wed = Wednesday
support-day-thu = Thursday
support-day-fri = Friday
support-day-sat = Saturday
support-day-sun = Sunday
support-in-house-title = In-house support: { $name }
support-in-house-of = the in-house support of
support-in-house-intro = The targets of the tickets handled in the school, with no support organisation assigned.
support-in-house-defaults = The school has not set its targets: the default targets apply.
support-in-house-orgs = The school's support organisations
support-error-minutes = Type a whole number of minutes above zero (at most 525600).
support-error-resolution-before-response = The resolution time cannot be shorter than the response time.
support-error-target-pair = Type both times of this priority, or neither.
support-error-phone = Type a phone number (digits, spaces, +, dots or hyphens).
support-error-website = Type a full web address starting with https://
support-error-collectivite = Choose the local authority of this organisation.
support-error-serves = Choose at least one of your schools.
notif-title = Notifications
notif-unread-count = { $count ->
    [0] No unread notification
    [one] { $count } unread notification
   *[other] { $count } unread notifications
}
notif-none = You have no notification.
notif-mark-all = Mark all as read
notif-col-when = Date
notif-col-what = What
notif-col-subject = Subject
notif-col-state = State
notif-open = Open and mark as read
notif-read = Read
notif-kind-response-overdue = Response time exceeded
notif-kind-resolution-overdue = Resolution time exceeded
notif-kind-other = Notification
flash-notif-read = Notification marked as read.
flash-notif-all-read = All notifications are marked as read.
nav-notifications = Notifications
nav-unread = { $count ->
    [one] { $count } unread notification
   *[other] { $count } unread notifications
}
nav-unread-many = more than { $count } unread notifications

# Journal: event names.
action-support-calendar-updated = Support contract hours changed
action-support-targets-updated = Support contract targets changed
action-support-organisation-created = Support organisation created
action-support-organisation-updated = Support organisation changed
action-ticket-reminded = Overdue ticket reminder
