"""Use cases. They own transactions and permissions; edges parse input and render results."""
