## Assistance
nav-assistance = Assistance

## Tickets : listes
ticket-list-title = Tickets d'assistance
ticket-list-caption = Tickets correspondant aux filtres
ticket-list-empty = Aucun ticket ne correspond à ces critères.
ticket-list-count = { $count } ticket(s) sur cette page.
ticket-page = Page { $page }
ticket-new = Signaler une panne ou faire une demande
ticket-filters = Filtrer les tickets
ticket-search-label = Rechercher (numéro, titre, description)
ticket-filter-open = Ouverts
ticket-filter-all-statuses = Tous les statuts
ticket-filter-all-schools = Tous les établissements
ticket-filter-all-priorities = Toutes les priorités
ticket-filter-all-categories = Toutes les catégories
ticket-filter-all-organisations = Tous les prestataires
ticket-filter-mine = Seulement mes tickets (demandés ou affectés)
ticket-filter-overdue = Seulement les tickets en retard
ticket-filter-unusable = Seulement les équipements inutilisables
ticket-col-number = Numéro
ticket-col-created = Créé le
ticket-col-priority = Priorité
ticket-col-due = Échéance
ticket-col-updated = Mis à jour le
ticket-col-title = Titre
ticket-col-school = Établissement
ticket-col-status = Statut
ticket-col-category = Catégorie
ticket-col-handler = Pris en charge par
ticket-col-when = Date
ticket-col-who = Auteur
ticket-col-what = Évènement
ticket-unusable-tag = Équipement inutilisable
ticket-overdue = En retard

## Tickets : création
ticket-new-title = Nouveau ticket
ticket-field-asset = Équipement
ticket-field-kind = Type
ticket-field-title = Titre
ticket-title-hint = En quelques mots : « Vidéoprojecteur de la salle 12 sans image ».
ticket-field-description = Description
ticket-field-category = Catégorie
ticket-field-room = Salle
ticket-field-urgency = Urgence
ticket-field-impact = Impact
ticket-field-unusable = L'équipement est inutilisable
ticket-no-room = Aucune salle
ticket-create = Envoyer le ticket

## Tickets : fiche
ticket-heading = Ticket n° { $number } : { $title }
ticket-back-to-list = Retour aux tickets
ticket-details = Détails
ticket-field-school = Établissement
ticket-field-status = Statut
ticket-field-priority = Priorité
ticket-field-organisation = Prestataire
ticket-field-requester = Demandeur
ticket-field-source = Origine
ticket-field-assignee = Affecté à
ticket-field-external-ref = Référence chez le prestataire
ticket-field-created = Créé le
ticket-field-updated = Mis à jour le
ticket-response-due = Prise en charge attendue avant
ticket-resolution-due = Résolution attendue avant
ticket-no-due = Pas d'échéance
ticket-nobody = Personne
ticket-change-status = Changer le statut
ticket-handle = Traiter le ticket
ticket-assign = Affecter
ticket-escalate = Transmettre au prestataire
ticket-external-ref-hint = Le numéro du ticket chez le prestataire, s'il vous l'a donné.
ticket-no-organisation = Aucun prestataire ne sert cet établissement.
ticket-set-priority = Modifier la priorité
ticket-comments = Commentaires
ticket-no-comments = Aucun commentaire pour l'instant.
ticket-internal-tag = Interne
ticket-field-comment = Commentaire
ticket-field-file = Pièce jointe (facultative)
ticket-file-hint = Image (PNG, JPEG, GIF, WebP), PDF ou texte ; taille maximale :
ticket-field-internal = Commentaire interne (invisible pour le demandeur)
ticket-add-comment = Ajouter le commentaire
ticket-history = Historique
ticket-history-caption = Historique du ticket
ticket-size-mib = { $n } Mio
ticket-size-kib = { $n } Kio

## Tickets : valeurs
ticket-status-new = Nouveau
ticket-status-taken = Pris en charge
ticket-status-escalated = Transmis au prestataire
ticket-status-waiting = En attente
ticket-status-resolved = Résolu
ticket-status-closed = Clos
ticket-to-new = Remettre à nouveau
ticket-to-taken = Prendre en charge
ticket-to-escalated = Retransmettre au prestataire
ticket-to-waiting = Mettre en attente
ticket-to-resolved = Marquer comme résolu
ticket-to-closed = Clore
ticket-priority-p1 = P1 — critique
ticket-priority-p2 = P2 — haute
ticket-priority-p3 = P3 — moyenne
ticket-priority-p4 = P4 — basse
ticket-level-low = Faible
ticket-level-medium = Moyenne
ticket-level-high = Élevée
ticket-kind-incident = Panne ou incident
ticket-kind-request = Demande
ticket-source-web = Formulaire
ticket-source-qr = Étiquette QR
ticket-source-qr-receipt = Étiquette QR (code de reçu { $receipt })
ticket-source-api = API
ticket-unusable-true = inutilisable
ticket-unusable-false = utilisable
ticket-category-desktop = Ordinateur fixe
ticket-category-laptop = Ordinateur portable
ticket-category-tablet = Tablette
ticket-category-interactive-display = Écran ou tableau interactif
ticket-category-projector = Vidéoprojecteur
ticket-category-visualiser = Visualiseur
ticket-category-printer = Imprimante
ticket-category-wifi-access-point = Borne Wi-Fi
ticket-category-switch = Commutateur réseau
ticket-category-server = Serveur
ticket-category-mobile-cart = Classe mobile
ticket-category-network = Réseau, Internet
ticket-category-ent = ENT
ticket-category-account = Compte, mot de passe
ticket-category-software = Logiciel
ticket-category-other = Autre

