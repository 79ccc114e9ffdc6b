## Support
support-sla-on-time = On time
support-sla-due-soon = Due soon
support-sla-overdue = Overdue
support-sla-met = Target met
support-sla-missed = Target missed
support-error-hours = Type spans such as 08:00-12:00, 13:30-17:30.
support-error-hours-order = Spans must follow one another without overlapping, each ending after it starts.
support-error-closed-day = Type one date per line, as YYYY-MM-DD (for example 2026-12-25).
