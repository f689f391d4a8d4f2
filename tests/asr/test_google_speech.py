"""The real google-cloud-speech client against the local fake v1 server (127.0.0.1)."""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import grpc
import pytest
from google.cloud import speech_v1 as speech

from pipeline.asr import google_speech
from pipeline.asr.audio import read_pcm16
from pipeline.asr.base import AudioItem, FatalAsrError
from pipeline.asr.fake_google import FakeSpeechServer, transcript_response
from pipeline.asr.google_speech import GoogleBackend
from pipeline.asr.params import AsrParams, GoogleParams
from pipeline.asr.run import recognize


class Answers:
    """Answers ``heard <utterance>`` for known audio, optionally after a delay."""

    def __init__(self, items: list[AudioItem], delay: float = 0.0) -> None:
        self.by_audio = {read_pcm16(i.wav).tobytes(): i.utterance_id for i in items}
        self.delay = delay

    def __call__(self, request: speech.RecognizeRequest) -> speech.RecognizeResponse:
        time.sleep(self.delay)
        return transcript_response(f"heard {self.by_audio[request.audio.content]}", 0.75)


@pytest.fixture
def server(tone_items: list[AudioItem]) -> Iterator[FakeSpeechServer]:
    with FakeSpeechServer(Answers(tone_items)) as fake:
        yield fake


def backend(endpoint: str, **google: object) -> GoogleBackend:
    settings = {"retries": 2, "backoff_s": 0.01, "connect_timeout_s": 2.0, **google}
    return GoogleBackend(AsrParams(backend="google", google=GoogleParams(endpoint, **settings)))


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_end_to_end_request_fields_and_results(
    server: FakeSpeechServer, tone_items: list[AudioItem], tmp_path: Path
) -> None:
    asr = backend(server.endpoint, model="latest_short", max_alternatives=3, punctuation=True)
    result = recognize(tone_items, asr, tmp_path / "cache")
    assert [t.text for t in result.transcripts] == [f"heard utt{i}" for i in range(5)]
    assert all(t.confidence == pytest.approx(0.75) for t in result.transcripts)
    assert all(t.audio_seconds == pytest.approx(0.5) for t in result.transcripts)
    assert len(server.requests) == 5 and not result.failures
    config = server.requests[0].config
    assert config.encoding == speech.RecognitionConfig.AudioEncoding.LINEAR16
    assert config.sample_rate_hertz == 16000
    assert config.language_code == "en-US"
    assert config.audio_channel_count == 1
    assert (config.model, config.max_alternatives, config.enable_automatic_punctuation) == (
        "latest_short",
        3,
        True,
    )
    assert len(server.requests[0].audio.content) == 0.5 * 16000 * 2  # raw 16-bit mono PCM


