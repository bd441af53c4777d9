"""People and places: users, roles, customers, cafés (outlets) and the shared visit."""
