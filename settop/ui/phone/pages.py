"""The HTML the phone page serves: one small form (or download link) per kind, in the TV's language; no scripts."""

from __future__ import annotations

import html

from settop.core.state.backup import DEFAULT_FILE
from settop.i18n import _, is_rtl, language

DOWNLOAD_NAME = DEFAULT_FILE  # the backup's file name on the phone
_STYLE = ("body{font:18px sans-serif;margin:1.2em;background:#111;color:#eee}input{font-size:18px;width:100%}"
          "button,a.button{font-size:20px;padding:.4em 1.2em;display:inline-block}a{color:#7fb2ff}"
          ".warn{color:#ffd27f;font-weight:bold}")


def _document(title: str, body: str) -> str:
    direction = "rtl" if is_rtl() else "ltr"
    return (f'<!doctype html><html lang="{html.escape(language())}" dir="{direction}"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1"><title>settop</title>'
            f"<style>{_STYLE}</style></head><body>\n<h1>{html.escape(title)}</h1>\n{body}</body></html>")


def _p(text: str, css: str = "") -> str:
    return f'<p{f" class={css!r}" if css else ""}>{html.escape(text)}</p>\n'


def _field(label: str, name: str, kind: str, extra: str = "") -> str:
    return (f'<p><label>{html.escape(label)}<br><input type="{kind}" name="{name}" {extra}></label></p>\n')


def form_page(kind: str, token: str, nonce: str) -> str:
    """The page at the token's address for one kind of listener."""
    action = f"/t/{html.escape(token)}"
    if kind == "backup":
        return _document(_("Download your settop backup"), "".join([
            _p(_("This file holds your playlists and provider accounts WITH THEIR PASSWORDS. Keep it private."),
               "warn"),
            f'<p><a class="button" href="{action}/{DOWNLOAD_NAME}" download="{DOWNLOAD_NAME}">'
            f'{html.escape(_("Download {name}").format(name=DOWNLOAD_NAME))}</a></p>\n',
            _p(_("The page closes after one download.")),
        ]))
    fields = {
        "playlist": (_field(_("Address:"), "address", "url", 'placeholder="https://"')
                     + _field(_("or a file:"), "file", "file", 'accept=".m3u,.m3u8,audio/x-mpegurl"')),
        "guide": _field(_("Address:"), "address", "url", 'placeholder="https://"'),
        "account": (_field(_("Server address:"), "server", "url",
                           'placeholder="http://provider.example:8080" required autocapitalize="none"')
                    + _field(_("User name:"), "username", "text",
                             'required autocapitalize="none" autocomplete="username" spellcheck="false"')
                    + _field(_("Password:"), "password", "password", 'required autocomplete="current-password"')),
        "restore": _field(_("Backup file:"), "file", "file", 'accept=".json,application/json" required'),
    }[kind]
    title = {"playlist": _("Add a playlist (M3U)"), "guide": _("Add a guide (XMLTV)"),
             "account": _("Add a provider account (Xtream Codes)"), "restore": _("Restore a settop backup")}[kind]
    confirm = (_("The TV shows what the file holds and asks you to confirm before anything is replaced.")
               if kind == "restore" else _("The TV asks you to confirm before anything is kept."))
    return _document(title, "".join([
        f'<form method="post" enctype="multipart/form-data" action="{action}">\n',
        f'<input type="hidden" name="nonce" value="{html.escape(nonce)}">\n',
        fields,
        f'<p><button type="submit">{html.escape(_("Send to the TV"))}</button></p></form>\n',
        _p(confirm),
    ]))


def done_page() -> str:
    """After an accepted submission."""
    return _document(_("Sent."), _p(_("Confirm on the TV. This page is now closed.")))


def missing_page() -> str:
    """A form sent with a field left empty: nothing was handed over and the page stays open."""
    return _document(_("Nothing was sent"), _p(_("Fill in every field, then go back and send it again.")))
