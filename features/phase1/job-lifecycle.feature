@phase1
Feature: Running a job from submission to result
  A client submits a job for a service; a worker that offers the service claims it,
  runs it and records its result, which the client reads back.

  Scenario: A submitted job completes with its result
    When a client submits a mock job "greeting" whose result is "hello, world"
    Then job "greeting" completes with the result "hello, world"
    And job "greeting" was run by the mock connector on its first attempt
    And the trace of job "greeting" follows it from its submission to the mock connector

  Scenario: A new job is accepted as pending with the default settings
    Given no worker is running
    When a client submits a mock job "report"
    Then the submission is accepted as pending
    And job "report" has priority 50 and at most 3 attempts

  Scenario: A job runs for the configured mock delay when its payload sets none
    When a client submits a mock job "default-delay" with no delay of its own
    Then job "default-delay" is running after 1 second
    And job "default-delay" completes within 5 seconds

  Scenario: Reading a job that does not exist is an error
    When a client reads a job that was never submitted
    Then the request is rejected as not found
