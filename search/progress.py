"""A progress line for long commands: a bar on a terminal, a line per tenth otherwise."""


class ProgressBar:
    WIDTH = 30

    def __init__(self, stream, total: int, label: str):
        self.stream = stream
        self.total = max(total, 0)
        self.label = label
        self.interactive = getattr(stream, "isatty", lambda: False)()
        self.last_tenth = -1

    def __call__(self, done: int) -> None:
        if self.total == 0:
            return
        fraction = min(done / self.total, 1.0)
        if self.interactive:
            filled = int(fraction * self.WIDTH)
            bar = "#" * filled + "." * (self.WIDTH - filled)
            self.stream.write(f"\r{self.label} [{bar}] {done}/{self.total}", ending="")
            if done >= self.total:
                self.stream.write("")
            self.stream.flush()
            return
        tenth = int(fraction * 10)
        if tenth != self.last_tenth:
            self.last_tenth = tenth
            self.stream.write(f"{self.label}: {done}/{self.total} ({tenth * 10}%)")
