"""What every context of the hub runs on: the command bus, the pump's worker, dead letters."""
