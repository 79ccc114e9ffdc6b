## Support
support-sla-on-time = Dans les délais
support-sla-due-soon = Échéance proche
support-sla-overdue = En retard
support-sla-met = Délai tenu
support-sla-missed = Délai dépassé
support-error-hours = Saisissez des plages comme 08:00-12:00, 13:30-17:30.
support-error-hours-order = Les plages doivent se suivre sans se chevaucher, chacune finissant après son début.
support-error-closed-day = Saisissez une date par ligne, au format AAAA-MM-JJ (par exemple 2026-12-25).
