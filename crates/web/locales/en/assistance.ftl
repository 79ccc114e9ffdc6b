## Assistance
nav-assistance = Helpdesk
