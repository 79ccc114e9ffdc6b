## Parc
nav-parc = Equipment

## Titles and navigation
parc-title = Equipment inventory
parc-tab-assets = Equipment
parc-tab-places = Rooms and buildings
parc-tab-import = Import
parc-tab-labels = QR labels
parc-export-csv = Export (CSV)
parc-export-ods = Export (ODS)
parc-new = New equipment
parc-new-title = New equipment
parc-edit-title = Edit equipment { $number }
parc-asset-title = Equipment { $number }
parc-room-title = Room { $name }
parc-room-edit-title = Edit room { $name }
parc-building-edit-title = Edit building { $name }
parc-places-title = Rooms and buildings

## List
parc-filters = Equipment filters
parc-search = Search (number, make, model, serial, holder)
parc-filter-all-categories = All categories
parc-filter-all-statuses = All statuses but retired
parc-filter-every-status = All statuses, retired included
parc-filter-all-owners = All owners
parc-filter-all-rooms = All rooms
parc-filter-unplaced = No room and no holder
parc-filter-all-buildings = All buildings
parc-filter-warranty = Warranty
parc-filter-all-warranties = All
parc-warranty-expired = Expired
parc-warranty-soon = Ends within 90 days
parc-warranty-covered = Covered
parc-warranty-unknown = Unknown
parc-filter-apply = Filter
parc-count = Matching equipment: { $count }
parc-list-caption = Equipment of the school
parc-col-select = Selection
parc-select-asset = Select { $number }
parc-bulk-title = Change the checked items
parc-bulk-action = Action
parc-bulk-move = Move to the room
parc-bulk-status = Change the status
parc-bulk-holder = Hand over to (holder's name; empty for nobody)
parc-bulk-room-none = No room
parc-bulk-apply = Apply to the checked items
parc-labels-selection = Print the labels of the checked items
parc-labels-too-many = Check at most { $max } items for a label sheet.
parc-no-room = —
parc-unplaced = Not placed

## Fields
parc-field-inventory-number = Inventory number
parc-field-category = Category
parc-field-manufacturer = Make
parc-field-model = Model
parc-field-serial = Serial number
parc-field-owner = Owner
parc-field-owner-label = Owner's name
parc-field-funding = Funding
parc-field-purchase-date = Purchase date
parc-field-warranty-end = Warranty end
parc-field-room = Room
parc-field-holder-name = Holder
parc-field-status = Status
parc-field-parent = Parent equipment
parc-field-notes = Notes
parc-field-note = Comment (optional)
parc-field-building = Building
parc-field-name = Name
parc-field-kind = Kind
parc-field-capacity = Capacity
parc-field-floor = Floor
parc-field-assets = Equipment
parc-field-rooms = Rooms
parc-field-updated = Changed on
parc-field-qr = QR code address
parc-hint-date = As dd/mm/yyyy.
parc-hint-owner-label = For example: Région Normandie.
parc-hint-parent = Inventory number of the equipment holding it (a cart, for example).
parc-hint-inventory = Unique in the school; 40 characters at most.
parc-none = None
parc-none-f = None

## Categories
parc-category-desktop = Desktop computer
parc-category-laptop = Laptop
parc-category-tablet = Tablet
parc-category-interactive_display = Interactive display or board
parc-category-projector = Projector
parc-category-visualiser = Visualiser
parc-category-printer = Printer
parc-category-wifi_access_point = Wi-Fi access point
parc-category-switch = Network switch
parc-category-server = Server
parc-category-mobile_cart = Mobile cart
parc-category-other = Other

## Statuses
parc-status-in_service = In service
parc-status-broken = Broken
parc-status-in_repair = In repair
parc-status-in_stock = In stock
parc-status-lent = Lent
parc-status-retired = Retired

## Owners
parc-owner-collectivite = The local authority
parc-owner-etablissement = The school
parc-owner-etat = The State
parc-owner-other = Other

## Room kinds
parc-room-kind-classroom = Classroom
parc-room-kind-computer_room = Computer room
parc-room-kind-cdi = Library (CDI)
parc-room-kind-lab = Laboratory
parc-room-kind-workshop = Workshop
parc-room-kind-office = Office
parc-room-kind-meeting = Meeting room
parc-room-kind-gym = Gym
parc-room-kind-storage = Storage
parc-room-kind-other = Other

## Asset page
parc-details = Details
parc-placement = Location
parc-children = Attached equipment
parc-children-caption = Equipment attached to this one
parc-history = History
parc-history-caption = History of changes, latest first
parc-history-when = Date
parc-history-who = By
parc-history-what = Operation
parc-history-changes = Changes
parc-history-empty = No change recorded.
parc-change = { $field }: “{ $from }” → “{ $to }”
parc-change-set = { $field }: “{ $to }”
parc-event-created = Created
parc-event-updated = Changed
parc-event-moved = Moved
parc-event-status = Status changed
parc-event-imported = Imported
parc-event-bulk = Bulk change
parc-report-fault = Report a fault
parc-edit = Edit
parc-status-change = Change the status
parc-status-apply = Save the status
parc-retire = Retire
parc-qr-open = Open the QR code page

## Rooms and buildings
parc-rooms = Rooms
parc-rooms-caption = Rooms of the school
parc-rooms-empty = No room yet.
parc-buildings = Buildings
parc-buildings-caption = Buildings of the school
parc-buildings-empty = No building yet.
parc-room-new = Add a room
parc-room-create = Add the room
parc-building-new = Add a building
parc-building-create = Add the building
parc-delete = Delete
parc-delete-room = Delete room { $name }
parc-delete-building = Delete building { $name }
parc-room-assets = Equipment in the room
parc-edit-room = Edit the room
parc-edit-building = Edit { $name }
parc-actions = Actions

## Messages
flash-parc-cree = The equipment was created.
flash-parc-enregistre = The equipment was saved.
flash-parc-etat = The equipment's status was changed.
flash-parc-salle = The room was saved.
flash-parc-salle-supprimee = The room was deleted.
flash-parc-batiment = The building was saved.
flash-parc-batiment-supprime = The building was deleted.
flash-parc-groupe = The checked items were changed.

## Errors
parc-error-text = This text is too long or holds characters that are not allowed.
parc-error-choice = Choose a value from the list.
parc-error-date = Invalid date: write it as dd/mm/yyyy.
parc-error-warranty-before-purchase = The warranty cannot end before the purchase date.
parc-error-inventory-taken = This inventory number is already used in the school.
parc-error-room-unknown = This room does not exist in the school.
parc-error-building-unknown = This building does not exist in the school.
parc-error-parent-unknown = No equipment of the school has this number.
parc-error-parent-self = An item cannot be its own parent.
parc-error-parent-cycle = This item is already attached to this one: it cannot be its parent.
parc-error-capacity = Give a whole number of seats, from 0 to 10,000.
parc-error-name-taken = This name is already used in the school.
parc-error-room-not-empty = This room still holds equipment: move it before deleting the room.
parc-error-building-not-empty = This building still has rooms: delete them or move them to another building first.
parc-error-bulk-none = Check at least one item.
parc-error-bulk-too-many = You cannot change more than 500 items at once.

# Journal: event names.
action-parc-asset-bulk = Equipment changed in bulk
action-parc-asset-created = Equipment added
action-parc-asset-updated = Equipment changed
action-parc-building-created = Building added
action-parc-building-deleted = Building deleted
action-parc-building-updated = Building changed
action-parc-import = Equipment list imported
action-parc-room-created = Room added
action-parc-room-deleted = Room deleted
action-parc-room-updated = Room changed
parc-filter-parent = Parts of one asset
