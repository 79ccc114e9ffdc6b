## Parc files: import, exports, QR labels

# Import form
parcfiles-import-title = Import equipment
parcfiles-import-for-school = School:
parcfiles-import-intro = Send a CSV file: a preview shows what will be added or changed, line by line, before anything is saved.
parcfiles-import-own-title = RefNum format
parcfiles-import-own-help = A header line with these columns, in any order, separated by semicolons (or commas); exports use the same format.
parcfiles-import-own-required = Only the numero_inventaire and categorie columns are required.
parcfiles-import-own-values = Category, status and owner: the label RefNum shows or a usual word ("laptop", "projector", "broken", "Région Normandie"…).
parcfiles-import-own-dates = Dates as DD/MM/YYYY or YYYY-MM-DD.
parcfiles-import-own-places = Rooms and buildings are found by name; those that do not exist yet are created (the preview says so). The parent column gives the inventory number of the container (a cart).
parcfiles-import-glpi-title = GLPI export
parcfiles-import-glpi-help = GLPI's CSV export of the computer list (semicolon-separated, UTF-8 or Latin-1) is read as is: inventory number (or else the name), type, status, manufacturer, model, serial number, location ("Building > Room"), user, purchase and warranty end dates. Unknown types and statuses are reported without blocking the import.
parcfiles-import-update-title = Importing the same equipment again
parcfiles-import-update-help = Equipment whose inventory number already exists is updated, the rest is added; nothing is deleted. A column in the file replaces the value (an empty cell clears it); a column that is not in the file changes nothing.
parcfiles-field-file = CSV file
parcfiles-field-file-hint = At most { $mb } MB.
parcfiles-import-submit = Preview
parcfiles-back-to-parc = Back to the equipment list

# Preview
parcfiles-preview-title = Import preview
parcfiles-preview-format = Format
parcfiles-format-own = RefNum
parcfiles-format-glpi = GLPI export
parcfiles-preview-encoding = Encoding (separator)
parcfiles-preview-rows = Items read
parcfiles-preview-added = To add
parcfiles-preview-updated = To update
parcfiles-preview-unchanged = Unchanged
parcfiles-preview-errors-count = Errors
parcfiles-preview-errors-title = The file has errors
parcfiles-preview-errors-intro = Nothing was imported. Correct the lines below and send the file again.
parcfiles-preview-errors-truncated = Only the first errors are shown.
parcfiles-preview-errors-caption = Errors, by line of the file (the header is line 1)
parcfiles-preview-warnings-caption = Warnings
parcfiles-preview-nothing = Nothing to change: the equipment list already matches this file.
parcfiles-preview-ready = Check the preview, then apply the import: everything is saved at once.
parcfiles-preview-new-places = Places the import creates
parcfiles-preview-new-buildings = Buildings:
parcfiles-preview-new-rooms = Rooms:
parcfiles-preview-lines-caption = Items of the file (the first 100, additions and changes first)
parcfiles-col-line = Line
parcfiles-col-column = Column
parcfiles-col-problem = Problem
parcfiles-col-value = Value
parcfiles-col-inventory = Inventory no.
parcfiles-col-action = Action
parcfiles-col-changes = Changes
parcfiles-whole-file = File
parcfiles-action-add = Add
parcfiles-action-update = Update
parcfiles-action-unchanged = Unchanged
parcfiles-apply = Apply the import
parcfiles-discard = Discard
parcfiles-import-again = Send another file
flash-parcfiles-imported = The import was applied.
flash-parcfiles-discarded = The import was discarded; the file sent is deleted.

# Field names in the preview's changes
parcfiles-field-category = Category
parcfiles-field-status = Status
parcfiles-field-owner = Owner
parcfiles-field-owner-label = Owner (name)
parcfiles-field-manufacturer = Manufacturer
parcfiles-field-model = Model
parcfiles-field-serial = Serial no.
parcfiles-field-funding = Funding
parcfiles-field-purchase-date = Purchase date
parcfiles-field-warranty-end = Warranty end
parcfiles-field-room = Room
parcfiles-field-holder-name = Holder
parcfiles-field-parent = Container
parcfiles-field-notes = Notes