## Tickets : historique
ticket-event-created = Ticket créé ({ $to })
ticket-event-status = Statut : { $from } → { $to }
ticket-event-reopened = Ticket rouvert : { $from } → { $to }
ticket-event-priority = Priorité : { $from } → { $to }
ticket-event-unusable = Équipement : { $from } → { $to }
ticket-event-assigned = Affectation : { $from } → { $to }
ticket-event-escalated = Transmis à { $to } { $detail }
ticket-event-comment = Commentaire ajouté
ticket-event-attachment = Pièce jointe ajoutée : { $to }
ticket-event-external-ref = Référence du prestataire : { $to }

## Tickets : notifications (le type de la notification est ticket-<…>)
ticket-notif-created = Nouveau ticket
ticket-notif-assigned = Ticket qui vous est affecté
ticket-notif-escalated = Ticket transmis à votre organisation
ticket-notif-status = Changement de statut d'un ticket
ticket-notif-comment = Nouveau commentaire sur un ticket

## Tickets : messages
flash-ticket-created = Le ticket a été créé.
flash-ticket-updated = Le ticket a été mis à jour.
flash-ticket-escalated = Le ticket a été transmis au prestataire.
flash-ticket-commented = Le commentaire a été ajouté.
ticket-error-title = Le titre doit compter au plus 200 caractères, sans caractère de contrôle.
ticket-error-description = La description est trop longue (10 000 caractères au plus).
ticket-error-asset = Cet équipement n'existe pas dans cet établissement.
ticket-error-room = Cette salle n'existe pas dans cet établissement.
ticket-error-unusable-needs-asset = Un équipement inutilisable doit être désigné : ouvrez le ticket depuis la fiche de l'équipement.
ticket-error-changed = Le ticket a été modifié entre-temps : rechargez la page et recommencez.
ticket-error-transition = Ce changement de statut n'est pas permis depuis le statut actuel.
ticket-error-assignee = Choisissez une personne de l'établissement.
ticket-error-external-ref = La référence doit compter au plus 100 caractères.
ticket-error-organisation = Choisissez un prestataire qui sert cet établissement.
ticket-error-file-too-big = Le fichier est trop volumineux.
ticket-error-file-type = Ce type de fichier n'est pas accepté : joignez une image (PNG, JPEG, GIF, WebP), un PDF ou un texte.
ticket-error-comment = Le commentaire est trop long (10 000 caractères au plus).

## Formulaire de panne de l'étiquette QR
ticket-qr-title = Signaler une panne
ticket-qr-intro = Cet équipement ne fonctionne pas ? Décrivez le problème : le référent numérique de l'établissement sera prévenu.
ticket-qr-field-name = Votre nom
ticket-qr-field-what = Qu'est-ce qui ne va pas ?
ticket-qr-field-unusable = L'équipement est inutilisable
ticket-qr-field-contact = Comment vous joindre (facultatif)
ticket-qr-contact-hint = Adresse électronique ou téléphone, si vous souhaitez être recontacté.
ticket-qr-submit = Envoyer le signalement
ticket-qr-thanks-title = Merci, votre signalement est enregistré
ticket-qr-thanks-text = Votre signalement est enregistré avec le code de reçu { $receipt }. Indiquez ce code si vous en reparlez au référent numérique.
ticket-qr-throttled-title = Trop de signalements
ticket-qr-throttled-text = Trop de signalements ont été envoyés récemment depuis cet appareil ou pour cet équipement. Réessayez plus tard ou prévenez directement le référent numérique.

# Journal: the steps of a ticket.
action-ticket-created = Ticket ouvert
action-ticket-status = Statut d'un ticket changé
action-ticket-reopened = Ticket rouvert
action-ticket-priority = Priorité d'un ticket changée
action-ticket-unusable = Équipement d'un ticket déclaré utilisable ou non
action-ticket-assigned = Ticket affecté
action-ticket-escalated = Ticket transmis à un support
action-ticket-comment = Commentaire sur un ticket
action-ticket-attachment = Pièce jointe ajoutée à un ticket
action-ticket-external-ref = Référence du prestataire notée sur un ticket
