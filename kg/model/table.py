"""A result as every command and the Python API hand it on: title, columns, rows and a note."""


class Table:
    def __init__(self, title: str, columns: list[str], rows: list[dict], note: str = "", headers: dict | None = None,
                 hidden: tuple = (), key: int = 1, axes: tuple[str, str] | None = None):
        self.title, self.columns, self.rows, self.note = title, columns, rows, note
        self.headers = headers or {}  # column -> printed header
        self.hidden = hidden          # columns left out of the text table (kept in JSON and CSV)
        self.key = key                # leading columns repeated when a wide text table is split
        self.axes = axes              # a grid's (rows, columns) names: the text table may be transposed

