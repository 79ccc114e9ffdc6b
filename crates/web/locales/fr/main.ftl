## Shell
brand-tagline = l'outil du référent numérique
skip-content = Aller au contenu
skip-nav = Aller au menu
nav-label = Menu principal
nav-menu = Menu
nav-pilotage = Pilotage
nav-accompagnement = Accompagnement
nav-equipements = Équipements
nav-services = Services en ligne
nav-home = Accueil
nav-etablissements = Établissements
nav-staff = Comptes et rôles
nav-audit = Journal
nav-admin = Administration
nav-account = Mon compte
nav-display-short = Affichage
nav-display = Paramètres d'affichage
school-switcher-label = Établissement
school-switcher-submit = Changer
login = Se connecter
logout = Se déconnecter
footer-about = outil libre du référent numérique d'établissement
footer-accessibility = Accessibilité
footer-api = API (OpenAPI)
table-region = Tableau (défilement horizontal possible)
pagination = Pagination
filter-chip = { $name } : { $value }
filter-chip-search = Recherche : « { $value } »
filters-active = Filtres actifs :
filter-remove = retirer ce filtre
filters-clear = Retirer tous les filtres
filters-more = Plus de filtres
filters-fold = Filtres
filters-fold-active = Filtres ({ $count ->
    [one] { $count } actif
   *[other] { $count } actifs
})
rows-per-page = Lignes par page
page-prev = Page précédente
page-next = Page suivante
page-of = Page { $page } sur { $pages }

## Common words
save = Enregistrer
create = Créer
edit = Modifier
sort-by = trier par cette colonne
search = Rechercher
choose = — Choisir —
none = Aucune
never = jamais
status = État
created-at = Créé le
copy = Copier
actions = Actions
manage = Gérer
see-list = Voir la liste
see-log = Voir le journal
back-home = Revenir à l'accueil
form-error-summary = Le formulaire contient des erreurs
error-summary-title = Le formulaire contient des erreurs

## Fields
field-email = Adresse électronique
field-password = Mot de passe
field-current-password = Mot de passe actuel
field-new-password = Nouveau mot de passe
field-initial-password = Mot de passe initial (facultatif)
field-display-name = Nom affiché
field-name = Nom
field-code = Code
field-uai = UAI
field-kind = Type
field-city = Commune
field-academie = Académie
field-collectivite = Collectivité de rattachement
field-pupil-count = Effectif d'élèves
field-role = Rôle
field-roles = Rôles
field-scope = Périmètre
field-token-name = Nom du jeton
uai-hint = 7 chiffres et une lettre de contrôle, par exemple 0140013N.
academie-code-hint = Lettres minuscules, chiffres et tirets, par exemple normandie.
password-hint = Au moins 12 caractères. Une phrase facile à retenir convient très bien ; évitez les mots de passe courants.
staff-name-hint = Utilisé seulement si la personne n'a pas encore de compte.
staff-password-hint = Laissez vide si la personne se connectera par l'ENT ; sinon, au moins 12 caractères.
token-name-hint = Par exemple : script d'inventaire.

## Errors
error-required = Ce champ est obligatoire.
error-too-long = Ce texte est trop long.
error-choice = Choisissez une valeur dans la liste.
error-email-invalid = Saisissez une adresse électronique valide, par exemple prenom.nom@ac-normandie.fr.
error-email-taken = Un compte existe déjà avec cette adresse.
error-password-short = Le mot de passe doit compter au moins 12 caractères.
error-password-long = Le mot de passe ne doit pas dépasser 256 caractères.
error-password-common = Ce mot de passe est trop courant ou trop facile à deviner ; choisissez-en un autre.
error-password-wrong = Le mot de passe actuel est incorrect.
error-password-throttled = Trop d'essais avec un mot de passe actuel incorrect. Réessayez dans quelques minutes.
error-uai-length = L'UAI compte 8 caractères : 7 chiffres et une lettre.
error-uai-format = L'UAI doit comporter 7 chiffres suivis d'une lettre.
error-uai-check = La lettre de contrôle de l'UAI ne correspond pas à ses chiffres : vérifiez le code.
error-uai-taken = Un établissement existe déjà avec cet UAI.
error-pupil-count = Saisissez un nombre entier entre 0 et 10 000.
error-academie-code = Le code ne peut contenir que des lettres minuscules, des chiffres et des tirets (32 au plus).
error-academie-code-taken = Une académie existe déjà avec ce code.
error-collectivite-taken = Une collectivité de ce type porte déjà ce nom.
error-role-not-yours = Vous ne pouvez pas attribuer ce rôle.
error-role-scope-mismatch = Ce rôle ne s'attribue pas sur ce périmètre.
error-cannot-revoke-own-admin = Vous ne pouvez pas retirer votre propre rôle d'administrateur.
error-cannot-disable-self = Vous ne pouvez pas désactiver votre propre compte.
error-reference = Référence de l'erreur :
error-400-title = Requête invalide
error-400-text = La requête n'a pas pu être traitée. Revenez en arrière et vérifiez les valeurs saisies.
error-403-title = Accès refusé
error-403-text = Votre rôle ne permet pas d'accéder à cette page. Adressez-vous au référent numérique ou à la direction si vous en avez besoin.
error-404-title = Page introuvable
error-404-text = Cette page n'existe pas, ou vous n'y avez pas accès.
error-500-title = Erreur interne
error-500-text = Une erreur inattendue s'est produite. Réessayez dans un instant ; si elle persiste, communiquez la référence ci-dessous à l'administrateur.
error-413-title = Envoi trop volumineux
error-413-text = Les données envoyées dépassent la taille acceptée par RefNum. Rien n'a été enregistré. Envoyez un fichier plus petit, ou demandez à l'administrateur la taille permise.
error-503-title = Service momentanément indisponible
error-503-text = RefNum ne parvient pas à joindre sa base de données. Rien n'a été enregistré. Réessayez dans quelques instants.

