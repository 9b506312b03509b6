"""Runs `tapio sql` and returns its answer as a pandas DataFrame: how the notebooks read the history.

The command is ../tapio from a checkout (it builds Tapio on first use). Set TAPIO to run another
command line, e.g. without the launcher:

    TAPIO="java @launcher/jvm.options -cp flink-jobs/target/classes:$(cat flink-jobs/target/tapio.classpath) io.tapio.cli.Tapio"

and TAPIO_DATA_DIR to read another history than the launcher's default (.tapio/data).

Each query is one `tapio sql`. With a SQL service running for the same history
(`./tapio sql --serve --data-dir DIR`, or `./tapio run --sql`) it answers through the service in
about a second; without one it plans and runs the query in its own JVM, several seconds each.
"""
import io
import os
import shlex
import subprocess

import pandas as pd

TAPIO = shlex.split(os.environ.get("TAPIO", os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tapio")))
DATA_DIR = os.environ.get("TAPIO_DATA_DIR")


def sql(query, times=()):
    """The answer to one Flink SQL statement; the columns named in `times` are parsed as UTC timestamps."""
    command = TAPIO + ["sql", query, "--format", "csv"] + (["--data-dir", DATA_DIR] if DATA_DIR else [])
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"tapio sql exited with {done.returncode}: {done.stderr.strip()}")
    frame = pd.read_csv(io.StringIO(done.stdout))
    for column in times:
        frame[column] = pd.to_datetime(frame[column], utc=True)
    return frame
