"""The on-site node: replica, check-in, sales, printing and scanning on a Raspberry Pi."""