## Flash messages
flash-cree = L'élément a été créé.
flash-enregistre = Les modifications ont été enregistrées.
flash-personnel-ajoute = La personne a été ajoutée à l'établissement.
flash-role-retire = Le rôle a été retiré.
flash-role-ajoute = Le rôle a été attribué.
flash-compte-desactive = Le compte a été désactivé ; ses sessions sont fermées.
flash-compte-active = Le compte a été réactivé.
flash-jeton-revoque = Le jeton a été révoqué.
flash-mot-de-passe = Votre mot de passe a été changé ; vos autres sessions ont été fermées.
flash-affichage = Vos paramètres d'affichage ont été enregistrés.
flash-deconnexion = Vous êtes déconnecté.

## Sign-in
login-title = Connexion
login-submit = Se connecter
login-help = Mot de passe oublié ? Demandez au référent numérique ou à l'administrateur de votre établissement.
login-invalid = Adresse électronique ou mot de passe incorrect.
login-throttled = Trop de tentatives de connexion. Réessayez dans { $minutes } minute(s).

## Home
search-go = Chercher
search-title = Recherche
search-label = Rechercher un ticket, un équipement, une salle, une personne
search-placeholder = N° de ticket, d'inventaire, salle, nom…
search-empty = Tapez un numéro de ticket, un numéro d'inventaire ou de série, une salle ou un nom.
search-count = { $count ->
    [0] Aucun résultat dans votre établissement.
    [one] 1 résultat.
   *[other] { $count } résultats.
}
search-help = La recherche porte sur l'établissement courant : un ticket par son numéro (#12), un équipement par son numéro d'inventaire ou de série, une salle par son nom, une personne de l'annuaire par son nom, parmi ce que vous pouvez voir.
search-kind-ticket = Ticket
search-kind-asset = Équipement
search-kind-room = Salle
search-kind-staff = Personnel
search-kind-pupil = Élève
home-title = Accueil
home-greeting = Bonjour { $name }.
home-your-roles = Vos rôles :
home-figures = En chiffres
home-school-card = Fiche de l'établissement
home-no-scope = Votre compte n'a encore aucun rôle. Demandez au référent numérique ou à la direction de votre établissement de vous en attribuer un.
home-todo-title = À faire aujourd'hui
home-todo-none = Rien ne vous attend aujourd'hui.
home-todo-tickets-p1 = { $count ->
    [one] ticket urgent (P1) ouvert
   *[other] tickets urgents (P1) ouverts
}
home-todo-tickets-p2 = { $count ->
    [one] ticket de priorité haute (P2) ouvert
   *[other] tickets de priorité haute (P2) ouverts
}
home-todo-tickets-overdue = { $count ->
    [one] ticket en retard sur son échéance
   *[other] tickets en retard sur leur échéance
}
home-todo-bookings-to-approve = { $count ->
    [one] réservation à approuver
   *[other] réservations à approuver
}
home-todo-loans-overdue = { $count ->
    [one] prêt en retard
   *[other] prêts en retard
}
home-todo-warranties = { $count ->
    [one] équipement dont la garantie se termine dans les 90 jours
   *[other] équipements dont la garantie se termine dans les 90 jours
}
home-todo-directory-stale = { $count ->
    [one] source de l'annuaire à mettre à jour (plus de 45 jours)
   *[other] sources de l'annuaire à mettre à jour (plus de 45 jours)
}
home-todo-handled-open = { $count ->
    [0] ticket ouvert pour vous
    [one] ticket ouvert pour vous
   *[other] tickets ouverts pour vous
}
home-todo-handled-overdue = { $count ->
    [one] de vos tickets est en retard
   *[other] de vos tickets sont en retard
}
home-todo-schools-without-referent = { $count ->
    [one] établissement n'a pas de référent numérique
   *[other] établissements n'ont pas de référent numérique
}
home-todo-my-tickets = { $count ->
    [0] ticket ouvert à votre nom
    [one] ticket ouvert à votre nom
   *[other] tickets ouverts à votre nom
}
home-todo-my-bookings = { $count ->
    [0] réservation cette semaine
    [one] réservation cette semaine
   *[other] réservations cette semaine
}
home-todo-my-loans = { $count ->
    [one] matériel emprunté
   *[other] matériels empruntés
}
home-todo-notifications = { $count ->
    [one] notification non lue
   *[other] notifications non lues
}
stat-etablissements = établissement(s) dans votre périmètre
stat-pupils = élève(s) dans ces établissements
stat-staff = personne(s) dans l'établissement
stat-teachers = enseignant(s)
stat-audit-events = événement(s) au journal de l'établissement
stat-accounts = compte(s) sur l'instance
stat-academies = académie(s)
stat-collectivites = collectivité(s)

