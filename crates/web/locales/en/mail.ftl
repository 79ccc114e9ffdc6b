# E-mails of the notifications (plain text).
mail-subject-one = [RefNum] { $kind }: { $title }
mail-subject-many = [RefNum] { $count } notifications on your tickets
mail-greeting = Hello { $name },
mail-intro = { $count ->
    [one] There is news on a ticket you follow:
   *[other] There is news on the tickets you follow ({ $count } notifications):
}
mail-item = { $kind }: { $title }
mail-all = All your notifications: { $url }
mail-footer = Message sent automatically by RefNum, please do not reply. The same notifications are in the application.