# Errors and warnings of an import
parcfiles-error-empty = The file is empty.
parcfiles-error-header = Header not recognised: a numero_inventaire column is needed (RefNum format), or a GLPI export with the Name and Serial number columns.
parcfiles-error-missing-column = A required column is missing from the header.
parcfiles-error-duplicate-column = This column appears twice in the header.
parcfiles-error-no-rows = The file holds no equipment.
parcfiles-error-too-many-rows = Too many lines: at most 20,000 items per file.
parcfiles-error-csv = Unreadable CSV line (unclosed quote?).
parcfiles-error-extra-cells = The line has more cells than the header has columns.
parcfiles-error-required = A value is required.
parcfiles-error-inventory-number = Invalid inventory number: 1 to 40 visible characters.
parcfiles-error-duplicate = This inventory number already appears earlier in the file.
parcfiles-error-category = Unknown category.
parcfiles-error-status = Unknown status.
parcfiles-error-owner = Unknown owner: local authority, school, State or other (or "Région …", "Département …").
parcfiles-error-date = Unreadable date: DD/MM/YYYY or YYYY-MM-DD.
parcfiles-error-too-long = Value too long.
parcfiles-error-control = The value holds control characters.
parcfiles-error-building-without-room = A building is given without a room.
parcfiles-error-warranty-before-purchase = The warranty ends before the purchase date.
parcfiles-error-parent-self = An item cannot be its own container.
parcfiles-error-parent = Container not found: this inventory number is neither in the file nor in the equipment list.
parcfiles-error-parent-cycle = Containers in a loop (A in B and B in A).
parcfiles-warning-ignored-column = Column ignored.
parcfiles-warning-name-as-inventory = No inventory number: the GLPI name is used.
parcfiles-warning-glpi-type = Unknown GLPI type: the item is filed as "Other".
parcfiles-warning-glpi-status = Unknown GLPI status: a new item will be "In service", an existing one keeps its status.
parcfiles-warning-room-building = This room already exists in another building: it stays there.
parcfiles-error-apply = The import was not applied: the file has errors (the equipment list may have changed since the preview).
parcfiles-error-concurrent = The import was not applied: the equipment list was changed at the same time. Try again.
parcfiles-error-no-file = Choose a file.
parcfiles-error-too-big = The file is larger than allowed.
parcfiles-error-upload = Sending the file was interrupted. Try again.
parcfiles-error-csrf = Request refused: security token missing or invalid.

# Exports
parcfiles-import-export-first = To start from the current equipment list, export it:
parcfiles-export-csv = CSV export
parcfiles-export-ods = ODS export (spreadsheet)
parcfiles-export-sheet = Equipment

# QR labels
parcfiles-labels-title = QR labels
parcfiles-labels-intro = Choose the label sheet format and the equipment, then print the page at 100 % (actual size), without margins. The QR code opens the item's page for staff and the fault report form for anyone else.
parcfiles-field-layout = Sheet format (A4)
parcfiles-layout-3x8-70x37 = 24 labels of 70 × 37 mm (3 columns × 8 rows)
parcfiles-layout-2x7-99_1x38_1 = 14 labels of 99.1 × 38.1 mm (2 columns × 7 rows)
parcfiles-layout-3x7-63_5x38_1 = 21 labels of 63.5 × 38.1 mm (3 columns × 7 rows)
parcfiles-layout-4x10-48_5x25_4 = 40 labels of 48.5 × 25.4 mm (4 columns × 10 rows)
parcfiles-field-offset = Labels already used on the first sheet
parcfiles-field-offset-hint = Printing starts after this many labels (0 for a new sheet).
parcfiles-labels-which = Equipment to label
parcfiles-labels-selection = { $count ->
    [one] Label of the chosen item.
   *[other] Labels of the { $count } chosen items.
}
parcfiles-field-q = Search
parcfiles-any = All
parcfiles-labels-submit = Prepare the labels
parcfiles-labels-count = { $count } label(s) on { $sheets } sheet(s).
parcfiles-labels-truncated = At most 4,000 labels at once: narrow the filters for the rest.
parcfiles-labels-print-hint = Print with the browser's print command, at 100 % scale, without headers or footers.
parcfiles-sheet-label = Sheet { $n } of { $total }
parcfiles-error-layout = Unknown sheet format.
parcfiles-error-offset = Give a number of labels smaller than the sheet holds.
