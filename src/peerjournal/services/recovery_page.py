"""The printable recovery-key page: what the key is, where it opens, and how to use it."""

import html
from datetime import datetime
from pathlib import Path

_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>peerjournal recovery key</title>
<style>
body {{ font-family: system-ui, sans-serif; max-width: 40em; margin: 2em auto; line-height: 1.5; }}
.key {{ font-family: ui-monospace, monospace; font-size: 1.4em; letter-spacing: .05em;
  border: 2px solid #000; padding: .8em; word-break: break-all; }}
</style></head><body>
<h1>peerjournal recovery key</h1>
<p>This key opens the encrypted data home below if the passphrase is forgotten. Anyone who has
it and a copy of the home can read every note in it: keep this page somewhere safe and apart
from the computer, and delete the file once it is printed.</p>
<p class="key">{key}</p>
<dl>
<dt>Data home</dt><dd>{home}</dd>
<dt>Made</dt><dd>{made}</dd>
</dl>
<h2>To use it</h2>
<ol>
<li>Run <code>peerjournal passphrase change --recovery</code> and type the key when asked.</li>
<li>Choose a new passphrase. The key keeps working until <code>peerjournal recovery new</code>
replaces it.</li>
<li>Without peerjournal, <code>tools/decrypt_home.py</code> from its source opens the home
with this key (<code>--recovery-key-file</code>).</li>
</ol>
</body></html>
"""


def recovery_page(recovery: str, home: Path, made: datetime) -> str:
    """The page's HTML (everything escaped; the home path may hold any character)."""
    return _PAGE.format(
        key=html.escape(recovery),
        home=html.escape(str(home)),
        made=html.escape(f"{made:%Y-%m-%d %H:%M}"),
    )
