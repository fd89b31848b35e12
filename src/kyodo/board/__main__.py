"""``python -m kyodo.board``: the room board over a folder (``--folder``) or as the hub's service (``--hub``)."""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from pathlib import Path

from ..text import msg


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m kyodo.board", description=msg("board.description"))
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--folder", type=Path, help=msg("board.help_folder"))
    where.add_argument("--hub", action="store_true", help=msg("board.help_hub"))
    parser.add_argument("--port", type=int, default=8765, help=msg("board.help_port"))
    args = parser.parse_args(argv)

    from .server import counting_for, folder_source, hub_source, lesson_titles, make_app

    counting, lessons = counting_for(), lesson_titles()
    if args.hub:
        from urllib.parse import urlsplit

        prefix = os.environ.get("JUPYTERHUB_SERVICE_PREFIX", "/services/board/")
        bind = urlsplit(os.environ.get("JUPYTERHUB_SERVICE_URL", f"http://127.0.0.1:{args.port}"))
        app = make_app(hub_source(counting, lessons), prefix, hub=True)
        host, port = bind.hostname or "127.0.0.1", bind.port or args.port
    else:
        folder = args.folder.expanduser()
        if not folder.is_dir():
            print(msg("board.no_folder", folder=folder), file=sys.stderr)
            return 2
        app = make_app(folder_source(folder, counting, lessons), "/")
        host, port = "127.0.0.1", args.port
        print(msg("board.serving", url=f"http://{host}:{port}/"), flush=True)

    async def serve() -> None:
        app.listen(port, address=host)
        await asyncio.Event().wait()

    try:
        asyncio.run(serve())
    except KeyboardInterrupt:
        return 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
