## Indicators
nav-indicators = Indicators
