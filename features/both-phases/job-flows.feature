@differential
Feature: Job flows that behave the same in both phases
  Each flow runs once on the MockConnector (Phase 1) and once on each real connector, whose
  service nock answers (Phase 2). Besides its own checks, each Phase 2 row is compared with
  the Phase 1 row: the job's record, its status history and its spans must match once what only
  a connector decides is normalized away (npm run acceptance:diff). ComfyUI reports progress in
  every job, so it takes part only in the flows that report progress.

  Scenario Outline: A job completes on its first attempt
    Given jobs run on the <service> service
    When a client submits a job "greeting"
    Then job "greeting" completes on attempt 1

    @phase1
    Examples: Phase 1
      | service |
      | mock    |

    @phase2
    Examples: Phase 2
      | service |
      | OpenAI  |
      | Ollama  |

  Scenario Outline: A retryable failure is retried and the job completes on attempt 2
    Given jobs run on the <service> service
    And the service fails the first request with a retryable error
    When a client submits a job "flaky"
    Then job "flaky" completes on attempt 2
    And the error of job "flaky" is marked as retryable

    @phase1
    Examples: Phase 1
      | service |
      | mock    |

    @phase2
    Examples: Phase 2
      | service |
      | OpenAI  |
      | Ollama  |

  Scenario Outline: A permanent failure fails the job at once, without a retry
    Given jobs run on the <service> service
    And the service rejects the job with a permanent error
    When a client submits a job "refused"
    Then job "refused" fails on attempt 1
    And the error of job "refused" is marked as not retryable

    @phase1
    Examples: Phase 1
      | service |
      | mock    |

    @phase2
    Examples: Phase 2
      | service |
      | OpenAI  |
      | Ollama  |

  Scenario Outline: A job reports progress before it completes
    Given jobs run on the <service> service
    And the service reports progress while it works
    When a client submits a job "render"
    Then job "render" reported progress before it completed

    @phase1
    Examples: Phase 1
      | service |
      | mock    |

    @phase2
    Examples: Phase 2
      | service |
      | OpenAI  |
      | Ollama  |
      | ComfyUI |

  Scenario Outline: A running job is cancelled and its worker is free again
    Given jobs run on the <service> service
    And the service works on the job until it is cancelled
    When a client submits a job "endless"
    And job "endless" has reported progress
    And the client cancels job "endless"
    Then job "endless" is cancelled
    And the worker that ran job "endless" is idle again

    @phase1
    Examples: Phase 1
      | service |
      | mock    |

    @phase2
    Examples: Phase 2
      | service |
      | OpenAI  |
      | Ollama  |
      | ComfyUI |
