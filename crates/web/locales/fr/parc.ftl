## Parc
nav-parc = Parc
