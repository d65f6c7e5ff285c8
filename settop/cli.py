"""Command line: run the app, ``inspect`` a playlist, ``check`` its streams, ``doctor`` the environment.

No Qt or vlc import happens here: the app and the player are imported only when the app is started.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from settop import __version__
from settop.i18n import N_, _, set_language

SUBCOMMANDS = ("inspect", "check", "doctor", "record")

# argparse's own words (Python ships no translations for them): in our catalogue, and argparse asks ours.
ARGPARSE_WORDS = (
    N_("usage: "), N_("positional arguments"), N_("options"), N_("show this help message and exit"),
    N_("show program's version number and exit"), N_("the following arguments are required: %s"),
    N_("unrecognized arguments: %s"), N_("%(prog)s: error: %(message)s\n"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"), N_("argument %(argument_name)s: %(message)s"),
    N_("expected one argument"), N_("invalid %(type)s value: %(value)r"),
)
argparse._ = _  # type: ignore[attr-defined]  # argparse looks its messages up through this module global

EPILOG = N_("""examples:
  settop                                  resume the last playlist (first run: the welcome screen)
  settop --demo-if-empty                  ... or the demo channels when no playlist is set (make run)
  settop --demo                           watch the bundled demo channels
  settop ~/tv/playlist.m3u --epg https://example.com/guide.xml.gz
  settop inspect playlist.m3u --json      show what settop reads in a playlist
  settop inspect playlist.m3u --epg guide.xml.gz   ... and how the guide matches
  settop inspect a.m3u b.m3u --json       two playlists merged into one lineup
  settop inspect --xtream http://provider.example:8080 --username U --password P   what an account offers
  settop check playlist.m3u --parallel 8  find the dead channels of a playlist
  settop doctor                           libVLC, decoders, video backend, data folders
  settop record 5 --duration 30m          record channel 5 of your playlist for half an hour
