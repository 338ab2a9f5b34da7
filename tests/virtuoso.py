"""A throw-away Virtuoso server for the tests: Debian's virtuoso-t on free loopback ports, data in a directory."""

import shutil
import subprocess
import time
import urllib.request

import pytest
from test_backends import free_port

INI = """[Database]
DatabaseFile = {d}/virtuoso.db
ErrorLogFile = {d}/virtuoso.log
LockFile = {d}/virtuoso.lck
TransactionFile = {d}/virtuoso.trx
xa_persistent_file = {d}/virtuoso.pxa
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {d}/virtuoso-temp.db
TransactionFile = {d}/virtuoso-temp.trx
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql}
NumberOfBuffers = 20000
MaxDirtyBuffers = 15000
DirsAllowed = ., {d}
CheckpointInterval = 0

[HTTPServer]
ServerPort = 127.0.0.1:{http}
ServerThreads = 4
MaxClientConnections = 4

[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = 120
"""
# what a group does once to let its server take data over the Graph Store Protocol without a password
OPEN_FOR_WRITING = 'GRANT SPARQL_UPDATE TO "SPARQL"; DB.DBA.RDF_DEFAULT_USER_PERMS_SET (\'nobody\', 7);'


class Virtuoso:
    def __init__(self, directory):
        for tool in ("virtuoso-t", "isql-vt"):
            if shutil.which(tool) is None:
                pytest.fail(f"{tool} is missing: make test installs Debian's virtuoso-opensource-7-bin")
        self.sql, http = free_port(), free_port()
        (directory / "virtuoso.ini").write_text(INI.format(d=directory, sql=self.sql, http=http))
        self.log = directory / "virtuoso.log"
        self.process = subprocess.Popen(["virtuoso-t", "+foreground", "+configfile", str(directory / "virtuoso.ini")],
                                        cwd=directory, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.url = f"http://127.0.0.1:{http}/sparql"
        self.store_url = f"http://127.0.0.1:{http}/sparql-graph-crud"
        self._wait()
        self.isql(OPEN_FOR_WRITING)

    def _wait(self):
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"virtuoso-t stopped at start: {self.log.read_text()[-500:] if self.log.exists() else ''}")
            try:
                with urllib.request.urlopen(f"{self.url}?query=ASK%7B%7D", timeout=5):
                    return
            except OSError:
                time.sleep(0.3)
        pytest.fail("virtuoso-t did not answer within 120 s")

    def isql(self, statements: str) -> None:
        subprocess.run(["isql-vt", str(self.sql), "dba", "dba", f"exec={statements}"], check=True,
                       stdout=subprocess.DEVNULL, timeout=60)

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
