@phase1
Feature: Workers refuse configurations that mix phases
  Each phase is one column of the phase table. A worker started with a configuration that
  mixes columns refuses to start, before any connector exists, and says what to fix.
  Production never runs mocks, and Phase 2 never reaches a real AI service.

  Background:
    Given no worker is running

  Scenario: A worker refuses every configuration that mixes phases
    When a worker process is started with each of these configurations:
      | configuration                                 | message                                                                          |
      | TEST_PHASE=3                                  | TEST_PHASE=3 is not a phase                                                      |
      | TEST_PHASE=1 WORKERS=openai:3 WORKER_MODE=real | WORKERS=openai:3 lists real connector types (openai); Phase 1 runs only mock workers: set WORKERS=mock:10 |
      | TEST_PHASE=1 MOCK_MODE=true                   | MOCK_MODE=true intercepts service calls, which belongs to Phase 2                |
      | TEST_PHASE=2 WORKERS=mock:2 WORKER_MODE=mock  | WORKERS=mock:2 lists mock worker types (mock)                                    |
      | TEST_PHASE=2 MOCK_MODE=false                  | MOCK_MODE=false would let Phase 2 reach real AI services: set MOCK_MODE=true     |
      | TEST_PHASE=1 WORKER_MODE=real                 | WORKER_MODE=real contradicts WORKERS=mock:10                                     |
      | WORKERS=mock:2                                | WORKERS=mock:2 lists mock worker types (mock), which production never runs       |
      | WORKERS=ollama:1 WORKER_MODE=mock             | WORKER_MODE=mock is not allowed in production                                    |
      | WORKERS=ollama:1 MOCK_MODE=true               | MOCK_MODE=true would answer service calls with mocks in production               |
      | WORKERS=ollama:1 MOCK_OLLAMA=true             | MOCK_OLLAMA=true would mock ollama in production                                 |
      | WORKERS=ollama:1 NODE_ENV=test                | NODE_ENV=test outside a test phase: set NODE_ENV=production                      |
    Then every one of them refuses to start with its message
    And none of them registered a worker

  Scenario: The Phase 1 worker script completes a job submitted through the API
    Given a worker process runs the "worker:phase1" script
    When a client submits a mock job "remote" whose result is "from another process"
    Then job "remote" completes with the result "from another process"
    And job "remote" was run by a worker in another process that registered as test phase "1"
    And job "remote" carries the trace context of its submission to the other process
