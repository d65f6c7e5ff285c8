"""Recording: plans (names, durations, disk margin) and the stream-copy recorder (ffmpeg as a child process)."""