## Roles, kinds, scopes
role-enseignant = Enseignant
role-personnel = Personnel
role-referent = Référent numérique
role-direction = Direction
role-gestionnaire = Gestionnaire
role-prestataire = Prestataire
role-collectivite = Collectivité
role-dane = DANE
role-dpd = DPD
role-admin = Administrateur
kind-college = Collège
kind-lycee = Lycée
kind-lp = Lycée professionnel
kind-lpo = Lycée polyvalent
kind-erea = EREA
kind-ecole = École
coll-region = Région
coll-departement = Département
coll-commune = Commune
scope-instance = Toute l'instance
scope-academie = Académie
scope-collectivite = Collectivité
scope-organisation = Organisation de support
scope-etablissement = Établissement

## Display settings
display-title = Paramètres d'affichage
display-intro = Adaptez l'affichage à vos besoins. Vos choix sont gardés sur cet appareil et, une fois connecté, dans votre compte.
display-theme = Thème
display-theme-auto = Celui du système
display-theme-light = Clair
display-theme-dark = Sombre
display-theme-contrast = Contraste élevé
display-font = Police
display-font-default = Police standard
display-font-dyslexia = Police adaptée à la dyslexie (OpenDyslexic)
display-spacing = Interlignage
display-spacing-normal = Normal
display-spacing-large = Grand
display-spacing-xlarge = Très grand
display-size = Taille du texte
display-size-100 = 100 %
display-size-112 = 112 %
display-size-125 = 125 %
display-size-150 = 150 %
display-preview = Aperçu
display-preview-text = Le référent numérique accompagne les enseignants, veille à la disponibilité des équipements et administre les services en ligne de l'établissement.
display-save = Enregistrer mes paramètres
a11y-title = Accessibilité
a11y-p1 = RefNum vise la conformité au RGAA 4.1 (WCAG 2.1 niveau AA). Chaque page est vérifiée automatiquement dans chaque thème, et utilisable au clavier.
a11y-p2 = Les paramètres d'affichage permettent de choisir un thème sombre ou à contraste élevé, une police adaptée à la dyslexie, un interlignage plus grand et une taille de texte plus grande.

## Account
account-title = Mon compte
account-memberships = Rôles et périmètres
account-no-membership = Aucun rôle pour le moment.
account-active = Actif
account-disabled = Désactivé
account-enable = Réactiver le compte
account-disable = Désactiver le compte
password-title = Changer de mot de passe
tokens-title = Jetons d'API
tokens-intro = Un jeton permet à un programme d'utiliser l'API de RefNum avec vos droits. Il n'est affiché qu'une fois : conservez-le en lieu sûr.
tokens-created = Voici votre nouveau jeton. Il ne sera plus jamais affiché :
tokens-create = Créer un jeton
tokens-list = Vos jetons
tokens-none = Vous n'avez aucun jeton.
tokens-prefix = Début du jeton
tokens-last-used = Dernière utilisation
tokens-revoked = Révoqué
tokens-revoke = Révoquer
tokens-revoke-confirm = Révoquer ce jeton ? Les programmes qui l'utilisent ne pourront plus accéder à l'API.

## Schools
etabs-filters = Filtrer les établissements
etabs-search-label = Nom, UAI ou commune
etabs-filter-without-referent = Sans référent numérique
etabs-title = Établissements
etabs-count = { $count } établissement(s)
etab-edit = Modifier l'établissement
etab-edit-title = Modifier « { $name } »
etab-staff-count = Personnes ayant un rôle
staff-title = Comptes et rôles — { $name }
staff-list = Personnes et rôles dans l'établissement
staff-add = Ajouter une personne
staff-add-submit = Ajouter
staff-revoke = Retirer
staff-revoke-confirm = Retirer ce rôle ?

