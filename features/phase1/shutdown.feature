@phase1
Feature: Graceful shutdown
  On SIGTERM or SIGINT a worker stops claiming and finishes its job within its grace period,
  or hands the job back to pending without spending an attempt. The API stops accepting
  connections and ends its open event streams. A second signal exits at once.

  Scenario: A worker asked to stop finishes its running job and claims no other
    Given a worker process with a shutdown grace period of 5000 ms is the only worker
    And a client has submitted a mock job "render" that takes 1000 ms
    And job "render" is running
    When the worker process is asked to stop
    And a client submits a mock job "next"
    Then the worker process exits with status 0
    And job "render" was completed on attempt 1 by the worker process
    And job "next" was never claimed
    And the registration of the process worker expires

  Scenario: A worker whose job outlasts the grace period hands it back without spending an attempt
    Given a worker process with a shutdown grace period of 200 ms is the only worker
    And a client has submitted a mock job "render" that takes 2000 ms
    And job "render" is running
    When the worker process is asked to stop
    Then the worker process exits with status 0
    And job "render" is pending again without a spent attempt
    When 1 mock worker starts
    Then job "render" completes on attempt 1

  Scenario: A second signal stops a worker at once, and the reaper recovers its job
    Given a worker process with a shutdown grace period of 10000 ms is the only worker
    And a client has submitted a mock job "render" that takes 1000 ms
    And job "render" is running
    When the worker process is asked to stop twice
    Then the worker process exits with status 130
    And job "render" was still running when the worker process exited
    When 1 mock worker starts
    Then job "render" is completed on attempt 2 by a worker other than the stopped one
    And the registration of the stopped worker expires

  Scenario: The API asked to stop ends its event streams and stops accepting connections
    Given no worker is running
    And an API process is running
    And a client has submitted a mock job "render" that takes 1000 ms
    When a client follows the events of job "render" through the API process
    And the API process is asked to stop
    Then the API process exits with status 0
    And the event stream of job "render" was ended by the API
    And the API process no longer accepts connections
