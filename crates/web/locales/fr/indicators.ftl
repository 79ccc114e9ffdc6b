## Indicators
nav-indicators = Indicateurs