## Audit
audit-title = Journal — { $name }
audit-intro = Le journal garde la trace des connexions, des refus d'accès et de chaque modification. Il ne peut être ni modifié ni effacé, et chaque événement est chaîné au précédent.
audit-retention = Durée de conservation : { $days } jours.
audit-count = { $count } événement(s)
audit-when = Date
audit-who = Auteur
audit-action = Action
audit-target = Objet
audit-details = Détails
audit-hash = Empreinte
audit-export = Exporter le journal (CSV)
audit-outcome = Résultat
audit-filters = Filtrer le journal
audit-family = Type d'événement
audit-family-all = Tous les événements
audit-family-auth = Connexions
audit-family-account = Comptes
audit-family-membership = Rôles
audit-family-etablissement = Établissements
audit-family-annuaire = Annuaire
audit-family-parc = Parc
audit-family-ticket = Assistance
audit-family-booking = Réservations
audit-family-loan = Prêts
audit-family-kb = Base de connaissances
audit-family-support = Contrats de support
audit-family-sso = Connexion unique
audit-family-policy = Refus d'accès
audit-family-audit = Journal
audit-person-all = Tout le monde
audit-from = Du
audit-to = Au
audit-filter = Filtrer
audit-filter-clear = Tout afficher
audit-kind-account = Compte
audit-kind-etablissement = Établissement
audit-kind-ticket = Ticket
audit-kind-parc_asset = Équipement
audit-kind-loan = Prêt
audit-kind-booking = Réservation
audit-kind-kb_article = Fiche
audit-kind-parc_room = Salle
audit-kind-parc_building = Bâtiment
audit-kind-loan_charter = Charte de prêt
audit-kind-booking_resource = Ressource
outcome-ok = Réussi
outcome-refused = Refusé
action-auth-login = Connexion
action-auth-login-failed = Échec de connexion
action-auth-login-throttled = Connexion bloquée (trop de tentatives)
action-auth-logout = Déconnexion
action-auth-password-changed = Mot de passe changé
action-policy-refused = Accès refusé
action-academie-created = Académie créée
action-collectivite-created = Collectivité créée
action-etablissement-created = Établissement créé
action-etablissement-updated = Établissement modifié
action-account-created = Compte créé
action-account-disabled = Compte désactivé
action-account-enabled = Compte réactivé
action-membership-granted = Rôle attribué
action-membership-revoked = Rôle retiré
action-token-created = Jeton d'API créé
action-token-revoked = Jeton d'API révoqué
action-audit-purged = Purge du journal (durée de conservation)

## Administration
admin-title = Administration de l'instance
admin-new-etab = Ajouter un établissement
admin-audit = Journal de l'instance
academies-title = Académies
academies-new = Ajouter une académie
collectivites-title = Collectivités
collectivites-new = Ajouter une collectivité
accounts-title = Comptes
accounts-new = Créer un compte
accounts-count = { $count } compte(s)
grant-title = Attribuer un rôle
grant-submit = Attribuer

## Support organisations
stat-organisations = organisation(s) de support
organisations-title = Organisations de support
organisations-intro = Prestataires, assistance académique, services de la collectivité : les techniciens d'une organisation ne voient que les établissements qu'elle sert.
organisations-serves = Établissements servis
organisations-new = Ajouter une organisation
organisations-edit = Modifier l'organisation
error-organisation-taken = Une organisation porte déjà ce nom.
action-organisation-created = Organisation créée
action-organisation-updated = Organisation modifiée

