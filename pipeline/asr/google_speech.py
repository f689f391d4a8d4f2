"""Backend ``google``: the real google-cloud-speech v1 client, synchronous ``recognize`` per
utterance as the original, with LINEAR16 16 kHz mono audio stated explicitly.

- Credentials come only from the standard environment (``GOOGLE_APPLICATION_CREDENTIALS`` or
  ``gcloud auth application-default login``); they are never logged or written.
- :meth:`GoogleBackend.preflight` fails before any work when credentials are missing or the
  endpoint cannot be reached, with the hint to use ``pocketsphinx`` or ``gold``.
- Transient errors (unavailable, deadline exceeded, internal, aborted) are retried with
  exponential backoff; permission and quota errors stop the run with a clear message (finished
  utterances are cached, so the next run resumes).
- At most ``asr.google.max_concurrency`` requests are in flight.
- Every result of a response contributes its top alternative, joined with spaces (the original
  kept only the last result, dropping the earlier parts of a multi-result response).
- ``asr.google.endpoint`` on 127.0.0.1/localhost is reached without TLS or credentials: that is
  how tests use the fake server of :mod:`pipeline.asr.fake_google`.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, ClassVar, TypeVar

from pipeline.asr.audio import SAMPLE_RATE, duration, read_pcm16
from pipeline.asr.base import AudioItem, FatalAsrError, Transcript, mean_or_none
from pipeline.asr.params import AsrParams, GoogleParams
from pipeline.errors import MmserError
from pipeline.parallel import Cached, Outcome, parallel_map

DEFAULT_ENDPOINT = "speech.googleapis.com:443"
LOCAL_HOSTS = ("127.0.0.1", "localhost", "[::1]")
SCOPES = ("https://www.googleapis.com/auth/cloud-platform",)
HINT = "set asr.backend: pocketsphinx (offline) or gold to run without Google Cloud"

T = TypeVar("T")


def is_local(endpoint: str) -> bool:
    """Whether ``endpoint`` (``host:port``) is this machine (reached without TLS)."""
    return endpoint.rsplit(":", 1)[0] in LOCAL_HOSTS


def _credentials() -> Any:
    import google.auth
    from google.auth.exceptions import DefaultCredentialsError

    key_file = os.environ.get("GOOGLE_APPLICATION_CREDENTIALS")
    if key_file and not Path(key_file).is_file():
        raise FatalAsrError(
            "GOOGLE_APPLICATION_CREDENTIALS names a file that does not exist",
            file=key_file,
            hint=HINT,
        )
    try:
        credentials, _ = google.auth.default(scopes=list(SCOPES))
    except (DefaultCredentialsError, OSError, ValueError) as exc:
        if key_file:
            raise FatalAsrError(
                "the credentials file that GOOGLE_APPLICATION_CREDENTIALS names exists but "
                f"cannot be used: {_reason(exc)}",
                file=key_file,
                hint=HINT,
            ) from None
        raise FatalAsrError(
            "no usable Google Cloud credentials in the environment (set "
            "GOOGLE_APPLICATION_CREDENTIALS to a service-account key file, or run "
            "`gcloud auth application-default login`)",
            hint=HINT,
        ) from None
    return credentials


#: What could be key material in an error message: a PEM block or a long base64-like run.
_SECRET = re.compile(r"-----BEGIN.*?(?:-----END[^-]*-----|$)|[A-Za-z0-9+=_-]{40,}", re.S)


def _reason(exc: BaseException) -> str:
    """Why google.auth refused a credentials file (the underlying error), key-like text masked."""
    cause = exc.__cause__ or exc
    text = str(cause.args[0]) if cause.args else str(cause)
    return f"{type(cause).__name__}: {_SECRET.sub('[…]', text)}"[:300]


def connect(params: GoogleParams) -> Any:
    """A ``SpeechClient`` whose endpoint answered within ``connect_timeout_s``.

    Raises:
        FatalAsrError: without credentials (non-local endpoint) or when the endpoint does not
            answer, with the hint to use another backend.
    """
    import grpc
    from google.cloud import speech_v1
    from google.cloud.speech_v1.services.speech.transports import SpeechGrpcTransport

    endpoint = params.endpoint or DEFAULT_ENDPOINT
    if is_local(endpoint):
        transport = SpeechGrpcTransport(channel=grpc.insecure_channel(endpoint))
    else:
        transport = SpeechGrpcTransport(host=endpoint, credentials=_credentials())
    try:
        grpc.channel_ready_future(transport.grpc_channel).result(timeout=params.connect_timeout_s)
    except grpc.FutureTimeoutError:
        transport.close()
        raise FatalAsrError(
            f"the Google Speech endpoint {endpoint} did not answer within "
            f"{params.connect_timeout_s:g} s (no network, firewall, or wrong asr.google.endpoint)",
            hint=HINT,
        ) from None
    return speech_v1.SpeechClient(transport=transport)


def recognition_config(params: GoogleParams) -> Any:
    """The ``RecognitionConfig`` sent with every request."""
    from google.cloud import speech_v1

    return speech_v1.RecognitionConfig(
        encoding=speech_v1.RecognitionConfig.AudioEncoding.LINEAR16,
        sample_rate_hertz=SAMPLE_RATE,
        audio_channel_count=1,
        language_code=params.language_code,
        max_alternatives=params.max_alternatives,
        enable_automatic_punctuation=params.punctuation,
        model=params.model or "",
        use_enhanced=params.use_enhanced,
    )


def call_with_retries(call: Callable[[], T], params: GoogleParams, what: str) -> T:
    """Run one API call, retrying transient errors with exponential backoff.

    Raises:
        FatalAsrError: on permission/authentication or quota errors, or when a transient error
            persists after ``params.retries`` retries.
        MmserError: when the API rejects this request (e.g. invalid audio): a per-item failure.
    """
    from google.api_core import exceptions as gexc

    transient = (
        gexc.ServiceUnavailable,
        gexc.DeadlineExceeded,
        gexc.InternalServerError,
        gexc.Aborted,
    )
    for attempt in range(params.retries + 1):
        try:
            return call()
        except (gexc.PermissionDenied, gexc.Unauthenticated) as exc:
            raise FatalAsrError(
                f"the Speech API refused the credentials ({_status(exc)}: {exc.message}); "
                "check that the project has the Speech-to-Text API enabled and the account "
                "may use it",
                hint=HINT,
            ) from None
        except gexc.ResourceExhausted as exc:
            raise FatalAsrError(
                f"Speech API quota exhausted ({exc.message}); finished utterances are cached, "
                "so rerun later, lower asr.google.max_concurrency, or raise the quota",
                hint=HINT,
            ) from None
        except transient as exc:
            if attempt == params.retries:
                raise FatalAsrError(
                    f"the Speech API kept failing for {what} after {params.retries} retries "
                    f"({_status(exc)}: {exc.message})",
                    hint=HINT,
                ) from None
            time.sleep(params.backoff_s * 2**attempt)
        except gexc.GoogleAPICallError as exc:
            raise MmserError(
                f"the Speech API rejected {what}: {_status(exc)}: {exc.message}"
            ) from None
    raise AssertionError("unreachable")


def _status(exc: Any) -> str:
    """The gRPC status name of a google.api_core exception (e.g. ``PERMISSION_DENIED``)."""
    code = getattr(exc, "grpc_status_code", None)
    return code.name if code is not None else str(exc.code)


def recognize_item(client: Any, config: Any, item: AudioItem, params: GoogleParams) -> Transcript:
    """Send one utterance and turn the response into a :class:`Transcript`."""
    from google.cloud import speech_v1

    pcm = read_pcm16(item.wav)
    audio = speech_v1.RecognitionAudio(content=pcm.tobytes())
    start = time.perf_counter()
    response = call_with_retries(
        lambda: client.recognize(config=config, audio=audio, retry=None, timeout=params.timeout_s),
        params,
        item.utterance_id,
    )
    elapsed = time.perf_counter() - start
    tops = [r.alternatives[0] for r in response.results if r.alternatives]
    text = " ".join(t.transcript.strip() for t in tops if t.transcript.strip())
    return Transcript(text, mean_or_none([t.confidence for t in tops]), elapsed, duration(pcm))


class GoogleBackend:
    """Google Cloud Speech-to-Text v1 through the official client."""

    name: ClassVar[str] = "google"

    def __init__(self, params: AsrParams) -> None:
        self.params = params.google
        self.concurrency = params.google.max_concurrency
        self._client: Any = None

    def cache_config(self) -> dict[str, object]:
        return self.params.output_config()

    def preflight(self) -> None:
        self._client = connect(self.params)

    def transcribe(
        self, items: Sequence[AudioItem], cached: Cached[AudioItem, Transcript] | None
    ) -> Iterator[Outcome[Transcript]]:
        if self._client is None:
            self.preflight()
        config = recognition_config(self.params)
        return parallel_map(
            lambda item: recognize_item(self._client, config, item, self.params),
            items,
            workers=self.params.max_concurrency,
            executor="thread",
            cached=cached,
            desc="asr google",
        )
