## Parc
nav-parc = Equipment
