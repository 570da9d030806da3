@phase1
Feature: Retrying failed jobs
  A retryable failure sends the job back to the queue after a backoff, with one more attempt;
  a permanent failure, or the last attempt, fails the job with its error.

  Scenario: A retryable failure is retried and then completes
    When a client submits a mock job "flaky" that fails retryably on its first 2 attempts
    Then job "flaky" completes on attempt 3
    And the backoff of job "flaky" before its third attempt was longer than before its second
    And the trace of job "flaky" shows 3 attempts, each failed one recording its retry

  Scenario: A permanent failure fails the job at once with its error
    When a client submits a mock job "refused" that fails permanently with "content policy violation"
    Then job "refused" fails on attempt 1 with the error "content policy violation"
    And the error of job "refused" is marked as not retryable
    And the trace of job "refused" shows 1 attempt, the last failing the job with "content policy violation"

  Scenario: A job that keeps failing fails once its attempts are used up
    When a client submits a mock job "hopeless" with at most 2 attempts that always fails retryably
    Then job "hopeless" fails on attempt 2 with the error "mock retryable failure"
    And the error of job "hopeless" is marked as retryable
    And the trace of job "hopeless" shows 2 attempts, the last failing the job with "mock retryable failure"
