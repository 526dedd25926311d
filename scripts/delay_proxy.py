#!/usr/bin/env python3
"""A TCP proxy that puts a database "in another region": every chunk of bytes is delivered a fixed
delay after it arrived, in each direction, so a round trip costs twice the delay while bandwidth and
ordering are untouched. Used by the benchmark (scripts/bench.py); loopback only.

  delay_proxy.py LISTEN_PORT TARGET_PORT DELAY_MS STATS_FILE

For every connection it appends one line to STATS_FILE when the connection closes:
  <close time> <client turns> <bytes up> <bytes down>
A "client turn" is a burst of client bytes that follows bytes from the server (or opens the
connection): the number of times the client had to wait for an answer before it could go on, which
is what a round trip costs. Pipelined messages sent before the answer arrives count once.
"""

import asyncio
import sys
import time


async def pump(reader, writer, delay, on_chunk):
    """Copies reader to writer, each chunk held back `delay` seconds after it arrived."""
    queue = asyncio.Queue()

    async def deliver():
        while True:
            due, data = await queue.get()
            if data is None:
                break
            wait = due - time.monotonic()
            if wait > 0:
                await asyncio.sleep(wait)
            writer.write(data)
            await writer.drain()
        try:
            writer.write_eof()
        except (OSError, RuntimeError):
            pass

    task = asyncio.create_task(deliver())
    try:
        while True:
            data = await reader.read(65536)
            if not data:
                break
            on_chunk(len(data))
            queue.put_nowait((time.monotonic() + delay, data))
    except (ConnectionError, OSError):
        pass
    queue.put_nowait((0, None))
    try:
        await task
    except (ConnectionError, OSError):
        pass


async def main():
    listen, target, delay_ms, stats = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]), sys.argv[4]
    delay = delay_ms / 1000.0

    async def handle(creader, cwriter):
        try:
            sreader, swriter = await asyncio.open_connection("127.0.0.1", target)
        except OSError:
            cwriter.close()
            return
        st = {"turns": 0, "up": 0, "down": 0, "last": "server"}

        def up(n):
            if st["last"] == "server":
                st["turns"] += 1
            st["last"] = "client"
            st["up"] += n

        def down(n):
            st["last"] = "server"
            st["down"] += n

        await asyncio.gather(pump(creader, swriter, delay, up), pump(sreader, cwriter, delay, down))
        for w in (cwriter, swriter):
            w.close()
        with open(stats, "a") as f:
            f.write(f"{time.time():.6f} {st['turns']} {st['up']} {st['down']}\n")

    server = await asyncio.start_server(handle, "127.0.0.1", listen)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        pass
