## Knowledge base
nav-kb = Knowledge base
