## Knowledge base
nav-kb = Base de connaissances
