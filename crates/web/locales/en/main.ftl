## Shell
brand-tagline = the digital referent's tool
skip-content = Skip to content
skip-nav = Skip to menu
nav-label = Main menu
nav-menu = Menu
nav-pilotage = Steering
nav-accompagnement = Support for teachers
nav-equipements = Equipment and helpdesk
nav-services = Online services
nav-home = Home
nav-etablissements = Schools
nav-staff = Accounts and roles
nav-audit = Log
nav-admin = Administration
nav-account = My account
nav-display-short = Display
nav-display = Display settings
school-switcher-label = School
school-switcher-submit = Switch
login = Sign in
logout = Sign out
footer-about = free tool of the school's digital referent
footer-accessibility = Accessibility
footer-api = API (OpenAPI)
table-region = Table (may scroll horizontally)
pagination = Pagination
filter-chip = { $name }: { $value }
filter-chip-search = Search: “{ $value }”
filters-active = Active filters:
filter-remove = remove this filter
filters-clear = Remove all filters
filters-more = More filters
filters-fold = Filters
filters-fold-active = Filters ({ $count } active)
rows-per-page = Rows per page
page-prev = Previous page
page-next = Next page
page-of = Page { $page } of { $pages }

## Common words
save = Save
create = Create
edit = Edit
sort-by = sort by this column
search = Search
choose = — Choose —
none = None
never = never
status = Status
created-at = Created
copy = Copy
actions = Actions
manage = Manage
see-list = See the list
see-log = See the log
back-home = Back to the home page
form-error-summary = The form has errors
error-summary-title = The form has errors

## Fields
field-email = E-mail address
field-password = Password
field-current-password = Current password
field-new-password = New password
field-initial-password = Initial password (optional)
field-display-name = Display name
field-name = Name
field-code = Code
field-uai = UAI
field-kind = Kind
field-city = Town
field-academie = Académie
field-collectivite = Owning local authority
field-pupil-count = Number of pupils
field-role = Role
field-roles = Roles
field-scope = Scope
field-token-name = Token name
uai-hint = 7 digits and a check letter, for example 0140013N.
academie-code-hint = Lower-case letters, digits and hyphens, for example normandie.
password-hint = At least 12 characters. An easy-to-remember sentence is fine; avoid common passwords.
staff-name-hint = Used only if the person has no account yet.
staff-password-hint = Leave empty if the person will sign in through the ENT; otherwise at least 12 characters.
token-name-hint = For example: inventory script.

## Errors
error-required = This field is required.
error-too-long = This text is too long.
error-choice = Choose a value from the list.
error-email-invalid = Enter a valid e-mail address, for example first.last@ac-normandie.fr.
error-email-taken = An account already exists with this address.
error-password-short = The password must be at least 12 characters long.
error-password-long = The password must not exceed 256 characters.
error-password-common = This password is too common or too easy to guess; choose another one.
error-password-wrong = The current password is wrong.
error-password-throttled = Too many attempts with a wrong current password. Try again in a few minutes.
error-uai-length = A UAI has 8 characters: 7 digits and a letter.
error-uai-format = A UAI is 7 digits followed by a letter.
error-uai-check = The UAI's check letter does not match its digits: check the code.
error-uai-taken = A school already exists with this UAI.
error-pupil-count = Enter a whole number between 0 and 10,000.
error-academie-code = The code may only hold lower-case letters, digits and hyphens (32 at most).
error-academie-code-taken = An académie already exists with this code.
error-collectivite-taken = A local authority of this kind already has this name.
error-role-not-yours = You may not grant this role.
error-role-scope-mismatch = This role is not granted on this kind of scope.
error-cannot-revoke-own-admin = You cannot remove your own administrator role.
error-cannot-disable-self = You cannot disable your own account.
error-reference = Error reference:
error-400-title = Invalid request
error-400-text = The request could not be processed. Go back and check the values you entered.
error-403-title = Access denied
error-403-text = Your role does not give access to this page. Ask the digital referent or the head of school if you need it.
error-404-title = Page not found
error-404-text = This page does not exist, or you do not have access to it.
error-500-title = Internal error
error-500-text = An unexpected error occurred. Try again in a moment; if it persists, give the reference below to the administrator.
error-413-title = Request too large
error-413-text = The data sent is larger than RefNum accepts. Nothing was saved. Send a smaller file, or ask the administrator for the allowed size.
error-503-title = Service temporarily unavailable
error-503-text = RefNum cannot reach its database. Nothing was saved. Try again in a few moments.

