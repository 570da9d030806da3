@phase1
Feature: Recovering the jobs of workers that die
  A claim is a lease that the worker renews while it works. When a worker stops renewing,
  because its process died or it lost Redis, a reaper returns the job to pending and another
  worker runs it. A worker that lost its lease can no longer change the job.

  Scenario: The job of a worker that crashes mid-job is completed by another worker
    Given a worker that can be cut off from Redis is the only worker
    And a client has submitted a mock job "render" that takes 1000 ms
    And job "render" is running
    When the worker running job "render" crashes
    And 1 mock worker starts
    Then job "render" is completed on attempt 2 by a worker other than the crashed one
    And exactly one reaper took job "render" back from the crashed worker
    And the registration of the crashed worker expires

  Scenario: A worker keeps renewing the lease of a job that outlasts it
    Given only 1 mock worker is running
    When a client submits a mock job "render" that takes 3500 ms
    Then job "render" completes on attempt 1 with no lease taken back

  Scenario: A crashed worker that reconnects abandons the job it lost
    Given a worker that can be cut off from Redis is the only worker
    And a client has submitted a mock job "render" that takes 3000 ms
    And job "render" is running
    When the worker running job "render" crashes
    And 1 mock worker starts
    And the crashed worker reconnects after job "render" was given to another worker
    Then the crashed worker abandons job "render" because its lease renewal was rejected
    And job "render" is completed on attempt 2 by a worker other than the crashed one

  Scenario: The job of a worker process killed mid-job is completed by another worker
    Given a worker process is the only worker
    And a client has submitted a mock job "render" that takes 1000 ms
    And job "render" is running
    When the worker process is killed
    And 1 mock worker starts
    Then job "render" is completed on attempt 2 by a worker other than the killed one
    And exactly one reaper took job "render" back from the killed worker
    And the registration of the killed worker expires

  Scenario: A worker that lost its lease cannot complete the job afterwards
    Given a worker whose heartbeat is slower than its lease is the only worker
    And a client has submitted a mock job "render" that takes 2000 ms
    And job "render" is running
    When 1 mock worker starts
    Then job "render" is completed on attempt 2 by a worker other than the stalled one
    And the late completion of job "render" by the stalled worker was rejected and logged
    And exactly one reaper took job "render" back from the stalled worker
