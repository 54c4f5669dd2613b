"""Hub admins: accounts, sign-in, browser sessions and the guessing limits."""
