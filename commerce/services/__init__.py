"""Write operations of the storefront: carts, checkout, orders and their payments."""
