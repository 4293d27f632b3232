"""A stand-in for the gpu profile's vLLM server in the compose test (no GPU here): an OpenAI-compatible
chat-completions endpoint on 0.0.0.0:8000 that answers every page with the same English paragraph, plus
/health and /v1/models as vLLM has them. Started by compose.yaml's vllm wrapper in place of `vllm serve`
(extra command-line arguments are the vLLM flags: ignored)."""

from __future__ import annotations

import json
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

MARKER = "stand-in OCR server"
TEXT = (
    f"This page was read by the {MARKER} of the compose test. The committee met on a Tuesday evening and agreed "
    "that the allotment gates will be locked at dusk from the first of November, that the water troughs will be "
    "drained before the frost, and that new members may collect their keys from the secretary on Saturdays."
)


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
        if self.path == "/health":
            self._json(200, {})
        elif self.path == "/v1/models":
            self._json(200, {"object": "list", "data": [{"id": "reducto/RolmOCR", "object": "model"}]})
        else:
            self._json(404, {"error": "not found"})

    def do_POST(self) -> None:
        payload = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        if self.path != "/v1/chat/completions" or payload.get("model") != "reducto/RolmOCR":
            self._json(404, {"error": f"unknown path or model: {self.path} {payload.get('model')}"})
            return
        self._json(200, {
            "choices": [{"message": {"role": "assistant", "content": TEXT}, "finish_reason": "stop"}],
            "usage": {"prompt_tokens": 100, "completion_tokens": 60, "total_tokens": 160},
        })


if __name__ == "__main__":
    ThreadingHTTPServer(("0.0.0.0", 8000), Handler).serve_forever()
