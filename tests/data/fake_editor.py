"""A stand-in for $EDITOR in tests: each run applies the next step of a script.

PJ_EDITOR_SCRIPT names a JSON file holding a list of steps. A step is an object with
"write" (the text the editor leaves in the buffer; "{buffer}" is replaced by what it opened
with), "replace" ([old, new] applied to the buffer) and "exit" (the editor's exit status).
The buffer the editor was given is saved to PJ_EDITOR_SEEN, one file per run.
"""

import json
import os
import sys
from pathlib import Path

script = Path(os.environ["PJ_EDITOR_SCRIPT"])
steps = json.loads(script.read_text(encoding="utf-8"))
step = steps.pop(0) if steps else {}
script.write_text(json.dumps(steps), encoding="utf-8")

buffer = Path(sys.argv[1])
opened = buffer.read_text(encoding="utf-8")
seen = Path(os.environ["PJ_EDITOR_SEEN"])
seen.mkdir(exist_ok=True)
(seen / f"run-{len(list(seen.iterdir())) + 1}.md").write_text(opened, encoding="utf-8")
(seen / "last-buffer-path").write_text(str(buffer), encoding="utf-8")

text = opened
if "write" in step:
    text = step["write"].replace("{buffer}", opened)
if "replace" in step:
    old, new = step["replace"]
    text = text.replace(old, new)
buffer.write_text(text, encoding="utf-8")
sys.exit(step.get("exit", 0))
