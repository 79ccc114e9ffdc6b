# Réservations : les abonnements iCalendar (agendas).
resa-feed-title = Abonnement agenda (iCalendar)
resa-feed-intro = Une adresse secrète permet à un logiciel d'agenda (Thunderbird, Outlook, smartphone) d'afficher ces réservations, de 30 jours en arrière à un an en avant. Toute personne qui la connaît peut lire l'agenda : révoquez-la si elle a circulé.
resa-feed-none = Aucun abonnement actif.
resa-feed-live = Abonnement actif, créé le
resa-feed-create = Créer l'adresse d'abonnement
resa-feed-regenerate = Générer une nouvelle adresse (l'ancienne cesse de fonctionner)
resa-feed-revoke = Révoquer l'adresse
resa-feed-created-title = Adresse d'abonnement créée
resa-feed-created = Voici l'adresse de l'abonnement. Copiez-la maintenant : elle ne sera plus affichée.
resa-feed-url = Adresse de l'abonnement (iCalendar)
resa-feed-secret-hint = Collez-la dans votre logiciel d'agenda (« s'abonner à un calendrier par URL »). Ne la partagez pas.
resa-feed-back = Retour
resa-feed-calname-resource = Réservations — { $name }
resa-feed-calname-person = Mes réservations — { $name }
flash-resa-feed-revoked = L'adresse d'abonnement a été révoquée.
# Réservations : taux d'occupation.
resa-occupancy-link = Taux d'occupation
resa-occupancy-title = Taux d'occupation des réservations — { $name }
resa-occupancy-period = Du { $start } au { $end } : { $days } jours de classe.
resa-occupancy-how = Taux = créneaux réservés (réservations approuvées) ÷ créneaux réservables (jours de classe du lundi au vendredi, hors vacances et jours de fermeture, × créneaux de l'emploi du temps, pour les ressources actives).
resa-occupancy-per-resource = Occupation par ressource
resa-occupancy-per-slot = Occupation par créneau
resa-occupancy-col-slot = Créneau
resa-occupancy-col-rate = Taux d'occupation
resa-occupancy-value = { $rate } ({ $booked } sur { $bookable })
