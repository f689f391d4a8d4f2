"""A fake Google Cloud Speech v1 server on 127.0.0.1, for tests and the ASR benchmark only.

This is the project's one stand-in: it speaks the real v1 gRPC protocol with the package's own
proto-plus messages, so the real ``SpeechClient`` talks to it unchanged (point
``asr.google.endpoint`` at :attr:`FakeSpeechServer.endpoint`). It records every request, answers
through a function you give it, and can be told to fail the next calls with gRPC status codes
(to exercise retries and error messages).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import grpc
from google.cloud import speech_v1 as speech

SERVICE = "google.cloud.speech.v1.Speech"

Responder = Callable[[speech.RecognizeRequest], speech.RecognizeResponse]


def transcript_response(text: str, confidence: float = 0.9) -> speech.RecognizeResponse:
    """A response with one result whose top alternative is ``text`` (no result if empty)."""
    if not text:
        return speech.RecognizeResponse()
    alternative = speech.SpeechRecognitionAlternative(transcript=text, confidence=confidence)
    return speech.RecognizeResponse(
        results=[speech.SpeechRecognitionResult(alternatives=[alternative])]
    )


class FakeSpeechServer:
    """``with FakeSpeechServer(respond) as server:`` serves ``Recognize`` on ``server.endpoint``.

    Args:
        respond: Maps each request to its response.
        workers: Server threads (requests handled at once).
    """

    def __init__(self, respond: Responder, *, workers: int = 16) -> None:
        self.respond = respond
        self.requests: list[speech.RecognizeRequest] = []
        self.failures: list[tuple[grpc.StatusCode, str] | None] = []
        self.in_flight = 0
        self.max_in_flight = 0
        self._lock = threading.Lock()
        self._server = grpc.server(ThreadPoolExecutor(max_workers=workers))
        handler = grpc.unary_unary_rpc_method_handler(
            self._recognize,
            request_deserializer=speech.RecognizeRequest.deserialize,
            response_serializer=speech.RecognizeResponse.serialize,
        )
        self._server.add_generic_rpc_handlers(
            (grpc.method_handlers_generic_handler(SERVICE, {"Recognize": handler}),)
        )
        self.port = self._server.add_insecure_port("127.0.0.1:0")
        self.endpoint = f"127.0.0.1:{self.port}"

    def fail_next(
        self, code: grpc.StatusCode, details: str = "injected", *, times: int = 1, after: int = 0
    ) -> None:
        """Answer ``after`` more calls normally, then fail ``times`` calls with ``code``."""
        with self._lock:
            self.failures.extend([None] * after + [(code, details)] * times)

    def _recognize(self, request: speech.RecognizeRequest, context: Any) -> Any:
        with self._lock:
            self.requests.append(request)
            failure = self.failures.pop(0) if self.failures else None
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            if failure is not None:
                context.abort(*failure)
            return self.respond(request)
        finally:
            with self._lock:
                self.in_flight -= 1

    def __enter__(self) -> FakeSpeechServer:
        self._server.start()
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self._server.stop(grace=None)
