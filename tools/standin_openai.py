"""A STAND-IN for an OpenAI-compatible vLLM server (the one stand-in of the project). Not a model.

Used by the ocr stage's fault tests (in-process, scripted) and by the compose test of the gpu profile (as a
process in place of `vllm serve`: ``python3 standin_openai.py MODEL --served-model-name NAME --host H --port P``;
other vLLM flags are ignored). Standard library only, so it runs in any image.

It answers ``GET /health``, ``GET /v1/models`` and ``POST /v1/chat/completions``; each page image is recognised by
a hash of its data URL (``image_key``) and gets a scripted sequence of behaviours, one per attempt:

- ``"ok"``: 200 with the text ``page <key>`` (or the fixed ``text`` given);
- ``"500"``: HTTP 500;
- ``"hang"``: no answer for ``hang_s`` seconds (longer than the client's timeout);
- ``"loop"``: 200 with a looping text and finish_reason "length" (a degenerate generation);
- ``"truncated"``: 200 with finish_reason "length";
- ``"say:TEXT"``: 200 with TEXT and finish_reason "stop" (a scripted answer: repeating, hallucinated, ...).

``die_after=N`` makes the server stop for good after N "ok" answers (listening socket closed, later requests
refused): a server that dies mid-run.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import threading
import time
from collections import defaultdict
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def image_key(data_url: str) -> str:
    return hashlib.sha1(data_url.encode()).hexdigest()[:12]


def payload_image_key(payload: dict) -> str:
    for part in payload["messages"][0]["content"]:
        if part.get("type") == "image_url":
            return image_key(part["image_url"]["url"])
    raise ValueError("no image in the request")


class StandInServer:
    def __init__(self, script: dict[str, list[str]] | None = None, die_after: int | None = None,
                 hang_s: float = 5.0, port: int = 0, host: str = "127.0.0.1", model: str = "stand-in",
                 text: str | None = None):
        self.model = model
        self.text = text
        self.script = {key: list(steps) for key, steps in (script or {}).items()}
        self.die_after = die_after
        self.hang_s = hang_s
        self.requests: list[tuple[str, str]] = []  # (image key, behaviour) in arrival order
        self.temperatures: list[tuple[str, float]] = []  # (image key, the request's temperature), likewise
        self.answered: dict[str, int] = defaultdict(int)  # image key -> "ok" answers
        self.dead = False
        self._lock = threading.Lock()
        self._httpd = ThreadingHTTPServer((host, port), self._handler())
        self._httpd.daemon_threads = True
        self.port = self._httpd.server_address[1]
        self.url = f"http://{host}:{self.port}"
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    def start(self) -> StandInServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        with self._lock:
            if self.dead:
                return
            self.dead = True
        threading.Thread(target=self._shutdown, daemon=True).start()

    def _shutdown(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def __enter__(self) -> StandInServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def _next_behaviour(self, key: str, temperature: float | None = None) -> str:
        with self._lock:
            steps = self.script.get(key)
            behaviour = steps.pop(0) if steps else "ok"
            self.requests.append((key, behaviour))
            self.temperatures.append((key, temperature))
            return behaviour

    def _answered_ok(self, key: str) -> None:
        with self._lock:
            self.answered[key] += 1
            total = sum(self.answered.values())
        if self.die_after is not None and total >= self.die_after:
            self.stop()

    def _handler(self):
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:
                pass

            def _json(self, status: int, body: dict) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:
                if server.dead:
                    self.close_connection = True
                    return
                if self.path == "/health":
                    self._json(200, {})
                elif self.path == "/v1/models":
                    self._json(200, {"object": "list", "data": [{"id": server.model, "object": "model"}]})
                else:
                    self._json(404, {"error": "not found"})

            def do_POST(self) -> None:
                payload = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                if server.dead or self.path != "/v1/chat/completions":
                    self.close_connection = True  # a dead server: the connection drops without an answer
                    return
                key = payload_image_key(payload)
                behaviour = server._next_behaviour(key, payload.get("temperature"))
                if behaviour == "500":
                    self._json(500, {"error": "stand-in internal error"})
                    return
                if behaviour == "hang":
                    time.sleep(server.hang_s)
                    self.close_connection = True
                    return
                text, finish = server.text or f"page {key}", "stop"
                if behaviour == "loop":
                    text, finish = f"page {key} " + "the same words again " * 60, "length"
                elif behaviour == "truncated":
                    finish = "length"
                elif behaviour.startswith("say:"):
                    text = behaviour.removeprefix("say:")
                self._json(200, {
                    "choices": [{"message": {"content": text}, "finish_reason": finish}],
                    "usage": {"prompt_tokens": 100, "completion_tokens": 10, "total_tokens": 110},
                })
                if behaviour == "ok":
                    server._answered_ok(key)

        return Handler


def main(argv: list[str] | None = None) -> None:
    """Serve until killed, as `vllm serve` would (the text of every page: $FINEPDFS_STANDIN_TEXT)."""
    import os

    parser = argparse.ArgumentParser(description="OpenAI-compatible stand-in server (not a model)")
    parser.add_argument("model", nargs="?", default="stand-in")
    parser.add_argument("--served-model-name", default=None)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    args, _ignored_vllm_flags = parser.parse_known_args(argv)
    server = StandInServer(host=args.host, port=args.port, model=args.served_model_name or args.model,
                           text=os.environ.get("FINEPDFS_STANDIN_TEXT"))
    print(f"stand-in OpenAI server on {server.url} as model {server.model}", flush=True)
    server._httpd.serve_forever()


if __name__ == "__main__":
    main()