## Second factor (TOTP) — block of the second-factor pages
mfa-required-title = Validation en deux étapes requise
mfa-required-text = Votre compte a des rôles qui exigent une validation en deux étapes. Terminez-la avant de continuer.
mfa-required-link = Terminer la validation en deux étapes
mfa-qr-alt = Code QR à scanner avec votre application d'authentification ; la clé est aussi donnée en texte ci-dessous.
mfa-enrol-title = Activer la validation en deux étapes
mfa-enrol-intro = Vos rôles (direction, DANE, DPD ou administration) donnent accès à des données sensibles : la connexion demande, en plus du mot de passe, un code à six chiffres donné par une application d'authentification.
mfa-enrol-step-app = Installez une application d'authentification
mfa-enrol-step-app-text = Sur votre téléphone ou votre ordinateur : par exemple FreeOTP, Aegis, Google Authenticator, Microsoft Authenticator ou le gestionnaire de mots de passe de votre établissement.
mfa-enrol-step-scan = Ajoutez RefNum dans l'application
mfa-enrol-qr-caption = Scannez ce code QR avec l'application.
mfa-enrol-manual = Si vous ne pouvez pas scanner le code, saisissez cette clé dans l'application :
mfa-enrol-secret = Clé
mfa-enrol-account = Compte
mfa-enrol-kind = Type
mfa-enrol-kind-value = basé sur l'heure (TOTP), 6 chiffres, toutes les 30 secondes
mfa-enrol-step-confirm = Confirmez avec le code affiché
mfa-enrol-submit = Activer
mfa-logout-hint = Vous pouvez aussi vous déconnecter et revenir plus tard.
mfa-field-code = Code à six chiffres
mfa-field-code-hint = Le code affiché par votre application d'authentification, par exemple 123456.
mfa-code-title = Validation en deux étapes
mfa-code-intro = Saisissez le code affiché par votre application d'authentification.
mfa-code-submit = Valider
mfa-code-wrong = Ce code n'est pas le bon. Vérifiez l'heure de votre appareil et saisissez le code affiché maintenant.
mfa-code-used = Ce code a déjà servi. Attendez le code suivant de votre application.
mfa-throttled = Trop d'essais incorrects. Réessayez dans { $minutes } minute(s).
mfa-recovery-use-title = Utiliser un code de secours
mfa-recovery-use-intro = Sans votre application, saisissez l'un des codes de secours reçus à l'activation. Chaque code ne sert qu'une fois.
mfa-field-recovery-code = Code de secours
mfa-recovery-submit = Valider le code de secours
mfa-lost-hint = Plus d'application ni de code de secours ? Demandez à l'administrateur de l'instance de réinitialiser votre validation en deux étapes.
mfa-recovery-title = Vos codes de secours
mfa-recovery-once = Notez ou imprimez ces codes maintenant et gardez-les en lieu sûr : ils ne seront plus affichés. Chacun remplace une fois le code de l'application.
mfa-recovery-list = Codes de secours
mfa-enrolled = La validation en deux étapes est activée.
mfa-continue = Continuer
mfa-settings-title = Validation en deux étapes
mfa-settings-link = Validation en deux étapes
mfa-settings-required = Exigée par vos rôles
mfa-yes = Oui
mfa-no = Non
mfa-settings-enrolled = Application enregistrée le
mfa-settings-not-enrolled = Aucune application enregistrée
mfa-settings-codes-left = Codes de secours restants
mfa-regenerate-title = Nouveaux codes de secours
mfa-regenerate-intro = Générer de nouveaux codes rend les anciens inutilisables.
mfa-regenerate-confirm = Les anciens codes de secours ne fonctionneront plus. Continuer ?
mfa-regenerate-submit = Générer de nouveaux codes de secours
mfa-admin-title = Validation en deux étapes du compte
mfa-admin-link = Validation en deux étapes
mfa-admin-reset-intro = Réinitialiser supprime l'application enregistrée et les codes de secours de ce compte et ferme ses sessions : à sa prochaine connexion, la personne enregistre une nouvelle application.
mfa-admin-reset-confirm = Réinitialiser la validation en deux étapes de ce compte ?
mfa-admin-reset-submit = Réinitialiser la validation en deux étapes
flash-second-facteur-reinitialise = La validation en deux étapes du compte a été réinitialisée ; ses sessions sont fermées.
action-auth-second-factor-ok = Validation en deux étapes réussie
action-auth-second-factor-failed = Échec de la validation en deux étapes
action-auth-second-factor-throttled = Validation en deux étapes bloquée (trop d'essais)
action-auth-second-factor-enrolled = Validation en deux étapes activée
action-auth-second-factor-reset = Validation en deux étapes réinitialisée
action-auth-recovery-code-used = Code de secours utilisé
action-auth-recovery-codes-regenerated = Codes de secours régénérés

## Single sign-on (CAS, OpenID Connect)
sso-login-heading = Ou bien
sso-login-with = Se connecter avec
sso-back-to-login = Retour à la page de connexion
sso-refused-state-title = Connexion refusée : demande inconnue ou expirée
sso-refused-state-text = Le retour du fournisseur d'identité ne correspond à aucune demande en cours de ce navigateur (elle a peut-être expiré ou déjà servi). Recommencez la connexion depuis la page de connexion.
sso-refused-provider-title = Connexion interrompue par le fournisseur d'identité
sso-refused-provider-text = Le fournisseur d'identité n'a pas authentifié la personne (connexion annulée ou refusée). Recommencez la connexion.
sso-refused-ticket-title = Connexion refusée : ticket non valide
sso-refused-ticket-text = Le serveur d'authentification n'a pas validé le ticket présenté (inconnu, expiré ou émis pour un autre service). Recommencez la connexion.
sso-refused-replayed-title = Connexion refusée : ticket déjà utilisé
sso-refused-replayed-text = Ce ticket de connexion a déjà servi une fois et ne peut pas être réutilisé. Recommencez la connexion depuis la page de connexion.
sso-refused-token-title = Connexion refusée : réponse du fournisseur non valide
sso-refused-token-text = La réponse du fournisseur d'identité n'a pas passé les contrôles de sécurité (signature, émetteur, destinataire, validité ou code déjà utilisé). Recommencez la connexion ; si le problème persiste, prévenez l'administrateur.
sso-refused-unavailable-title = Fournisseur d'identité injoignable
sso-refused-unavailable-text = Le fournisseur d'identité n'a pas répondu correctement. Réessayez dans quelques minutes ou connectez-vous avec votre mot de passe.
sso-refused-unverified-title = Connexion refusée : adresse électronique non vérifiée
sso-refused-unverified-text = Le fournisseur d'identité indique que cette adresse électronique n'est pas vérifiée : elle ne peut pas servir à retrouver votre compte RefNum.
sso-refused-no-account-title = Aucun compte RefNum pour cette identité
sso-refused-no-account-text = Aucun compte RefNum ne correspond à cette identité. Demandez à votre référent numérique de vous créer un compte ou de vérifier l'annuaire de l'établissement.
sso-refused-takeover-title = Connexion refusée : compte déjà lié à un autre fournisseur
sso-refused-takeover-text = Le compte RefNum qui porte cette adresse électronique est déjà lié à une identité d'un autre fournisseur : un second fournisseur ne peut pas s'y rattacher par la seule adresse électronique. Connectez-vous avec le fournisseur habituel, ou demandez à votre référent numérique.
sso-refused-disabled-title = Compte désactivé
sso-refused-disabled-text = Le compte RefNum de cette identité est désactivé. Adressez-vous à votre référent numérique.
sso-identities-title = Identités de connexion unique
sso-identities-intro = Les identités de l'ENT ou de l'académie avec lesquelles vous vous connectez à RefNum. Délier une identité empêche de l'utiliser pour se connecter à ce compte.
sso-identities-none = Aucune identité n'est liée à votre compte.
sso-provider = Fournisseur
sso-linked-at = Liée le
sso-last-login = Dernière connexion
sso-actions = Actions
sso-unlink = Délier
sso-unlink-confirm = Délier cette identité ? Elle ne permettra plus de se connecter à ce compte.
flash-identite-deliee = L'identité a été déliée de votre compte.
sso-admin-title = Connexion unique (CAS, OpenID Connect)
sso-admin-intro = Les fournisseurs d'identité configurés dans le fichier de configuration de l'instance (lecture seule) et le nombre d'identités liées à chacun.
sso-admin-none = Aucun fournisseur n'est configuré.
sso-id = Identifiant
sso-kind = Protocole
sso-endpoint = Adresse
sso-link = Rattachement
sso-mfa = Valeurs multifacteur
sso-identities-count = Identités liées
sso-kind-cas = CAS
sso-kind-oidc = OpenID Connect
sso-link-email = par adresse électronique
sso-link-annuaire = par l'annuaire
sso-mfa-none = aucune
action-auth-sso-refused = Connexion unique refusée
action-auth-sso-single-logout = Déconnexion unique (CAS)
action-sso-identity-linked = Identité de connexion unique liée
action-sso-identity-unlinked = Identité de connexion unique déliée

## Annuaire — imports
import-title = Importer des fichiers d'annuaire
import-preview-title = Aperçu de l'import
import-for-school = Établissement :
import-intro = Déposez les fichiers d'une même source. RefNum les lit, vous montre ce qui changera, et n'applique rien avant votre confirmation.
import-help-sts = STS-web : le fichier sts_emp_UAI_année.xml (personnels, classes, groupes, services, missions).
import-help-siecle = SIECLE / BEE : ElevesSansAdresses.xml, avec Nomenclature.xml et Structures.xml si vous les avez.
import-help-aaf = AAF (flux de l'ENT) : tous les fichiers ficAlimMENESR d'une livraison, dont EtabEducNat.
import-help-onde = ONDE (premier degré) : les extractions CSV des élèves, enseignants et responsables.
import-uai-hint = L'établissement concerné par les fichiers (7 chiffres et une lettre). S'il n'existe pas encore, il pourra être créé à partir du fichier, après votre confirmation.
import-files = Fichiers
import-files-hint = Un ou plusieurs fichiers XML ou CSV
import-max-size = taille totale au plus
import-max-per-file = par fichier
import-error-file-too-large = « { $name } » dépasse { $mb } Mo, la taille permise pour un fichier d'annuaire : l'envoi a été arrêté, rien n'a été importé et rien n'a été conservé. Vérifiez que c'est bien un export de l'annuaire de cet établissement, ou demandez à l'administrateur d'augmenter la limite.
import-error-upload-too-large = Les fichiers dépassent { $mb } Mo, la taille permise pour un import : l'envoi a été arrêté, rien n'a été importé et rien n'a été conservé. Envoyez moins de fichiers à la fois, ou demandez à l'administrateur d'augmenter la limite.
import-error-interrupted = L'envoi des fichiers a été interrompu : rien n'a été importé. Recommencez.
import-progress = Progression de l'envoi
import-progress-sending = Envoi des fichiers…
import-progress-processing = Fichiers reçus : lecture et comparaison en cours…
import-submit = Envoyer et prévisualiser
import-applied = Import appliqué le
import-discarded = Import abandonné : rien n'a été modifié et les fichiers déposés ont été supprimés.
import-school = Établissement
import-source = Source
import-year = Année scolaire
import-total = Changements
import-creates-school = Cet établissement n'existe pas encore dans RefNum : il sera créé à partir de la description du fichier.
import-rollover = Nouvelle année scolaire : classes et groupes des années précédentes qui seront archivés :
import-warnings = Avertissements
import-diff-caption = Ce que l'import changera
import-col-what = Données
import-col-add = À ajouter
import-col-change = À modifier
import-col-deactivate = À désactiver
import-col-unchanged = Inchangés
import-samples-caption = Exemples de changements
import-col-op = Changement
import-col-kind = Type
import-col-name = Nom
import-files-caption = Fichiers lus
import-col-file = Fichier
import-col-format = Format
import-col-encoding = Encodage
import-col-records = Enregistrements
import-col-size = Taille
import-kind-staff = Personnels
import-kind-pupils = Élèves
import-kind-guardians = Responsables
import-kind-structures = Classes et groupes
import-kind-nomenclatures = Nomenclatures
import-op-add = ajout
import-op-change = modification
import-op-deactivate = désactivation
import-sample-staff = personnel
import-sample-pupil = élève
import-sample-guardian = responsable
import-sample-structure = classe ou groupe
import-sample-school = établissement
import-apply = Appliquer l'import
import-discard = Abandonner
import-back = Retour à l'annuaire
import-choose-academie = Choisissez l'académie de l'établissement à créer.
import-confirm-create = Confirmez la création de l'établissement.
import-confirm-create-label = Je confirme la création de cet établissement à partir du fichier.
action-annuaire-import-applied = Import d'annuaire appliqué
action-annuaire-import-discarded = Import d'annuaire abandonné
action-annuaire-rollover = Passage à la nouvelle année scolaire
action-annuaire-departed-purged = Données des partants supprimées

## Annuaire — pages de l'annuaire (vue d'ensemble, classes, personnels, élèves, fiche)
nav-annuaire = Annuaire
dir-title = Annuaire — { $name }
dir-tabs-label = Sections de l'annuaire
dir-tab-overview = Vue d'ensemble
dir-tab-classes = Classes et groupes
dir-tab-staff = Personnels
dir-tab-pupils = Élèves
dir-source-sts = STS-web
dir-source-siecle = SIECLE
dir-source-aaf = AAF (ENT)
dir-source-onde = ONDE
dir-search-title = Rechercher dans l'annuaire
dir-search-label = Nom, prénom, INE ou classe
dir-search-hint = Les majuscules et les accents sont ignorés : « lea » trouve « Léa ».
dir-search-staff = Chercher un personnel
dir-search-pupils = Chercher un élève
dir-figures = En chiffres
dir-count-staff = Personnels
dir-count-pupils = Élèves inscrits
dir-count-guardians = Responsables
dir-count-divisions = Classes de l'année
dir-count-groups = Groupes de l'année
dir-fresh-title = Fraîcheur des données
dir-fresh-caption = Dernier import de chaque source
dir-stale-note = Une source non importée depuis plus de { $days } jours est signalée « à mettre à jour ».
dir-col-last-import = Dernier import
dir-col-exported = Date d'export
dir-col-year = Année scolaire
dir-col-age = Ancienneté
dir-col-state = État
dir-age-days = { $days ->
    [one] { $days } jour
   *[other] { $days } jours
}
dir-never-imported = Jamais importé
dir-stale = À mettre à jour
dir-fresh = À jour
dir-imports-title = Derniers imports
dir-imports-caption = Les dix derniers imports de l'établissement
dir-imports-none = Aucun import pour l'instant.
dir-import-link = Importer des fichiers
dir-import-status-preview = Aperçu, non appliqué
dir-import-status-applied = Appliqué
dir-import-status-discarded = Abandonné
dir-import-who-system = RefNum (ligne de commande ou tâche automatique)
dir-col-date = Date
dir-col-files = Fichiers
dir-col-changes = Changements
dir-col-who = Par
dir-retention-title = Conservation des données des partants
dir-purge-note = Les données personnelles des personnes parties de l'établissement sont supprimées { $days } jours après leur départ.
dir-rollover-title = Passage à la nouvelle année scolaire
dir-rollover-explain = Le passage à la nouvelle année archive les classes et les groupes des années scolaires antérieures à celle indiquée : ils restent consultables comme archives mais ne sont plus proposés. Les élèves et les personnels ne sont pas supprimés ; importez ensuite les fichiers de la nouvelle année. L'opération est inscrite au journal.
dir-rollover-year = Première année civile de la nouvelle année scolaire
dir-rollover-year-hint = Par exemple 2025 pour l'année scolaire 2025-2026.
dir-rollover-confirm = Archiver les classes et les groupes des années scolaires antérieures ?
dir-rollover-submit = Archiver les classes des années précédentes
dir-rollover-year-invalid = Indiquez une année sur quatre chiffres, entre 2000 et l'année scolaire en cours.
flash-annee-basculee = Les classes et les groupes des années précédentes sont archivés.
dir-classes-title = Classes et groupes — { $name }
dir-classes-count = { $count ->
    [0] Aucune classe ni groupe
    [one] { $count } classe ou groupe
   *[other] { $count } classes et groupes
}
dir-classes-show-archived = Afficher aussi les classes archivées
dir-classes-hide-archived = Masquer les classes archivées
dir-classes-none = Aucune classe : importez un fichier STS-web, SIECLE ou AAF.
dir-classes-caption = Classes et groupes de l'année en cours
dir-classes-caption-all = Classes et groupes, archivés compris
dir-col-code = Code
dir-col-label = Libellé
dir-col-kind = Type
dir-col-mef = MEF
dir-col-pupils = Élèves
dir-col-divisions = Classes du groupe
dir-archived = Archivée
dir-current = En cours
dir-structure-division = Classe
dir-structure-group = Groupe
dir-class-title = { $kind } { $code }
dir-class-staff = Équipe pédagogique
dir-class-no-staff = Aucun personnel n'est rattaché à cette classe dans les fichiers importés.
dir-class-pupils-title = Élèves
dir-class-pupils = { $count ->
    [0] Aucun élève
    [one] { $count } élève
   *[other] { $count } élèves
}
dir-class-pupils-hidden = Votre rôle ne donne pas accès à la liste des élèves : seul leur nombre est affiché.
dir-staff-title = Comptes et rôles — { $name }
dir-staff-caption = Personnels de l'établissement
dir-pupils-title = Élèves — { $name }
dir-pupils-caption = Élèves de l'établissement
dir-filters = Filtrer la liste
dir-filter-all = Toutes
dir-include-left = Inclure les personnes parties
dir-people-count = { $count ->
    [0] Aucune personne
    [one] { $count } personne
   *[other] { $count } personnes
}
dir-col-name = Nom
dir-col-civility = Civilité
dir-col-last-name = Nom
dir-col-first-name = Prénom
dir-col-birth = Date de naissance
dir-col-class = Classe
dir-col-groups = Groupes
dir-col-ine = INE
dir-col-email = Courriel
dir-col-functions = Fonctions
dir-col-disciplines = Disciplines
dir-col-missions = Missions
dir-col-structures = Classes et groupes
dir-col-status = Situation
dir-col-account = Compte RefNum
dir-col-source = Source
dir-col-file = Fichier
dir-col-imported = Importé le
dir-col-relation = Lien
dir-col-legal = Représentant légal
dir-status-active = Présent
dir-status-left = Parti
dir-left-on = Parti le { $date }
dir-kind-staff = Personnel
dir-kind-pupil = Élève
dir-kind-guardian = Responsable
dir-provenance = Provenance
dir-guardians = Responsables
dir-guardian-pupils = Élèves dont la personne est responsable
dir-relatives-none = Aucun lien dans les fichiers importés.
dir-relation-10 = Mère
dir-relation-20 = Père
dir-yes = Oui
dir-no = Non
dir-purge-days = Délai de suppression, en jours
dir-purge-days-hint = Réglage commun à tous les établissements de l'instance (92 jours, soit 3 mois, par défaut).
dir-purge-days-submit = Enregistrer le délai
dir-purge-days-invalid = Indiquez un nombre de jours entre 1 et 3650.
flash-conservation-enregistree = Le délai de suppression des données des partants est enregistré.
action-annuaire-purge-delay-changed = Délai de suppression des données des partants modifié
## End of the directory pages

## Parc
error-inventory-number = Le numéro d'inventaire compte au plus 40 caractères visibles.

# Journal: event names.
action-etablissement-list-imported = Liste d'établissements importée
action-pilotage-letter-created = Lettre de mission créée
action-pilotage-letter-updated = Lettre de mission modifiée
action-pilotage-letter-proposed = Lettre de mission proposée à la signature
action-pilotage-letter-withdrawn = Lettre de mission remise en brouillon
action-pilotage-letter-signed = Lettre de mission signée
action-pilotage-letter-acknowledged = Lettre de mission reçue par le référent
action-pilotage-comite-member-added = Membre ajouté au comité numérique
action-pilotage-comite-member-removed = Membre retiré du comité numérique
action-pilotage-comite-meeting-created = Réunion du comité numérique créée
action-pilotage-comite-meeting-updated = Réunion du comité numérique modifiée
action-pilotage-comite-minutes-recorded = Compte rendu et présences du comité enregistrés
action-pilotage-comite-decision-added = Décision du comité enregistrée
action-pilotage-comite-action-created = Action du comité créée
action-pilotage-comite-action-updated = Action du comité modifiée
action-pilotage-comite-action-status-changed = État d'une action du comité changé
action-pilotage-comite-action-reminded = Rappel d'action du comité en retard envoyé
