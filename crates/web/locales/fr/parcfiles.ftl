## Parc files