def test_rerun_is_served_from_the_cache(
    server: FakeSpeechServer,
    tone_items: list[AudioItem],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    recognize(tone_items, backend(server.endpoint), tmp_path)
    # Same settings: nothing is sent, and the service is not even contacted.
    with monkeypatch.context() as patch:
        patch.setattr(google_speech, "connect", lambda params: pytest.fail("connected"))
        again = recognize(tone_items, backend(server.endpoint), tmp_path)
    assert again.cache_hits == 5 and len(server.requests) == 5
    assert [t.text for t in again.transcripts] == [f"heard utt{i}" for i in range(5)]
    # A setting that changes transcripts is a different cache entry.
    other = recognize(tone_items, backend(server.endpoint, language_code="en-GB"), tmp_path)
    assert other.cache_hits == 0 and len(server.requests) == 10
    assert server.requests[-1].config.language_code == "en-GB"


def test_transient_errors_are_retried(
    server: FakeSpeechServer, tone_items: list[AudioItem], tmp_path: Path
) -> None:
    server.fail_next(grpc.StatusCode.UNAVAILABLE, "try again", times=2)
    result = recognize(tone_items[:1], backend(server.endpoint, retries=2), tmp_path)
    assert result.transcripts[0] is not None and result.transcripts[0].text == "heard utt0"
    assert len(server.requests) == 3


def test_persistent_transient_error_stops_the_run(
    server: FakeSpeechServer, tone_items: list[AudioItem], tmp_path: Path
) -> None:
    server.fail_next(grpc.StatusCode.UNAVAILABLE, "down", times=3)
    with pytest.raises(FatalAsrError, match=r"after 2 retries.*UNAVAILABLE"):
        recognize(tone_items[:1], backend(server.endpoint, retries=2), tmp_path)


@pytest.mark.parametrize(
    ("code", "message"),
    [
        (grpc.StatusCode.PERMISSION_DENIED, "refused the credentials.*PERMISSION_DENIED"),
        (grpc.StatusCode.UNAUTHENTICATED, "refused the credentials.*UNAUTHENTICATED"),
        (grpc.StatusCode.RESOURCE_EXHAUSTED, "quota exhausted"),
    ],
)
def test_permission_and_quota_errors_are_clear_and_fatal(
    server: FakeSpeechServer,
    tone_items: list[AudioItem],
    tmp_path: Path,
    code: grpc.StatusCode,
    message: str,
) -> None:
    server.fail_next(code, "project xyz")
    with pytest.raises(FatalAsrError, match=message) as info:
        recognize(tone_items[:1], backend(server.endpoint), tmp_path)
    assert "pocketsphinx" in str(info.value)  # the hint
    assert len(server.requests) == 1  # not retried


def test_rejected_request_is_a_per_utterance_failure(
    server: FakeSpeechServer, tone_items: list[AudioItem], tmp_path: Path
) -> None:
    server.fail_next(grpc.StatusCode.INVALID_ARGUMENT, "audio too long")
    result = recognize(tone_items, backend(server.endpoint, max_concurrency=1), tmp_path)
    assert [f.utterance_id for f in result.failures] == ["utt0"]
    assert "INVALID_ARGUMENT" in result.failures[0].reason
    assert result.transcripts[0] is None and result.transcripts[1] is not None


def test_crashed_run_resumes_where_it_stopped(
    server: FakeSpeechServer, tone_items: list[AudioItem], tmp_path: Path
) -> None:
    sequential = backend(server.endpoint, max_concurrency=1)
    server.fail_next(grpc.StatusCode.RESOURCE_EXHAUSTED, "daily quota", after=2)
    with pytest.raises(FatalAsrError, match="quota"):
        recognize(tone_items, sequential, tmp_path)
    assert len(server.requests) == 3
    result = recognize(tone_items, backend(server.endpoint), tmp_path)
    assert result.cache_hits == 2
    assert len(server.requests) == 3 + 3  # only the three not done before
    assert [t.text for t in result.transcripts] == [f"heard utt{i}" for i in range(5)]


def test_concurrency_is_bounded(tone_items: list[AudioItem], tmp_path: Path) -> None:
    with FakeSpeechServer(Answers(tone_items, delay=0.1)) as slow:
        recognize(tone_items, backend(slow.endpoint, max_concurrency=2), tmp_path)
    assert slow.max_in_flight == 2


def test_every_result_of_a_response_is_kept(tone_items: list[AudioItem], tmp_path: Path) -> None:
    def two_results(request: speech.RecognizeRequest) -> speech.RecognizeResponse:
        parts = [("first part", 0.8), ("second part", 0.6)]
        return speech.RecognizeResponse(
            results=[
                speech.SpeechRecognitionResult(
                    alternatives=[speech.SpeechRecognitionAlternative(transcript=t, confidence=c)]
                )
                for t, c in parts
            ]
        )

    with FakeSpeechServer(two_results) as fake:
        result = recognize(tone_items[:1], backend(fake.endpoint), tmp_path)
    transcript = result.transcripts[0]
    assert transcript is not None and transcript.text == "first part second part"
    assert transcript.confidence == pytest.approx(0.7)


def test_empty_response_gives_an_empty_transcript(
    tone_items: list[AudioItem], tmp_path: Path
) -> None:
    with FakeSpeechServer(lambda request: transcript_response("")) as fake:
        result = recognize(tone_items[:1], backend(fake.endpoint), tmp_path)
    transcript = result.transcripts[0]
    assert transcript is not None and transcript.text == "" and transcript.confidence is None


def test_unreachable_endpoint_fails_before_any_work(
    tone_items: list[AudioItem], tmp_path: Path
) -> None:
    endpoint = f"127.0.0.1:{closed_port()}"
    start = time.perf_counter()
    with pytest.raises(FatalAsrError, match=f"{endpoint} did not answer") as info:
        recognize(tone_items, backend(endpoint, connect_timeout_s=0.5), tmp_path)
    assert time.perf_counter() - start < 5
    assert "pocketsphinx" in str(info.value) and "gold" in str(info.value)
    assert not (tmp_path / "asr").exists()  # nothing cached


def test_missing_credentials_fail_before_any_work(
    tone_items: list[AudioItem], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GOOGLE_APPLICATION_CREDENTIALS", str(tmp_path / "no-key.json"))
    with pytest.raises(FatalAsrError, match="GOOGLE_APPLICATION_CREDENTIALS") as info:
        recognize(tone_items, backend(None), tmp_path)
    assert "pocketsphinx" in str(info.value)

    monkeypatch.delenv("GOOGLE_APPLICATION_CREDENTIALS")
    monkeypatch.setenv("CLOUDSDK_CONFIG", str(tmp_path / "gcloud"))  # no gcloud login here
    monkeypatch.setenv("NO_GCE_CHECK", "True")  # and no metadata server
    with pytest.raises(FatalAsrError, match="no usable Google Cloud credentials"):
        recognize(tone_items, backend(None), tmp_path)


@pytest.mark.parametrize(
    ("content", "why"),
    [
        (
            json.dumps(
                {
                    "type": "service_account",
                    "project_id": "p",
                    "private_key_id": "k1",
                    "private_key": "-----BEGIN PRIVATE KEY-----\nTOPSECRETKEYMATERIAL\n"
                    "-----END PRIVATE KEY-----\n",
                    "client_email": "asr@p.iam.gserviceaccount.com",
                    "client_id": "1",
                    "token_uri": "https://oauth2.googleapis.com/token",
                }
            ),
            "ValueError",
        ),
        ('{"type": "service_account", "private_key": "TOPSECRETKEYMATERIAL"', "JSONDecodeError"),
        (json.dumps({"type": "service_account", "project_id": "p"}), "missing fields"),
    ],
)
def test_unusable_credentials_file_says_it_was_found_and_why(
    tone_items: list[AudioItem],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    content: str,
    why: str,
) -> None:
    key = tmp_path / "key.json"
    key.write_text(content, encoding="utf-8")
    monkeypatch.setenv("GOOGLE_APPLICATION_CREDENTIALS", str(key))
    with pytest.raises(FatalAsrError, match="exists but cannot be used") as info:
        recognize(tone_items, backend(None), tmp_path)
    message = str(info.value)
    assert info.value.file == str(key) and why in message
    assert "TOPSECRET" not in message and "pocketsphinx" in message
    assert not (tmp_path / "asr").exists()  # nothing cached


def test_missing_audio_is_a_per_utterance_failure(
    server: FakeSpeechServer, tone_items: list[AudioItem], tmp_path: Path
) -> None:
    missing = AudioItem("gone", str(tmp_path / "gone.wav"), "")
    result = recognize([missing, *tone_items[:1]], backend(server.endpoint), tmp_path)
    assert [(f.utterance_id, f.file) for f in result.failures] == [("gone", missing.wav)]
    assert "file not found" in result.failures[0].reason
    assert result.transcripts[1] is not None and len(server.requests) == 1
