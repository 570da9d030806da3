@phase1
Feature: Following a job's progress
  A client can follow a job as it happens: each progress report, each status change,
  and finally the result, in order.

  Scenario: A client following a job sees its progress and then its result
    When a client submits a mock job "render" that reports progress 3 times
    And the client follows the events of job "render"
    Then the client sees the statuses pending, assigned, in progress and completed in that order
    And the client sees progress 25, 50 and 75 before the job completes
    And the last event the client sees carries the result of job "render"
    And the trace of job "render" records the progress 25, 50 and 75 before its completion
