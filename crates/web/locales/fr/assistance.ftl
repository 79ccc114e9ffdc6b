## Assistance
nav-assistance = Assistance
