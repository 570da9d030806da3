@phase2
Feature: The Phase 2 system and its workers
  Phase 2 runs the real connectors; every call they make to an AI service is answered by the
  service mocks, in the suite's process and in a worker process started on its own.

  Scenario: Phase 2 workers register as real connectors
    Then 5 workers are registered
    And the registered workers are 3 "openai" and 2 "ollama" workers of test phase "2"

  Scenario: The phase report describes Phase 2
    When a client asks which phase the system runs
    Then the phase report says phase "2", workers "openai:3,ollama:2", mock mode on and node environment "test"

  Scenario: The Phase 2 worker script completes jobs with its calls answered by the staging mocks
    Given no worker is running
    And a worker process runs the "worker:phase2" script
    When a client submits an OpenAI chat job "remote-chat" for "gpt-4o-mini" saying "Say hello"
    And a client submits an Ollama generate job "remote-generate" for "llama3.2" saying "Why is the sky blue?"
    Then job "remote-chat" completes with the reply "Staging reply"
    And job "remote-chat" was run by a worker in another process that registered as test phase "2"
    And job "remote-generate" completes
    And job "remote-generate" was run by a worker in another process that registered as test phase "2"
