# E-mails of the notifications (plain text).
mail-subject-one = [RefNum] { $kind } : { $title }
mail-subject-many = [RefNum] { $count } notifications sur vos tickets
mail-greeting = Bonjour { $name },
mail-intro = { $count ->
    [one] Du nouveau sur un ticket que vous suivez :
   *[other] Du nouveau sur les tickets que vous suivez ({ $count } notifications) :
}
mail-item = { $kind } : { $title }
mail-all = Toutes vos notifications : { $url }
mail-footer = Message envoyé automatiquement par RefNum, merci de ne pas y répondre. Les mêmes notifications sont dans l'application.