""")


def _app_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="settop",
        description=_("A remote-first IPTV player: your own M3U playlist and XMLTV guide, played by libVLC."),
        epilog=_commands_help() + "\n\n" + _(EPILOG),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("playlist", nargs="?", help=_("playlist file or http(s) URL (default: the last one used)"))
    parser.add_argument("--epg", action="append", default=[], metavar="URL", help=_("XMLTV guide file or URL"))
    parser.add_argument("--xtream", metavar="SERVER",
                        help=_("watch a provider account (Xtream Codes player API) on this server; remembered"))
    parser.add_argument("--username", metavar="NAME", help=_("the account's user name (with --xtream)"))
    parser.add_argument("--password", metavar="PASSWORD", help=_("the account's password (with --xtream)"))
    parser.add_argument("--demo", action="store_true", help=_("watch the bundled demo channels"))
    parser.add_argument("--demo-if-empty", action="store_true",
                        help=_("with no playlist configured, start on the demo channels instead of the welcome screen"))
    parser.add_argument("--windowed", action="store_true", help=_("start in a window instead of full screen"))
    parser.add_argument("--backend", choices=("auto", "native", "frames"), help=_("video backend for this run"))
    parser.add_argument("-v", "--verbose", action="count", default=0, help=_("more log output (-vv for debug)"))
    _log_filter_option(parser)
    parser.add_argument("--version", action="version", version=f"settop {__version__}",
                        help=_("show program's version number and exit"))
    return parser


TOOL_DESCRIPTIONS = {
    "inspect": N_("Show what settop reads in a playlist (and, with --epg, how a guide matches it)."),
    "check": N_("Probe every stream of a playlist and report the dead ones and why."),
    "record": N_("Record a stream, or a channel of your playlist by number or name, for a while (a stream copy, "
                 "no re-encoding; into the recordings folder unless --out names a file)."),
    "doctor": N_("Report libVLC and its plugins, hardware decoders, the video backend and why, Qt, ffmpeg, "
                 "settop's folders and settings; exits 1 when something settop needs is missing."),
}


def _commands_help() -> str:
    """The subcommands, for ``settop --help`` (each has its own ``settop COMMAND --help``)."""
    lines = [_("commands (settop COMMAND --help for each):")]
    lines += [f"  {name:<10}{_(TOOL_DESCRIPTIONS[name])}" for name in SUBCOMMANDS]
    return "\n".join(lines)


def _tool_parser(name: str) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=f"settop {name}", description=_(TOOL_DESCRIPTIONS[name])
                                     if name in TOOL_DESCRIPTIONS else None)
    parser.add_argument("-v", "--verbose", action="count", default=0, help=_("more log output"))
    _log_filter_option(parser)
    if name == "check":
        parser.add_argument("playlist", help=_("playlist file or http(s) URL"))
    if name == "inspect":
        parser.add_argument("playlist", nargs="*",
                            help=_("playlist file or http(s) URL; several are merged into one lineup"))
        parser.add_argument("--xtream", metavar="SERVER",
                            help=_("a provider account's server (Xtream Codes player API) instead of a playlist"))
        parser.add_argument("--username", metavar="NAME", help=_("the account's user name (with --xtream)"))
        parser.add_argument("--password", metavar="PASSWORD", help=_("the account's password (with --xtream)"))
    if name in ("inspect", "check"):
        parser.add_argument("--json", action="store_true", help=_("machine-readable output"))
        parser.add_argument("--show-secrets", action="store_true",
                            help=_("show passwords, tokens and other secrets in addresses (masked by default)"))
    if name == "doctor":
        parser.add_argument("--json", action="store_true", help=_("machine-readable output"))
    if name == "record":
        parser.add_argument("target", metavar="URL_OR_CHANNEL",
                            help=_("a stream address, or a channel of the playlist by number or name"))
        parser.add_argument("--duration", required=True, metavar="LENGTH", help=_("how long: 30m, 1h30m, 90s"))
        parser.add_argument("--out", metavar="FILE", help=_("the file to write (default: named after the channel "
                                                            "and the time, in the recordings folder)"))
        parser.add_argument("--playlist", metavar="PLAYLIST",
                            help=_("the playlist the channel is in (default: your first playlist)"))
    if name == "inspect":
        parser.add_argument("--epg", action="append", default=[], metavar="GUIDE", help=_("XMLTV guide to match"))
    if name == "check":
        parser.add_argument("--parallel", type=int, default=8, metavar="N", help=_("streams probed at once"))
        parser.add_argument("--timeout", type=float, default=10.0, metavar="S", help=_("seconds per stream"))
    return parser


def _log_filter_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--log-filter", metavar="CAT[,CAT]",
                        help=_("log only these categories below warnings (!CAT: all but these); the categories "
                               "are listed in settop/logcats.py"))


def _setup_logging(parser: argparse.ArgumentParser, args: argparse.Namespace) -> None:
    from settop import logcats
    from settop.core.redact import install_logging

    verbose = args.verbose
    level = logging.WARNING if verbose == 0 else logging.INFO if verbose == 1 else logging.DEBUG
    if args.log_filter:
        try:
            logcats.parse_filter(args.log_filter)
        except logcats.UnknownCategory as exc:
            parser.error(_("unknown log category {names}; known: {known}").format(
                names=", ".join(exc.names), known=", ".join(sorted(logcats.CATEGORIES))))
    install_logging(level)
    if args.log_filter:
        logcats.install_filter(args.log_filter)


def _setup_log_file(verbose: int) -> None:
    """The app (not the one-shot commands) also logs to a rotating file, repeats collapsed (settop.core.logfile)."""
    from settop.core import logfile
    from settop.core.state import paths

    level = logging.WARNING if verbose == 0 else logging.INFO if verbose == 1 else logging.DEBUG
    try:
        logfile.install(paths.cache_dir() / "log", level)
        logfile.capture_native_stderr()
    except OSError as exc:
        logging.getLogger("settop").warning("no log file: %s", exc)


def main(argv: Sequence[str] | None = None) -> int:
    """Parse ``argv`` and run; returns the process exit code. Errors are one redacted line on stderr."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    if argv is None:  # the settop process (not a test calling main): everything it writes is the owner's only
        from settop.core.state.paths import make_private

        make_private()
    set_language("")  # the terminal's language (LANGUAGE, LC_ALL, LC_MESSAGES, LANG); the app then applies its own
    try:
        if args_list and args_list[0] in SUBCOMMANDS:
            name = args_list[0]
            parser = _tool_parser(name)
            args = parser.parse_args(args_list[1:])
            if name == "inspect" and not args.playlist and not args.xtream:
                parser.error(_("name a playlist, or a provider account with --xtream"))
            _setup_logging(parser, args)
            if name == "inspect":
                from settop.commands import inspect

                return inspect.run(args)
            if name == "check":
                from settop.commands import check

                return check.run(args)
            if name == "record":
                from settop.commands import record

                return record.run(args)
            from settop.commands import doctor

            return doctor.run(args)
        app_parser = _app_parser()
        args = app_parser.parse_args(args_list)
        _setup_logging(app_parser, args)
        _setup_log_file(args.verbose)
        from settop import app

        return app.run(args)
    except KeyboardInterrupt:
        print(_("settop: interrupted"), file=sys.stderr)
        return 130
    except Exception as exc:  # the last line of defence: one readable, redacted line, never a traceback
        from settop.core.redact import redact

        logging.getLogger("settop").debug("unhandled error", exc_info=True)
        print(f"settop: error: {redact(str(exc)) or type(exc).__name__}", file=sys.stderr)
        return 1
