"""Hand-made incremental updates, for PDFs no writing library would produce."""

import re


def with_update(data: bytes, objects: dict[int, bytes]) -> bytes:
    """The PDF with an incremental update appended that adds or replaces numbered objects."""
    previous_xref = int(re.findall(rb"startxref\s+(\d+)", data)[-1])
    root = re.search(rb"/Root\s+(\d+\s+\d+\s+R)", data).group(1)
    update = data + b"\n"
    offsets = {}
    for number, body in objects.items():
        offsets[number] = len(update)
        update += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref_at = len(update)
    update += b"xref\n0 1\n0000000000 65535 f \n"
    for number, offset in offsets.items():
        update += b"%d 1\n%010d 00000 n \n" % (number, offset)
    return update + b"trailer\n<< /Size %d /Root %s /Prev %d >>\nstartxref\n%d\n%%%%EOF\n" % (
        max(objects) + 1,
        root,
        previous_xref,
        xref_at,
    )
