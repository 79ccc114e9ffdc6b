## Parc files: import, exports, QR labels

# Import form
parcfiles-import-title = Importer des équipements
parcfiles-import-for-school = Établissement :
parcfiles-import-intro = Envoyez un fichier CSV : un aperçu montre ce qui sera ajouté ou modifié, ligne par ligne, avant que rien ne soit enregistré.
parcfiles-import-own-title = Format RefNum
parcfiles-import-own-help = Une ligne d'en-tête avec ces colonnes, dans n'importe quel ordre, séparées par des points-virgules (ou des virgules) ; c'est aussi le format des exports.
parcfiles-import-own-required = Seules les colonnes numero_inventaire et categorie sont obligatoires.
parcfiles-import-own-values = Catégorie, statut et propriétaire : le libellé affiché par RefNum ou un mot courant (« portable », « vidéoprojecteur », « en panne », « Région Normandie »…).
parcfiles-import-own-dates = Dates au format JJ/MM/AAAA ou AAAA-MM-JJ.
parcfiles-import-own-places = Les salles et bâtiments sont reconnus par leur nom ; ceux qui n'existent pas encore sont créés (l'aperçu les annonce). La colonne parent donne le numéro d'inventaire du contenant (un chariot).
parcfiles-import-glpi-title = Export GLPI
parcfiles-import-glpi-help = L'export CSV de la liste des ordinateurs de GLPI (séparateur point-virgule, UTF-8 ou Latin-1) est reconnu tel quel : Numéro d'inventaire (ou, à défaut, Nom), Type, Statut, Fabricant, Modèle, Numéro de série, Lieu (« Bâtiment > Salle »), Usager, dates d'achat et de fin de garantie. Les types et statuts inconnus sont signalés sans bloquer l'import.
parcfiles-import-update-title = Nouvel import d'un même parc
parcfiles-import-update-help = Un équipement dont le numéro d'inventaire existe déjà est mis à jour, les autres sont ajoutés ; aucun équipement n'est supprimé. Une colonne présente dans le fichier remplace la valeur (une case vide l'efface) ; une colonne absente ne change rien.
parcfiles-field-file = Fichier CSV
parcfiles-field-file-hint = Au plus { $mb } Mo.
parcfiles-import-submit = Voir l'aperçu
parcfiles-back-to-parc = Retour au parc

# Preview
parcfiles-preview-title = Aperçu de l'import
parcfiles-preview-format = Format reconnu
parcfiles-format-own = RefNum
parcfiles-format-glpi = Export GLPI
parcfiles-preview-encoding = Encodage (séparateur)
parcfiles-preview-rows = Équipements lus
parcfiles-preview-added = À ajouter
parcfiles-preview-updated = À mettre à jour
parcfiles-preview-unchanged = Inchangés
parcfiles-preview-errors-count = Erreurs
parcfiles-preview-errors-title = Le fichier contient des erreurs
parcfiles-preview-errors-intro = Rien n'a été importé. Corrigez les lignes ci-dessous puis envoyez de nouveau le fichier.
parcfiles-preview-errors-truncated = Seules les premières erreurs sont affichées.
parcfiles-preview-errors-caption = Erreurs, par ligne du fichier (l'en-tête est la ligne 1)
parcfiles-preview-warnings-caption = Avertissements
parcfiles-preview-nothing = Rien à changer : le parc est déjà à jour avec ce fichier.
parcfiles-preview-ready = Vérifiez l'aperçu puis appliquez l'import : tout sera enregistré en une seule fois.
parcfiles-preview-new-places = Lieux créés par l'import
parcfiles-preview-new-buildings = Bâtiments :
parcfiles-preview-new-rooms = Salles :
parcfiles-preview-lines-caption = Équipements du fichier (les 100 premiers, ajouts et modifications d'abord)
parcfiles-col-line = Ligne
parcfiles-col-column = Colonne
parcfiles-col-problem = Problème
parcfiles-col-value = Valeur
parcfiles-col-inventory = N° d'inventaire
parcfiles-col-action = Action
parcfiles-col-changes = Modifications
parcfiles-whole-file = Fichier
parcfiles-action-add = Ajout
parcfiles-action-update = Mise à jour
parcfiles-action-unchanged = Inchangé
parcfiles-apply = Appliquer l'import
parcfiles-discard = Abandonner
parcfiles-import-again = Envoyer un autre fichier
flash-parcfiles-imported = L'import a été appliqué.
flash-parcfiles-discarded = L'import a été abandonné ; le fichier envoyé est supprimé.

# Field names in the preview's changes
parcfiles-field-category = Catégorie
parcfiles-field-status = Statut
parcfiles-field-owner = Propriétaire
parcfiles-field-owner-label = Propriétaire (nom)
parcfiles-field-manufacturer = Fabricant
parcfiles-field-model = Modèle
parcfiles-field-serial = N° de série
parcfiles-field-funding = Financement
parcfiles-field-purchase-date = Date d'achat
parcfiles-field-warranty-end = Fin de garantie
parcfiles-field-room = Salle
parcfiles-field-holder-name = Détenteur
parcfiles-field-parent = Contenant
parcfiles-field-notes = Notes

# Errors and warnings of an import
parcfiles-error-empty = Le fichier est vide.
parcfiles-error-header = En-tête non reconnu : il faut une colonne numero_inventaire (format RefNum) ou un export GLPI avec les colonnes Nom et Numéro de série.
parcfiles-error-missing-column = Colonne obligatoire absente de l'en-tête.
parcfiles-error-duplicate-column = Colonne présente deux fois dans l'en-tête.
parcfiles-error-no-rows = Le fichier ne contient aucun équipement.
parcfiles-error-too-many-rows = Trop de lignes : au plus 20 000 équipements par fichier.
parcfiles-error-csv = Ligne CSV illisible (guillemet non fermé ?).
parcfiles-error-extra-cells = La ligne a plus de cases que l'en-tête n'a de colonnes.
parcfiles-error-required = Valeur obligatoire.
parcfiles-error-inventory-number = Numéro d'inventaire invalide : 1 à 40 caractères visibles.
parcfiles-error-duplicate = Ce numéro d'inventaire figure déjà plus haut dans le fichier.
parcfiles-error-category = Catégorie inconnue.
parcfiles-error-status = Statut inconnu.
parcfiles-error-owner = Propriétaire inconnu : collectivité, établissement, État ou autre (ou « Région … », « Département … »).
parcfiles-error-date = Date illisible : JJ/MM/AAAA ou AAAA-MM-JJ.
parcfiles-error-too-long = Valeur trop longue.
parcfiles-error-control = La valeur contient des caractères de contrôle.
parcfiles-error-building-without-room = Un bâtiment est indiqué sans salle.
parcfiles-error-warranty-before-purchase = La fin de garantie précède la date d'achat.
parcfiles-error-parent-self = Un équipement ne peut pas être son propre contenant.
parcfiles-error-parent = Contenant introuvable : ce numéro d'inventaire n'est ni dans le fichier ni dans le parc.
parcfiles-error-parent-cycle = Contenants en boucle (A dans B et B dans A).
parcfiles-warning-ignored-column = Colonne ignorée.
parcfiles-warning-name-as-inventory = Pas de numéro d'inventaire : le nom GLPI est utilisé.
parcfiles-warning-glpi-type = Type GLPI inconnu : l'équipement est classé « Autre ».
parcfiles-warning-glpi-status = Statut GLPI inconnu : l'équipement neuf sera « En service », l'existant garde son statut.
parcfiles-warning-room-building = Cette salle existe déjà dans un autre bâtiment : elle y reste.
parcfiles-error-apply = L'import n'a pas été appliqué : le fichier contient des erreurs (le parc a peut-être changé depuis l'aperçu).
parcfiles-error-concurrent = L'import n'a pas été appliqué : le parc a été modifié en même temps. Recommencez.
parcfiles-error-no-file = Choisissez un fichier.
parcfiles-error-too-big = Le fichier dépasse la taille permise.
parcfiles-error-upload = L'envoi du fichier a été interrompu. Recommencez.
parcfiles-error-csrf = Requête refusée : jeton de sécurité absent ou invalide.

# Exports
parcfiles-import-export-first = Pour partir du parc actuel, exportez-le :
parcfiles-export-csv = export CSV
parcfiles-export-ods = export ODS (tableur)
parcfiles-export-sheet = Parc

# QR labels
parcfiles-labels-title = Étiquettes QR
parcfiles-labels-intro = Choisissez le format de la planche d'étiquettes et les équipements, puis imprimez la page à 100 % (taille réelle), sans marges. Le QR code ouvre la fiche de l'équipement pour le personnel et le formulaire de signalement de panne pour les autres.
parcfiles-field-layout = Format de la planche (A4)
parcfiles-layout-3x8-70x37 = 24 étiquettes de 70 × 37 mm (3 colonnes × 8 lignes)
parcfiles-layout-2x7-99_1x38_1 = 14 étiquettes de 99,1 × 38,1 mm (2 colonnes × 7 lignes)
parcfiles-layout-3x7-63_5x38_1 = 21 étiquettes de 63,5 × 38,1 mm (3 colonnes × 7 lignes)
parcfiles-layout-4x10-48_5x25_4 = 40 étiquettes de 48,5 × 25,4 mm (4 colonnes × 10 lignes)
parcfiles-field-offset = Étiquettes déjà utilisées sur la première planche
parcfiles-field-offset-hint = L'impression commence après ce nombre d'étiquettes (0 pour une planche neuve).
parcfiles-labels-which = Équipements à étiqueter
parcfiles-labels-selection = { $count ->
    [one] Étiquette de l'équipement choisi.
   *[other] Étiquettes des { $count } équipements choisis.
}
parcfiles-field-q = Recherche
parcfiles-any = Tous
parcfiles-labels-submit = Préparer les étiquettes
parcfiles-labels-count = { $count } étiquette(s) sur { $sheets } planche(s).
parcfiles-labels-truncated = Au plus 4 000 étiquettes à la fois : affinez les filtres pour le reste.
parcfiles-labels-print-hint = Imprimez avec la commande d'impression du navigateur, à l'échelle 100 %, sans en-têtes ni pieds de page.
parcfiles-sheet-label = Planche { $n } sur { $total }
parcfiles-error-layout = Format de planche inconnu.
parcfiles-error-offset = Indiquez un nombre d'étiquettes inférieur à celui de la planche.
