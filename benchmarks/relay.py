"""Child process: a TCP relay on loopback that is the venue's internet link, up or down.

`python -m benchmarks.relay --listen PORT --target PORT [--down]` forwards bytes both ways.
SIGUSR2 cuts the link (open connections are closed, new ones are closed as soon as they are
accepted: the caller sees a reset, as when the uplink drops); SIGUSR1 heals it. Bytes are
copied as they come, so it adds a hop, not a protocol, to what crosses it.
"""
from __future__ import annotations

import argparse
import asyncio
import signal


class Link:
    def __init__(self, target: int, up: bool):
        self.target, self.up = target, up
        self.open: set[asyncio.StreamWriter] = set()

    def cut(self) -> None:
        self.up = False
        for writer in list(self.open):
            writer.transport.abort()

    async def accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        if not self.up:
            writer.transport.abort()
            return
        try:
            up_reader, up_writer = await asyncio.open_connection("127.0.0.1", self.target)
        except OSError:
            writer.transport.abort()
            return
        self.open.update((writer, up_writer))
        await asyncio.gather(self.pipe(reader, up_writer), self.pipe(up_reader, writer))
        self.open.difference_update((writer, up_writer))

    @staticmethod
    async def pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        except (ConnectionError, OSError):
            pass
        finally:
            writer.close()   # flushes what is buffered, then closes


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--listen", type=int, required=True)
    parser.add_argument("--target", type=int, required=True)
    parser.add_argument("--down", action="store_true")
    args = parser.parse_args()
    link = Link(args.target, not args.down)
    loop = asyncio.get_running_loop()
    loop.add_signal_handler(signal.SIGUSR1, lambda: setattr(link, "up", True))
    loop.add_signal_handler(signal.SIGUSR2, link.cut)
    server = await asyncio.start_server(link.accept, "127.0.0.1", args.listen)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    asyncio.run(main())
