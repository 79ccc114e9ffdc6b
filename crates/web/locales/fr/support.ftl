## Support
support-sla-on-time = Dans les délais
support-sla-due-soon = Échéance proche
support-sla-overdue = En retard
support-sla-met = Délai tenu
support-sla-missed = Délai dépassé
support-error-hours = Saisissez des plages comme 08:00-12:00, 13:30-17:30.
support-error-hours-order = Les plages doivent se suivre sans se chevaucher, chacune finissant après son début.
support-error-closed-day = Saisissez une date par ligne, au format AAAA-MM-JJ (par exemple 2026-12-25).
support-orgs-title = Organismes de support
support-orgs-intro = Les prestataires, l'assistance académique, la collectivité et les éditeurs qui dépannent les équipements des établissements, avec les délais de leur contrat.
support-orgs-count = { $count } organisme(s)
support-orgs-all = Tous les organismes de support
support-org-new = Nouvel organisme de support
support-org-edit = Modifier l'organisme de support
support-field-kind = Type d'organisme
support-field-contact = Contact
support-field-contact-name = Nom du contact
support-field-contact-email = Courriel du contact
support-field-contact-phone = Téléphone du contact
support-field-website = Site web
support-website-hint = Adresse complète commençant par https://
support-field-collectivite = Collectivité (pour un organisme de type collectivité)
support-field-notes = Notes
support-no-collectivite = Aucune
support-none = Non renseigné
support-cancel = Annuler
support-kind-private-provider = Prestataire privé
support-kind-academie-assistance = Assistance académique
support-kind-collectivite = Collectivité
support-kind-publisher = Éditeur
support-kind-in-house = Interne à l'établissement
support-serves-title = Établissements servis
support-serves-none = Aucun établissement.
support-serves-others = et { $count } autre(s) établissement(s)
support-targets-title = Délais du contrat
support-targets-intro = Délais comptés en heures ouvrées du calendrier ci-dessous, heure de Paris.
support-targets-edit = Modifier les délais
support-targets-heading = Délais : { $name }
support-targets-form-intro = Pour chaque priorité, le délai de prise en charge et le délai de résolution, en minutes ouvrées (240 = 4 heures ouvrées). Laissez les deux vides pour ne fixer aucun délai.
support-field-priority = Priorité
support-field-response = Prise en charge
support-field-resolution = Résolution
support-field-response-minutes = Prise en charge (minutes ouvrées)
support-field-resolution-minutes = Résolution (minutes ouvrées)
support-no-target = Aucun délai
support-priority-p1 = P1 — critique
support-priority-p2 = P2 — haute
support-priority-p3 = P3 — moyenne
support-priority-p4 = P4 — basse
support-duration-minutes = { $m } min
support-duration-hours = { $h } h
support-duration-hours-minutes = { $h } h { $m }
support-calendar-title = Heures ouvrées
support-calendar-edit = Modifier le calendrier
support-calendar-heading = Calendrier : { $name }
support-calendar-form-intro = Pour chaque jour, les plages ouvrées comme 08:00-12:00, 13:30-17:30 ; laissez vide un jour non ouvré.
support-field-day = Jour
support-field-hours = Plages ouvrées
support-closed = Fermé
support-closed-days = Jours fermés
support-closed-hint = Une date par ligne, au format AAAA-MM-JJ (jours fériés, vacances).
support-no-closed-days = Aucun jour fermé.
support-day-mon = Lundi
support-day-tue = Mardi
support-day-wed = Mercredi
support-day-thu = Jeudi
support-day-fri = Vendredi
support-day-sat = Samedi
support-day-sun = Dimanche
support-in-house-title = Support interne : { $name }
support-in-house-of = le support interne de
support-in-house-intro = Les délais des tickets traités dans l'établissement, sans organisme de support assigné.
support-in-house-defaults = L'établissement n'a pas fixé ses délais : les délais par défaut s'appliquent.
support-in-house-orgs = Organismes de support de l'établissement
support-error-minutes = Saisissez un nombre entier de minutes supérieur à zéro (au plus 525600).
support-error-resolution-before-response = Le délai de résolution ne peut pas être plus court que le délai de prise en charge.
support-error-target-pair = Saisissez les deux délais de cette priorité, ou aucun.
support-error-phone = Saisissez un numéro de téléphone (chiffres, espaces, +, points ou tirets).
support-error-website = Saisissez une adresse web complète commençant par https://
support-error-collectivite = Choisissez la collectivité de cet organisme.
support-error-serves = Choisissez au moins un de vos établissements.
notif-title = Notifications
notif-unread-count = { $count ->
    [0] Aucune notification non lue
    [one] { $count } notification non lue
   *[other] { $count } notifications non lues
}
notif-none = Vous n'avez aucune notification.
notif-mark-all = Tout marquer comme lu
notif-col-when = Date
notif-col-what = Quoi
notif-col-subject = Objet
notif-col-state = État
notif-open = Ouvrir et marquer comme lu
notif-read = Lue
notif-kind-response-overdue = Délai de prise en charge dépassé
notif-kind-resolution-overdue = Délai de résolution dépassé
notif-kind-other = Notification
flash-notif-read = Notification marquée comme lue.
flash-notif-all-read = Toutes les notifications sont marquées comme lues.
nav-notifications = Notifications
nav-unread = { $count ->
    [one] { $count } notification non lue
   *[other] { $count } notifications non lues
}
nav-unread-many = plus de { $count } notifications non lues

# Journal: event names.
action-support-calendar-updated = Horaires d'un contrat de support modifiés
action-support-targets-updated = Délais d'un contrat de support modifiés
action-support-organisation-created = Organisation de support créée
action-support-organisation-updated = Organisation de support modifiée
action-ticket-reminded = Relance d'un ticket en retard
