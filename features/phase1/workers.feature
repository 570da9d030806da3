@phase1
Feature: Worker registration and the phase report
  Workers register themselves so that operators and tests can see what runs where.

  Scenario: Phase 1 workers register as mock workers
    Then 10 workers are registered
    And every registered worker reports test phase "1", connector "mock" and the capability "mock"
    And every registered worker is idle with no current job

  Scenario: A busy worker reports the job it is running
    Given a client has submitted a mock job "long" that runs until cancelled
    When job "long" is running
    Then the worker running job "long" reports itself busy with that job
    And the client cancels job "long"
    And the trace of job "long" shows it was cancelled while running

  Scenario: The phase report describes Phase 1
    When a client asks which phase the system runs
    Then the phase report says phase "1", workers "mock:10", mock mode off and node environment "test"
