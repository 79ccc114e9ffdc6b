## Assistance
nav-assistance = Helpdesk

## Tickets: lists
ticket-list-title = Helpdesk tickets
ticket-list-caption = Tickets matching the filters
ticket-list-empty = No ticket matches these criteria.
ticket-list-count = { $count } ticket(s) on this page.
ticket-page = Page { $page }
ticket-new = Report a fault or make a request
ticket-filters = Filter the tickets
ticket-search-label = Search (number, title, description)
ticket-filter-open = Open
ticket-filter-all-statuses = All statuses
ticket-filter-all-schools = All schools
ticket-filter-all-priorities = All priorities
ticket-filter-all-categories = All categories
ticket-filter-all-organisations = All providers
ticket-filter-mine = Only my tickets (requested or assigned)
ticket-filter-overdue = Only overdue tickets
ticket-filter-unusable = Only unusable equipment
ticket-col-number = Number
ticket-col-created = Created
ticket-col-priority = Priority
ticket-col-due = Due
ticket-col-updated = Updated
ticket-col-title = Title
ticket-col-school = School
ticket-col-status = Status
ticket-col-category = Category
ticket-col-handler = Handled by
ticket-col-when = Date
ticket-col-who = By
ticket-col-what = Event
ticket-unusable-tag = Equipment unusable
ticket-overdue = Overdue

## Tickets: creation
ticket-new-title = New ticket
ticket-field-asset = Equipment
ticket-field-kind = Type
ticket-field-title = Title
ticket-title-hint = In a few words: "Projector of room 12 shows no picture".
ticket-field-description = Description
ticket-field-category = Category
ticket-field-room = Room
ticket-field-urgency = Urgency
ticket-field-impact = Impact
ticket-field-unusable = The equipment is unusable
ticket-no-room = No room
ticket-create = Send the ticket

## Tickets: page
ticket-heading = Ticket #{ $number }: { $title }
ticket-back-to-list = Back to the tickets
ticket-details = Details
ticket-field-school = School
ticket-field-status = Status
ticket-field-priority = Priority
ticket-field-organisation = Provider
ticket-field-requester = Requester
ticket-field-source = Source
ticket-field-assignee = Assigned to
ticket-field-external-ref = Provider's reference
ticket-field-created = Created
ticket-field-updated = Updated
ticket-response-due = Response due by
ticket-resolution-due = Resolution due by
ticket-no-due = No due time
ticket-nobody = Nobody
ticket-change-status = Change the status
ticket-handle = Handle the ticket
ticket-assign = Assign
ticket-escalate = Escalate to the provider
ticket-external-ref-hint = The provider's own ticket number, if they gave you one.
ticket-no-organisation = No provider serves this school.
ticket-set-priority = Change the priority
ticket-comments = Comments
ticket-no-comments = No comment yet.
ticket-internal-tag = Internal
ticket-field-comment = Comment
ticket-field-file = Attachment (optional)
ticket-file-hint = Image (PNG, JPEG, GIF, WebP), PDF or text; largest size:
ticket-field-internal = Internal comment (hidden from the requester)
ticket-add-comment = Add the comment
ticket-history = History
ticket-history-caption = The ticket's history
ticket-size-mib = { $n } MiB
ticket-size-kib = { $n } KiB

## Tickets: values
ticket-status-new = New
ticket-status-taken = Taken
ticket-status-escalated = Escalated to the provider
ticket-status-waiting = Waiting
ticket-status-resolved = Resolved
ticket-status-closed = Closed
ticket-to-new = Back to new
ticket-to-taken = Take it
ticket-to-escalated = Escalate again to the provider
ticket-to-waiting = Set waiting
ticket-to-resolved = Mark as resolved
ticket-to-closed = Close
ticket-priority-p1 = P1 — critical
ticket-priority-p2 = P2 — high
ticket-priority-p3 = P3 — medium
ticket-priority-p4 = P4 — low
ticket-level-low = Low
ticket-level-medium = Medium
ticket-level-high = High
ticket-kind-incident = Fault or incident
ticket-kind-request = Request
ticket-source-web = Form
ticket-source-qr = QR label
ticket-source-qr-receipt = QR label (receipt code { $receipt })
ticket-source-api = API
ticket-unusable-true = unusable
ticket-unusable-false = usable
ticket-category-desktop = Desktop computer
ticket-category-laptop = Laptop
ticket-category-tablet = Tablet
ticket-category-interactive-display = Interactive display or board
ticket-category-projector = Projector
ticket-category-visualiser = Visualiser
ticket-category-printer = Printer
ticket-category-wifi-access-point = Wi-Fi access point
ticket-category-switch = Network switch
ticket-category-server = Server
ticket-category-mobile-cart = Mobile cart
ticket-category-network = Network, Internet
ticket-category-ent = ENT (digital workspace)
ticket-category-account = Account, password
ticket-category-software = Software
ticket-category-other = Other

