## Parc
nav-parc = Parc

## Titres et navigation
parc-title = Parc informatique
parc-tab-assets = Équipements
parc-tab-places = Salles et bâtiments
parc-tab-import = Importer
parc-tab-labels = Étiquettes QR
parc-export-csv = Exporter (CSV)
parc-export-ods = Exporter (ODS)
parc-new = Nouvel équipement
parc-new-title = Nouvel équipement
parc-edit-title = Modifier l'équipement { $number }
parc-asset-title = Équipement { $number }
parc-room-title = Salle { $name }
parc-room-edit-title = Modifier la salle { $name }
parc-building-edit-title = Modifier le bâtiment { $name }
parc-places-title = Salles et bâtiments

## Liste
parc-filters = Filtres des équipements
parc-search = Rechercher (numéro, marque, modèle, série, détenteur)
parc-filter-all-categories = Toutes les catégories
parc-filter-all-statuses = Tous les états sauf réformé
parc-filter-every-status = Tous les états, réformés compris
parc-filter-all-owners = Tous les propriétaires
parc-filter-all-rooms = Toutes les salles
parc-filter-unplaced = Sans salle ni détenteur
parc-filter-all-buildings = Tous les bâtiments
parc-filter-warranty = Garantie
parc-filter-all-warranties = Toutes
parc-warranty-expired = Expirée
parc-warranty-soon = Se termine dans les 90 jours
parc-warranty-covered = En cours
parc-warranty-unknown = Inconnue
parc-filter-apply = Filtrer
parc-count = Équipements correspondants : { $count }
parc-list-caption = Équipements de l'établissement
parc-col-select = Sélection
parc-select-asset = Sélectionner { $number }
parc-bulk-title = Modifier les équipements cochés
parc-bulk-action = Action
parc-bulk-move = Déplacer dans la salle
parc-bulk-status = Changer l'état
parc-bulk-holder = Confier à (nom du détenteur ; vide pour personne)
parc-bulk-room-none = Aucune salle
parc-bulk-apply = Appliquer aux équipements cochés
parc-labels-selection = Imprimer les étiquettes des équipements cochés
parc-labels-too-many = Cochez au plus { $max } équipements pour une planche d'étiquettes.
parc-no-room = —
parc-unplaced = Non placé

## Champs
parc-field-inventory-number = Numéro d'inventaire
parc-field-category = Catégorie
parc-field-manufacturer = Marque
parc-field-model = Modèle
parc-field-serial = Numéro de série
parc-field-owner = Propriétaire
parc-field-owner-label = Nom du propriétaire
parc-field-funding = Financement
parc-field-purchase-date = Date d'achat
parc-field-warranty-end = Fin de garantie
parc-field-room = Salle
parc-field-holder-name = Détenteur
parc-field-status = État
parc-field-parent = Équipement parent
parc-field-notes = Notes
parc-field-note = Commentaire (facultatif)
parc-field-building = Bâtiment
parc-field-name = Nom
parc-field-kind = Type
parc-field-capacity = Capacité
parc-field-floor = Étage
parc-field-assets = Équipements
parc-field-rooms = Salles
parc-field-updated = Modifié le
parc-field-qr = Adresse du QR code
parc-hint-date = Au format jj/mm/aaaa.
parc-hint-owner-label = Par exemple : Région Normandie.
parc-hint-parent = Numéro d'inventaire de l'équipement qui le contient (un chariot, par exemple).
parc-hint-inventory = Unique dans l'établissement ; 40 caractères au plus.
parc-none = Aucun
parc-none-f = Aucune

## Catégories
parc-category-desktop = Ordinateur fixe
parc-category-laptop = Ordinateur portable
parc-category-tablet = Tablette
parc-category-interactive_display = Écran ou tableau interactif
parc-category-projector = Vidéoprojecteur
parc-category-visualiser = Visualiseur
parc-category-printer = Imprimante
parc-category-wifi_access_point = Borne Wi-Fi
parc-category-switch = Commutateur réseau
parc-category-server = Serveur
parc-category-mobile_cart = Chariot mobile
parc-category-other = Autre

## États
parc-status-in_service = En service
parc-status-broken = En panne
parc-status-in_repair = En réparation
parc-status-in_stock = En stock
parc-status-lent = Prêté
parc-status-retired = Réformé

## Propriétaires
parc-owner-collectivite = La collectivité
parc-owner-etablissement = L'établissement
parc-owner-etat = L'État
parc-owner-other = Autre

