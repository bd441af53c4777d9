"""Write operations of the accounts domain."""
