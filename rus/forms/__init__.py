"""Forms of the `rus` package: `accounts` (login, password reset), `strategy` (R13, R14)."""