## Types de salle
parc-room-kind-classroom = Salle de classe
parc-room-kind-computer_room = Salle informatique
parc-room-kind-cdi = CDI
parc-room-kind-lab = Laboratoire
parc-room-kind-workshop = Atelier
parc-room-kind-office = Bureau
parc-room-kind-meeting = Salle de réunion
parc-room-kind-gym = Gymnase
parc-room-kind-storage = Réserve
parc-room-kind-other = Autre

## Fiche
parc-details = Caractéristiques
parc-placement = Emplacement
parc-children = Équipements rattachés
parc-children-caption = Équipements rattachés à celui-ci
parc-history = Historique
parc-history-caption = Historique des modifications, de la plus récente à la plus ancienne
parc-history-when = Date
parc-history-who = Par
parc-history-what = Opération
parc-history-changes = Changements
parc-history-empty = Aucune modification enregistrée.
parc-change = { $field } : « { $from } » → « { $to } »
parc-change-set = { $field } : « { $to } »
parc-event-created = Création
parc-event-updated = Modification
parc-event-moved = Déplacement
parc-event-status = Changement d'état
parc-event-imported = Import
parc-event-bulk = Modification groupée
parc-report-fault = Signaler une panne
parc-edit = Modifier
parc-status-change = Changer l'état
parc-status-apply = Enregistrer l'état
parc-retire = Réformer
parc-qr-open = Ouvrir la page du QR code

## Salles et bâtiments
parc-rooms = Salles
parc-rooms-caption = Salles de l'établissement
parc-rooms-empty = Aucune salle pour l'instant.
parc-buildings = Bâtiments
parc-buildings-caption = Bâtiments de l'établissement
parc-buildings-empty = Aucun bâtiment pour l'instant.
parc-room-new = Ajouter une salle
parc-room-create = Ajouter la salle
parc-building-new = Ajouter un bâtiment
parc-building-create = Ajouter le bâtiment
parc-delete = Supprimer
parc-delete-room = Supprimer la salle { $name }
parc-delete-building = Supprimer le bâtiment { $name }
parc-room-assets = Équipements de la salle
parc-edit-room = Modifier la salle
parc-edit-building = Modifier { $name }
parc-actions = Actions

## Messages
flash-parc-cree = L'équipement a été créé.
flash-parc-enregistre = L'équipement a été enregistré.
flash-parc-etat = L'état de l'équipement a été changé.
flash-parc-salle = La salle a été enregistrée.
flash-parc-salle-supprimee = La salle a été supprimée.
flash-parc-batiment = Le bâtiment a été enregistré.
flash-parc-batiment-supprime = Le bâtiment a été supprimé.
flash-parc-groupe = Les équipements cochés ont été modifiés.

## Erreurs
parc-error-text = Ce texte est trop long ou contient des caractères non autorisés.
parc-error-choice = Choisissez une valeur de la liste.
parc-error-date = Date invalide : écrivez-la au format jj/mm/aaaa.
parc-error-warranty-before-purchase = La fin de garantie ne peut précéder la date d'achat.
parc-error-inventory-taken = Ce numéro d'inventaire est déjà utilisé dans l'établissement.
parc-error-room-unknown = Cette salle n'existe pas dans l'établissement.
parc-error-building-unknown = Ce bâtiment n'existe pas dans l'établissement.
parc-error-parent-unknown = Aucun équipement de l'établissement ne porte ce numéro.
parc-error-parent-self = Un équipement ne peut être son propre parent.
parc-error-parent-cycle = Cet équipement est déjà rattaché à celui-ci : il ne peut en être le parent.
parc-error-capacity = Indiquez un nombre entier de places, entre 0 et 10 000.
parc-error-name-taken = Ce nom est déjà utilisé dans l'établissement.
parc-error-room-not-empty = Cette salle contient encore des équipements : déplacez-les avant de la supprimer.
parc-error-building-not-empty = Ce bâtiment contient encore des salles : supprimez-les ou changez-les de bâtiment d'abord.
parc-error-bulk-none = Cochez au moins un équipement.
parc-error-bulk-too-many = Vous ne pouvez modifier plus de 500 équipements à la fois.

# Journal: event names.
action-parc-asset-bulk = Équipements modifiés par lot
action-parc-asset-created = Équipement ajouté
action-parc-asset-updated = Équipement modifié
action-parc-building-created = Bâtiment ajouté
action-parc-building-deleted = Bâtiment supprimé
action-parc-building-updated = Bâtiment modifié
action-parc-import = Liste d'équipements importée
action-parc-room-created = Salle ajoutée
action-parc-room-deleted = Salle supprimée
action-parc-room-updated = Salle modifiée
parc-filter-parent = Composants d'un équipement
