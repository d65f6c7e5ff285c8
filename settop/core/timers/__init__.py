"""Time policies of the TV: reminders before programmes and the sleep timer, pure and driven by a clock."""
