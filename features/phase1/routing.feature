@phase1
Feature: Routing jobs by service
  A job reaches only a worker that offers its service.

  Scenario: A job reaches only the worker that offers its service
    Given no worker is running
    And 2 mock workers offer only the "summarize" service
    When a client submits a "summarize" job "summary"
    And a client submits a mock job "plain" that takes 50 ms
    Then job "summary" completes
    And job "summary" was run by a worker that offers "summarize"
    And the trace of job "summary" shows it processed by a worker that offers "summarize"
    And job "plain" is still pending after 300 ms

  Scenario: A job for a service no worker offers stays pending
    When a client submits a "translate" job "orphan"
    Then job "orphan" is still pending after 300 ms
    And the trace of job "orphan" shows its submission and no attempt yet
