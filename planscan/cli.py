"""Command line: parse options, call the library, map errors to exit codes in one place.

Each command is a thin wrapper around one library function. Commands return an ``ExitCode``
(or None for success); exceptions derived from ``PlanscanError`` become one line on stderr.
"""

from __future__ import annotations

import sys

import click

from planscan import __version__
from planscan.errors import ExitCode, PlanscanError


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="planscan")
def cli() -> None:
    """Turn scanned Vietnamese plans into correct text and comparable figures."""


# --- commands: each section below is owned by one module of the library ---

# [ocr]

# [restore]

# [extract]

# [sections]

# [diff]

# [ingest]

# [series]

# [batch]


def main(argv: list[str] | None = None) -> None:
    try:
        rv = cli.main(args=argv, prog_name="planscan", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("planscan: interrupted", err=True)
        sys.exit(ExitCode.interrupted)
    except KeyboardInterrupt:
        click.echo("planscan: interrupted", err=True)
        sys.exit(ExitCode.interrupted)
    except click.exceptions.Exit as e:  # --help, --version
        sys.exit(e.exit_code)
    except click.ClickException as e:
        e.show()
        sys.exit(e.exit_code)
    except PlanscanError as e:
        click.echo(f"planscan: error: {e}", err=True)
        sys.exit(int(e.exit_code))
    sys.exit(int(rv or 0))


if __name__ == "__main__":
    main()
