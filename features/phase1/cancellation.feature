@phase1
Feature: Cancelling jobs
  A client can cancel a job that is waiting or running; a running job stops at once
  and its worker moves on. A finished job cannot be cancelled.

  Scenario: A waiting job is cancelled and never runs
    Given no worker is running
    And a client has submitted a mock job "queued"
    When the client cancels job "queued"
    And 1 mock worker starts
    Then job "queued" is cancelled
    And job "queued" was never started
    And the trace of job "queued" shows its submission and no attempt

  Scenario: A running job is cancelled and its worker takes the next job
    Given only 1 mock worker is running
    And a client has submitted a mock job "endless" that runs until cancelled
    And job "endless" is running
    When the client cancels job "endless"
    Then job "endless" is cancelled
    And the worker that ran job "endless" is idle again
    And the trace of job "endless" shows it was cancelled while running
    When a client submits a mock job "next" whose result is "done"
    Then job "next" completes with the result "done"

  Scenario: A finished job cannot be cancelled
    Given a client has submitted a mock job "quick" that completes
    When the client cancels job "quick"
    Then the cancellation is rejected because the job has already finished
