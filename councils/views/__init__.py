"""Register pages: councils, memberships, organisations, people, imports and history."""