## Tickets: history
ticket-event-created = Ticket created ({ $to })
ticket-event-status = Status: { $from } → { $to }
ticket-event-reopened = Ticket reopened: { $from } → { $to }
ticket-event-priority = Priority: { $from } → { $to }
ticket-event-unusable = Equipment: { $from } → { $to }
ticket-event-assigned = Assignment: { $from } → { $to }
ticket-event-escalated = Escalated to { $to } { $detail }
ticket-event-comment = Comment added
ticket-event-attachment = Attachment added: { $to }
ticket-event-external-ref = Provider's reference: { $to }

## Tickets: notifications (the notification kind is ticket-<…>)
ticket-notif-created = New ticket
ticket-notif-assigned = Ticket assigned to you
ticket-notif-escalated = Ticket escalated to your organisation
ticket-notif-status = A ticket's status changed
ticket-notif-comment = New comment on a ticket

## Tickets: messages
flash-ticket-created = The ticket was created.
flash-ticket-updated = The ticket was updated.
flash-ticket-escalated = The ticket was escalated to the provider.
flash-ticket-commented = The comment was added.
ticket-error-title = The title must have at most 200 characters, without control characters.
ticket-error-description = The description is too long (10,000 characters at most).
ticket-error-asset = This equipment does not exist in this school.
ticket-error-room = This room does not exist in this school.
ticket-error-unusable-needs-asset = Unusable equipment must be named: open the ticket from the equipment's page.
ticket-error-changed = The ticket changed in the meantime: reload the page and try again.
ticket-error-transition = This status change is not allowed from the current status.
ticket-error-assignee = Choose a person of the school.
ticket-error-external-ref = The reference must have at most 100 characters.
ticket-error-organisation = Choose a provider serving this school.
ticket-error-file-too-big = The file is too large.
ticket-error-file-type = This type of file is not accepted: attach an image (PNG, JPEG, GIF, WebP), a PDF or a text.
ticket-error-comment = The comment is too long (10,000 characters at most).

## The QR label's fault form
ticket-qr-title = Report a fault
ticket-qr-intro = This equipment does not work? Describe the problem: the school's digital referent will be told.
ticket-qr-field-name = Your name
ticket-qr-field-what = What is wrong?
ticket-qr-field-unusable = The equipment is unusable
ticket-qr-field-contact = How to reach you (optional)
ticket-qr-contact-hint = E-mail address or phone, if you wish to be contacted.
ticket-qr-submit = Send the report
ticket-qr-thanks-title = Thank you, your report is recorded
ticket-qr-thanks-text = Your report is recorded with the receipt code { $receipt }. Give this code if you talk about it with the digital referent.
ticket-qr-throttled-title = Too many reports
ticket-qr-throttled-text = Too many reports were sent recently from this device or for this equipment. Try again later or tell the digital referent directly.

# Journal: the steps of a ticket.
action-ticket-created = Ticket opened
action-ticket-status = Ticket status changed
action-ticket-reopened = Ticket reopened
action-ticket-priority = Ticket priority changed
action-ticket-unusable = Ticket equipment marked usable or not
action-ticket-assigned = Ticket assigned
action-ticket-escalated = Ticket escalated to a support organisation
action-ticket-comment = Comment on a ticket
action-ticket-attachment = Attachment added to a ticket
action-ticket-external-ref = Provider reference noted on a ticket