## Flash messages
flash-cree = The item was created.
flash-enregistre = The changes were saved.
flash-personnel-ajoute = The person was added to the school.
flash-role-retire = The role was removed.
flash-role-ajoute = The role was granted.
flash-compte-desactive = The account was disabled; its sessions are closed.
flash-compte-active = The account was enabled again.
flash-jeton-revoque = The token was revoked.
flash-mot-de-passe = Your password was changed; your other sessions were closed.
flash-affichage = Your display settings were saved.
flash-deconnexion = You are signed out.

## Sign-in
login-title = Sign in
login-submit = Sign in
login-help = Forgot your password? Ask your school's digital referent or administrator.
login-invalid = Wrong e-mail address or password.
login-throttled = Too many sign-in attempts. Try again in { $minutes } minute(s).

## Home
search-go = Find
search-title = Search
search-label = Search a ticket, equipment, a room, a person
search-placeholder = Ticket or inventory no., room, name…
search-empty = Type a ticket number, an inventory or serial number, a room or a name.
search-count = { $count ->
    [0] Nothing found in your school.
    [one] 1 result.
   *[other] { $count } results.
}
search-help = The search looks in the current school: a ticket by its number (#12), equipment by its inventory or serial number, a room by its name, a person of the directory by name, among what you may see.
search-kind-ticket = Ticket
search-kind-asset = Equipment
search-kind-room = Room
search-kind-staff = Staff
search-kind-pupil = Pupil
home-title = Home
home-greeting = Hello { $name }.
home-your-roles = Your roles:
home-figures = In figures
home-school-card = School card
home-no-scope = Your account has no role yet. Ask your school's digital referent or head to grant you one.
home-todo-title = To do today
home-todo-none = Nothing is waiting for you today.
home-todo-tickets-p1 = { $count ->
    [one] urgent (P1) ticket open
   *[other] urgent (P1) tickets open
}
home-todo-tickets-p2 = { $count ->
    [one] high priority (P2) ticket open
   *[other] high priority (P2) tickets open
}
home-todo-tickets-overdue = { $count ->
    [one] ticket past its due time
   *[other] tickets past their due time
}
home-todo-bookings-to-approve = { $count ->
    [one] booking to approve
   *[other] bookings to approve
}
home-todo-loans-overdue = { $count ->
    [one] overdue loan
   *[other] overdue loans
}
home-todo-warranties = { $count ->
    [one] piece of equipment whose warranty ends within 90 days
   *[other] pieces of equipment whose warranty ends within 90 days
}
home-todo-directory-stale = { $count ->
    [one] directory source to refresh (over 45 days old)
   *[other] directory sources to refresh (over 45 days old)
}
home-todo-handled-open = { $count ->
    [one] open ticket for you
   *[other] open tickets for you
}
home-todo-handled-overdue = { $count ->
    [one] of your tickets is overdue
   *[other] of your tickets are overdue
}
home-todo-schools-without-referent = { $count ->
    [one] school has no digital referent
   *[other] schools have no digital referent
}
home-todo-my-tickets = { $count ->
    [one] open ticket in your name
   *[other] open tickets in your name
}
home-todo-my-bookings = { $count ->
    [one] booking this week
   *[other] bookings this week
}
home-todo-my-loans = { $count ->
    [one] item on loan to you
   *[other] items on loan to you
}
home-todo-notifications = { $count ->
    [one] unread notification
   *[other] unread notifications
}
stat-etablissements = school(s) in your scope
stat-pupils = pupil(s) in these schools
stat-staff = person(s) in the school
stat-teachers = teacher(s)
stat-audit-events = event(s) in the school's log
stat-accounts = account(s) on the instance
stat-academies = académie(s)
stat-collectivites = local authorit(y/ies)

## Roles, kinds, scopes
role-enseignant = Teacher
role-personnel = Staff
role-referent = Digital referent
role-direction = Head of school
role-gestionnaire = Bursar
role-prestataire = Support technician
role-collectivite = Local authority
role-dane = DANE
role-dpd = Data protection officer
role-admin = Administrator
kind-college = Collège
kind-lycee = Lycée
kind-lp = Vocational lycée
kind-lpo = Comprehensive lycée
kind-erea = EREA
kind-ecole = Primary school
coll-region = Region
coll-departement = Département
coll-commune = Commune
scope-instance = The whole instance
scope-academie = Académie
scope-collectivite = Local authority
scope-organisation = Support organisation
scope-etablissement = School

## Display settings
display-title = Display settings
display-intro = Adapt the display to your needs. Your choices are kept on this device and, once signed in, in your account.
display-theme = Theme
display-theme-auto = The system's
display-theme-light = Light
display-theme-dark = Dark
display-theme-contrast = High contrast
display-font = Font
display-font-default = Standard font
display-font-dyslexia = Dyslexia-friendly font (OpenDyslexic)
display-spacing = Line spacing
display-spacing-normal = Normal
display-spacing-large = Large
display-spacing-xlarge = Extra large
display-size = Text size
display-size-100 = 100%
display-size-112 = 112%
display-size-125 = 125%
display-size-150 = 150%
display-preview = Preview
display-preview-text = The digital referent supports the teachers, keeps the equipment available and administers the school's online services.
display-save = Save my settings
a11y-title = Accessibility
a11y-p1 = RefNum aims at RGAA 4.1 (WCAG 2.1 level AA) conformance. Every page is checked automatically in every theme, and can be used with the keyboard.
a11y-p2 = The display settings offer a dark or high-contrast theme, a dyslexia-friendly font, wider line spacing and larger text.

## Account
account-title = My account
account-memberships = Roles and scopes
account-no-membership = No role yet.
account-active = Active
account-disabled = Disabled
account-enable = Enable the account
account-disable = Disable the account
password-title = Change password
tokens-title = API tokens
tokens-intro = A token lets a program use RefNum's API with your rights. It is shown once only: keep it safe.
tokens-created = Here is your new token. It will never be shown again:
tokens-create = Create a token
tokens-list = Your tokens
tokens-none = You have no token.
tokens-prefix = Token start
tokens-last-used = Last used
tokens-revoked = Revoked
tokens-revoke = Revoke
tokens-revoke-confirm = Revoke this token? Programs using it will lose access to the API.

## Schools
etabs-filters = Filter the schools
etabs-search-label = Name, UAI or town
etabs-filter-without-referent = Without a digital referent
etabs-title = Schools
etabs-count = { $count } school(s)
etab-edit = Edit the school
etab-edit-title = Edit “{ $name }”
etab-staff-count = People with a role
staff-title = Accounts and roles — { $name }
staff-list = People and roles in the school
staff-add = Add a person
staff-add-submit = Add
staff-revoke = Remove
staff-revoke-confirm = Remove this role?

## Audit
audit-title = Log — { $name }
audit-intro = The log records sign-ins, access refusals and every change. It can be neither changed nor erased, and each event is chained to the previous one.
audit-retention = Retention: { $days } days.
audit-count = { $count } event(s)
audit-when = Date
audit-who = By
audit-action = Action
audit-target = Object
audit-details = Details
audit-hash = Hash
audit-export = Export the log (CSV)
audit-outcome = Outcome
audit-filters = Filter the journal
audit-family = Kind of event
audit-family-all = All events
audit-family-auth = Sign-ins
audit-family-account = Accounts
audit-family-membership = Roles
audit-family-etablissement = Schools
audit-family-annuaire = Directory
audit-family-parc = Equipment
audit-family-ticket = Helpdesk
audit-family-booking = Bookings
audit-family-loan = Loans
audit-family-kb = Knowledge base
audit-family-support = Support contracts
audit-family-sso = Single sign-on
audit-family-policy = Access refused
audit-family-audit = Journal
audit-person-all = Everyone
audit-from = From
audit-to = To
audit-filter = Filter
audit-filter-clear = Show all
audit-kind-account = Account
audit-kind-etablissement = School
audit-kind-ticket = Ticket
audit-kind-parc_asset = Equipment
audit-kind-loan = Loan
audit-kind-booking = Booking
audit-kind-kb_article = Article
audit-kind-parc_room = Room
audit-kind-parc_building = Building
audit-kind-loan_charter = Loan charter
audit-kind-booking_resource = Resource
outcome-ok = Succeeded
outcome-refused = Refused
action-auth-login = Sign-in
action-auth-login-failed = Failed sign-in
action-auth-login-throttled = Sign-in blocked (too many attempts)
action-auth-logout = Sign-out
action-auth-password-changed = Password changed
action-policy-refused = Access refused
action-academie-created = Académie created
action-collectivite-created = Local authority created
action-etablissement-created = School created
action-etablissement-updated = School updated
action-account-created = Account created
action-account-disabled = Account disabled
action-account-enabled = Account enabled
action-membership-granted = Role granted
action-membership-revoked = Role removed
action-token-created = API token created
action-token-revoked = API token revoked
action-audit-purged = Log purge (retention)

## Administration
admin-title = Instance administration
admin-new-etab = Add a school
admin-audit = Instance log
academies-title = Académies
academies-new = Add an académie
collectivites-title = Local authorities
collectivites-new = Add a local authority
accounts-title = Accounts
accounts-new = Create an account
accounts-count = { $count } account(s)
grant-title = Grant a role
grant-submit = Grant

## Support organisations
stat-organisations = support organisation(s)
organisations-title = Support organisations
organisations-intro = Private providers, the académie's assistance, the local authority's services: an organisation's technicians see only the schools it serves.
organisations-serves = Schools served
organisations-new = Add an organisation
organisations-edit = Edit the organisation
error-organisation-taken = An organisation already has this name.
action-organisation-created = Organisation created
action-organisation-updated = Organisation updated

## Second factor (TOTP) — block of the second-factor pages
mfa-required-title = Two-step verification required
mfa-required-text = Your account has roles that require two-step verification. Complete it before going on.
mfa-required-link = Complete two-step verification
mfa-qr-alt = QR code to scan with your authenticator app; the key is also given as text below.
mfa-enrol-title = Turn on two-step verification
mfa-enrol-intro = Your roles (head of school, DANE, DPD or administration) give access to sensitive data: signing in asks, besides the password, for a six-digit code given by an authenticator app.
mfa-enrol-step-app = Install an authenticator app
mfa-enrol-step-app-text = On your phone or computer: for example FreeOTP, Aegis, Google Authenticator, Microsoft Authenticator or your school's password manager.
mfa-enrol-step-scan = Add RefNum to the app
mfa-enrol-qr-caption = Scan this QR code with the app.
mfa-enrol-manual = If you cannot scan the code, type this key into the app:
mfa-enrol-secret = Key
mfa-enrol-account = Account
mfa-enrol-kind = Type
mfa-enrol-kind-value = time-based (TOTP), 6 digits, every 30 seconds
mfa-enrol-step-confirm = Confirm with the code shown
mfa-enrol-submit = Turn on
mfa-logout-hint = You can also sign out and come back later.
mfa-field-code = Six-digit code
mfa-field-code-hint = The code shown by your authenticator app, for example 123456.
mfa-code-title = Two-step verification
mfa-code-intro = Type the code shown by your authenticator app.
mfa-code-submit = Verify
mfa-code-wrong = This code is not the right one. Check your device's clock and type the code shown now.
mfa-code-used = This code has already been used. Wait for the next code of your app.
mfa-throttled = Too many wrong attempts. Try again in { $minutes } minute(s).
mfa-recovery-use-title = Use a recovery code
mfa-recovery-use-intro = Without your app, type one of the recovery codes given when you turned verification on. Each code works once.
mfa-field-recovery-code = Recovery code
mfa-recovery-submit = Verify the recovery code
mfa-lost-hint = No app and no recovery code left? Ask the instance administrator to reset your two-step verification.
mfa-recovery-title = Your recovery codes
mfa-recovery-once = Write down or print these codes now and keep them safe: they will not be shown again. Each replaces the app's code once.
mfa-recovery-list = Recovery codes
mfa-enrolled = Two-step verification is on.
mfa-continue = Continue
mfa-settings-title = Two-step verification
mfa-settings-link = Two-step verification
mfa-settings-required = Required by your roles
mfa-yes = Yes
mfa-no = No
mfa-settings-enrolled = App registered on
mfa-settings-not-enrolled = No app registered
mfa-settings-codes-left = Recovery codes left
mfa-regenerate-title = New recovery codes
mfa-regenerate-intro = Generating new codes makes the old ones unusable.
mfa-regenerate-confirm = The old recovery codes will stop working. Go on?
mfa-regenerate-submit = Generate new recovery codes
mfa-admin-title = Two-step verification of the account
mfa-admin-link = Two-step verification
mfa-admin-reset-intro = Resetting removes this account's registered app and recovery codes and closes its sessions: at the next sign-in, the person registers a new app.
mfa-admin-reset-confirm = Reset this account's two-step verification?
mfa-admin-reset-submit = Reset two-step verification
flash-second-facteur-reinitialise = The account's two-step verification was reset; its sessions are closed.
action-auth-second-factor-ok = Two-step verification passed
action-auth-second-factor-failed = Two-step verification failed
action-auth-second-factor-throttled = Two-step verification blocked (too many attempts)
action-auth-second-factor-enrolled = Two-step verification turned on
action-auth-second-factor-reset = Two-step verification reset
action-auth-recovery-code-used = Recovery code used
action-auth-recovery-codes-regenerated = Recovery codes regenerated

## Single sign-on (CAS, OpenID Connect)
sso-login-heading = Or
sso-login-with = Sign in with
sso-back-to-login = Back to the sign-in page
sso-refused-state-title = Sign-in refused: unknown or expired request
sso-refused-state-text = The identity provider's answer matches no pending request of this browser (it may have expired or been used already). Start again from the sign-in page.
sso-refused-provider-title = Sign-in interrupted by the identity provider
sso-refused-provider-text = The identity provider did not authenticate the person (sign-in cancelled or refused). Start again.
sso-refused-ticket-title = Sign-in refused: invalid ticket
sso-refused-ticket-text = The authentication server did not validate the ticket (unknown, expired or issued for another service). Start again.
sso-refused-replayed-title = Sign-in refused: ticket already used
sso-refused-replayed-text = This sign-in ticket has already been used once and cannot be used again. Start again from the sign-in page.
sso-refused-token-title = Sign-in refused: invalid answer from the provider
sso-refused-token-text = The identity provider's answer failed the security checks (signature, issuer, audience, validity or code already used). Start again; if it keeps happening, tell the administrator.
sso-refused-unavailable-title = Identity provider unreachable
sso-refused-unavailable-text = The identity provider did not answer properly. Try again in a few minutes or sign in with your password.
sso-refused-unverified-title = Sign-in refused: e-mail address not verified
sso-refused-unverified-text = The identity provider says this e-mail address is not verified: it cannot be used to find your RefNum account.
sso-refused-no-account-title = No RefNum account for this identity
sso-refused-no-account-text = No RefNum account matches this identity. Ask your digital referent to create an account for you or to check the school's directory.
sso-refused-takeover-title = Sign-in refused: account already linked to another provider
sso-refused-takeover-text = The RefNum account with this e-mail address is already linked to an identity at another provider: a second provider cannot attach to it by the e-mail address alone. Sign in with your usual provider, or ask your digital referent.
sso-refused-disabled-title = Account disabled
sso-refused-disabled-text = The RefNum account of this identity is disabled. Ask your digital referent.
sso-identities-title = Single sign-on identities
sso-identities-intro = The ENT or académie identities you sign in to RefNum with. Unlinking an identity stops it from signing in to this account.
sso-identities-none = No identity is linked to your account.
sso-provider = Provider
sso-linked-at = Linked on
sso-last-login = Last sign-in
sso-actions = Actions
sso-unlink = Unlink
sso-unlink-confirm = Unlink this identity? It will no longer sign in to this account.
flash-identite-deliee = The identity was unlinked from your account.
sso-admin-title = Single sign-on (CAS, OpenID Connect)
sso-admin-intro = The identity providers set in the instance's configuration file (read-only) and how many identities are linked to each.
sso-admin-none = No provider is configured.
sso-id = Identifier
sso-kind = Protocol
sso-endpoint = Address
sso-link = Linking
sso-mfa = Multi-factor values
sso-identities-count = Linked identities
sso-kind-cas = CAS
sso-kind-oidc = OpenID Connect
sso-link-email = by e-mail address
sso-link-annuaire = by the directory
sso-mfa-none = none
action-auth-sso-refused = Single sign-on refused
action-auth-sso-single-logout = Single logout (CAS)
action-sso-identity-linked = Single sign-on identity linked
action-sso-identity-unlinked = Single sign-on identity unlinked

## Annuaire — imports
import-title = Import directory files
import-preview-title = Import preview
import-for-school = School:
import-intro = Upload the files of one source. RefNum reads them, shows you what will change, and applies nothing before you confirm.
import-help-sts = STS-web: the sts_emp_UAI_year.xml file (staff, classes, groups, services, missions).
import-help-siecle = SIECLE / BEE: ElevesSansAdresses.xml, with Nomenclature.xml and Structures.xml if you have them.
import-help-aaf = AAF (the ENT feed): every ficAlimMENESR file of one delivery, including EtabEducNat.
import-help-onde = ONDE (primary schools): the CSV extractions of pupils, teachers and guardians.
import-uai-hint = The school the files are for (7 digits and a letter). If it does not exist yet, it can be created from the file, after your confirmation.
import-files = Files
import-files-hint = One or more XML or CSV files
import-max-size = total size at most
import-max-per-file = per file
import-error-file-too-large = “{ $name }” is larger than { $mb } MiB, the size allowed for a directory file: the upload was stopped, nothing was imported and nothing was kept. Check that it is this school's directory export, or ask the administrator to raise the limit.
import-error-upload-too-large = The files are larger than { $mb } MiB, the size allowed for one import: the upload was stopped, nothing was imported and nothing was kept. Send fewer files at once, or ask the administrator to raise the limit.
import-error-interrupted = The upload was interrupted: nothing was imported. Try again.
import-progress = Upload progress
import-progress-sending = Uploading the files…
import-progress-processing = Files received: reading and comparing…
import-submit = Upload and preview
import-applied = Import applied on
import-discarded = Import discarded: nothing was changed and the uploaded files were deleted.
import-school = School
import-source = Source
import-year = School year
import-total = Changes
import-creates-school = This school does not exist in RefNum yet: it will be created from the file's description.
import-rollover = New school year: classes and groups of earlier years that will be archived:
import-warnings = Warnings
import-diff-caption = What the import will change
import-col-what = Data
import-col-add = To add
import-col-change = To change
import-col-deactivate = To deactivate
import-col-unchanged = Unchanged
import-samples-caption = Examples of changes
import-col-op = Change
import-col-kind = Kind
import-col-name = Name
import-files-caption = Files read
import-col-file = File
import-col-format = Format
import-col-encoding = Encoding
import-col-records = Records
import-col-size = Size
import-kind-staff = Staff
import-kind-pupils = Pupils
import-kind-guardians = Guardians
import-kind-structures = Classes and groups
import-kind-nomenclatures = Nomenclatures
import-op-add = addition
import-op-change = change
import-op-deactivate = deactivation
import-sample-staff = staff
import-sample-pupil = pupil
import-sample-guardian = guardian
import-sample-structure = class or group
import-sample-school = school
import-apply = Apply the import
import-discard = Discard
import-back = Back to the directory
import-choose-academie = Choose the académie of the school to create.
import-confirm-create = Confirm the creation of the school.
import-confirm-create-label = I confirm the creation of this school from the file.
action-annuaire-import-applied = Directory import applied
action-annuaire-import-discarded = Directory import discarded
action-annuaire-rollover = Rollover to the new school year
action-annuaire-departed-purged = Data of people who left deleted

## Annuaire — directory pages (overview, classes, staff, pupils, person)
nav-annuaire = Directory
dir-title = Directory — { $name }
dir-tabs-label = Directory sections
dir-tab-overview = Overview
dir-tab-classes = Classes and groups
dir-tab-staff = Staff
dir-tab-pupils = Pupils
dir-source-sts = STS-web
dir-source-siecle = SIECLE
dir-source-aaf = AAF (ENT)
dir-source-onde = ONDE
dir-search-title = Search the directory
dir-search-label = Last name, first name, INE or class
dir-search-hint = Case and accents are ignored: “lea” finds “Léa”.
dir-search-staff = Search staff
dir-search-pupils = Search pupils
dir-figures = In figures
dir-count-staff = Staff
dir-count-pupils = Enrolled pupils
dir-count-guardians = Guardians
dir-count-divisions = Classes this year
dir-count-groups = Groups this year
dir-fresh-title = Data freshness
dir-fresh-caption = Last import of each source
dir-stale-note = A source not imported for more than { $days } days is flagged “needs updating”.
dir-col-last-import = Last import
dir-col-exported = Export date
dir-col-year = School year
dir-col-age = Age
dir-col-state = State
dir-age-days = { $days ->
    [one] { $days } day
   *[other] { $days } days
}
dir-never-imported = Never imported
dir-stale = Needs updating
dir-fresh = Up to date
dir-imports-title = Last imports
dir-imports-caption = The school's ten last imports
dir-imports-none = No import yet.
dir-import-link = Import files
dir-import-status-preview = Preview, not applied
dir-import-status-applied = Applied
dir-import-status-discarded = Discarded
dir-import-who-system = RefNum (command line or scheduled task)
dir-col-date = Date
dir-col-files = Files
dir-col-changes = Changes
dir-col-who = By
dir-retention-title = Retention of the data of people who left
dir-purge-note = The personal data of people who left the school is deleted { $days } days after they left.
dir-rollover-title = Rollover to the new school year
dir-rollover-explain = The rollover archives the classes and groups of the school years before the one given: they remain readable as archives but are no longer offered. Pupils and staff are not deleted; import the new year's files next. The operation is recorded in the audit log.
dir-rollover-year = First calendar year of the new school year
dir-rollover-year-hint = For example 2025 for the 2025-2026 school year.
dir-rollover-confirm = Archive the classes and groups of earlier school years?
dir-rollover-submit = Archive the classes of earlier years
dir-rollover-year-invalid = Enter a four-digit year, between 2000 and the current school year.
flash-annee-basculee = The classes and groups of earlier years are archived.
dir-classes-title = Classes and groups — { $name }
dir-classes-count = { $count ->
    [0] No class or group
    [one] { $count } class or group
   *[other] { $count } classes and groups
}
dir-classes-show-archived = Also show archived classes
dir-classes-hide-archived = Hide archived classes
dir-classes-none = No class: import an STS-web, SIECLE or AAF file.
dir-classes-caption = Classes and groups of the current year
dir-classes-caption-all = Classes and groups, archived ones included
dir-col-code = Code
dir-col-label = Label
dir-col-kind = Kind
dir-col-mef = MEF
dir-col-pupils = Pupils
dir-col-divisions = Classes of the group
dir-archived = Archived
dir-current = Current
dir-structure-division = Class
dir-structure-group = Group
dir-class-title = { $kind } { $code }
dir-class-staff = Teaching team
dir-class-no-staff = No staff member is attached to this class in the imported files.
dir-class-pupils-title = Pupils
dir-class-pupils = { $count ->
    [0] No pupil
    [one] { $count } pupil
   *[other] { $count } pupils
}
dir-class-pupils-hidden = Your role does not give access to the list of pupils: only their number is shown.
dir-staff-title = Staff — { $name }
dir-staff-caption = Staff of the school
dir-pupils-title = Pupils — { $name }
dir-pupils-caption = Pupils of the school
dir-filters = Filter the list
dir-filter-all = All
dir-include-left = Include people who left
dir-people-count = { $count ->
    [0] No one
    [one] { $count } person
   *[other] { $count } people
}
dir-col-name = Name
dir-col-civility = Title
dir-col-last-name = Last name
dir-col-first-name = First name
dir-col-birth = Date of birth
dir-col-class = Class
dir-col-groups = Groups
dir-col-ine = INE
dir-col-email = E-mail
dir-col-functions = Functions
dir-col-disciplines = Disciplines
dir-col-missions = Missions
dir-col-structures = Classes and groups
dir-col-status = Status
dir-col-account = RefNum account
dir-col-source = Source
dir-col-file = File
dir-col-imported = Imported on
dir-col-relation = Relation
dir-col-legal = Legal guardian
dir-status-active = Present
dir-status-left = Left
dir-left-on = Left on { $date }
dir-kind-staff = Staff
dir-kind-pupil = Pupil
dir-kind-guardian = Guardian
dir-provenance = Provenance
dir-guardians = Guardians
dir-guardian-pupils = Pupils this person is a guardian of
dir-relatives-none = No link in the imported files.
dir-relation-10 = Mother
dir-relation-20 = Father
dir-yes = Yes
dir-no = No
dir-purge-days = Deletion delay, in days
dir-purge-days-hint = One setting for every school of the instance (92 days, about 3 months, by default).
dir-purge-days-submit = Save the delay
dir-purge-days-invalid = Enter a number of days between 1 and 3650.
flash-conservation-enregistree = The deletion delay of the data of people who left is saved.
action-annuaire-purge-delay-changed = Deletion delay of the data of people who left changed
## End of the directory pages

## Parc
error-inventory-number = The inventory number has at most 40 visible characters.

# Journal: event names.
action-etablissement-list-imported = School list imported
action-pilotage-letter-created = Mission letter created
action-pilotage-letter-updated = Mission letter edited
action-pilotage-letter-proposed = Mission letter proposed for signature
action-pilotage-letter-withdrawn = Mission letter taken back to draft
action-pilotage-letter-signed = Mission letter signed
action-pilotage-letter-acknowledged = Mission letter acknowledged by the referent
action-pilotage-comite-member-added = Member added to the digital committee
action-pilotage-comite-member-removed = Member removed from the digital committee
action-pilotage-comite-meeting-created = Digital committee meeting created
action-pilotage-comite-meeting-updated = Digital committee meeting edited
action-pilotage-comite-minutes-recorded = Committee minutes and attendance recorded
action-pilotage-comite-decision-added = Committee decision recorded
action-pilotage-comite-action-created = Committee action created
action-pilotage-comite-action-updated = Committee action edited
action-pilotage-comite-action-status-changed = Committee action status changed
action-pilotage-comite-action-reminded = Overdue committee action reminder sent
