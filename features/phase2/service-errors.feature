@phase2
Feature: Service errors
  Every connector classifies failures the same way. Timeouts, 408, 429 and 5xx replies and
  broken connections are retried; 400, 401, 403 and 404 replies and malformed bodies fail the
  job at once. The job's error names the service, the request, the status and the service's
  own message.

  Background:
    Given 1 ComfyUI worker is running

  Scenario Outline: A <status> reply from <service> is retried and the job completes
    Given <service> replies to the first request with status <status>, then answers normally
    When a client submits a job "job" for <service>
    Then job "job" completes on attempt 2
    And <service> received the first request 2 times

    Examples:
      | service | status |
      | OpenAI  | 408    |
      | OpenAI  | 429    |
      | OpenAI  | 500    |
      | OpenAI  | 503    |
      | Ollama  | 408    |
      | Ollama  | 429    |
      | Ollama  | 500    |
      | Ollama  | 503    |
      | ComfyUI | 408    |
      | ComfyUI | 429    |
      | ComfyUI | 500    |
      | ComfyUI | 503    |

  Scenario Outline: A <status> reply from <service> fails the job at once
    Given <service> replies to the first request with status <status>
    When a client submits a job "job" for <service>
    Then job "job" fails on attempt 1 with status <status> from <service>
    And the error of job "job" is marked as not retryable
    And <service> received the first request 1 time

    Examples:
      | service | status |
      | OpenAI  | 400    |
      | OpenAI  | 401    |
      | OpenAI  | 403    |
      | OpenAI  | 404    |
      | Ollama  | 400    |
      | Ollama  | 401    |
      | Ollama  | 403    |
      | Ollama  | 404    |
      | ComfyUI | 400    |
      | ComfyUI | 401    |
      | ComfyUI | 403    |
      | ComfyUI | 404    |

  Scenario Outline: A reply from <service> that takes too long times out and is retried
    Given the <service> workers give up on a reply after 100 ms
    And <service> answers the first request after 2 seconds, then answers normally
    When a client submits a job "job" for <service>
    Then job "job" completes on attempt 2
    And the first attempt of job "job" failed with a retryable "timeout" error

    Examples:
      | service |
      | OpenAI  |
      | Ollama  |
      | ComfyUI |

  Scenario Outline: A broken connection to <service> is retried
    Given <service> refuses the connection for the first request, then answers normally
    When a client submits a job "job" for <service>
    Then job "job" completes on attempt 2
    And the first attempt of job "job" failed with a retryable "network" error

    Examples:
      | service |
      | OpenAI  |
      | Ollama  |
      | ComfyUI |

  Scenario Outline: A malformed reply from <service> fails the job at once
    Given <service> answers the first request with a body that is not JSON
    When a client submits a job "job" for <service>
    Then job "job" fails on attempt 1 with an error saying the <service> response was malformed

    Examples:
      | service |
      | OpenAI  |
      | Ollama  |
      | ComfyUI |
