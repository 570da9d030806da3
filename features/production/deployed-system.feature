@production
Feature: Smoke test of a deployed system
  Checks a deployed Conveyor through its API, with its real services and no mocks.
  It runs only when selected (npm run test:production) and needs API_URL and API_AUTH_TOKEN;
  the job scenario also needs SMOKE_JOB, a submission that is cheap for a real service.

  Scenario: The deployed API is healthy and runs as production
    When a client asks whether the system is healthy
    Then the system reports itself healthy
    When a client asks which phase the system runs
    Then the phase report says production with mock mode off

  Scenario: Every registered worker is a real production worker
    Then at least 1 worker is registered
    And every registered worker reports test phase "production" and a real connector

  Scenario: A client without the bearer token is turned away
    When a client without a token asks for the list of workers
    Then the request is rejected as unauthorized

  Scenario: A smoke job for a real service completes
    When a client submits the smoke job
    Then the smoke job completes within 120 seconds
