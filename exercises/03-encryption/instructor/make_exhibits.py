"""Show the phone exhibits of 03-encryption and their answers for one world (instructor only).

The exhibits are evidence now, made per trainee by :mod:`darktrail.world.messages`
(``messages/phone_extraction.json``; answers in ``truth.phone``). This prints them for the
shared world, or for a trainee of a course whose key you give as 64 hex digits:

    .venv/bin/python exercises/03-encryption/instructor/make_exhibits.py [TRAINEE KEY_HEX]
"""

import json
import sys

from darktrail.world import generate

if len(sys.argv) == 3:
    world = generate("default", sys.argv[1], course_key=bytes.fromhex(sys.argv[2]))
else:
    world = generate("default", None)
print(world.files["messages/phone_extraction.json"].decode("utf-8"))
print(json.dumps(world.truth.to_json()["phone"], indent=2, ensure_ascii=False))
