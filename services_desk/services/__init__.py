"""Write operations of the service desk, one module per concern."""
