@phase1
Feature: Tracing a job from submission to the service it calls
  Each job has one trace: the API's submit span, and under it one process span per attempt,
  with the connector's work and its HTTP requests beneath. Operators follow a job across the
  API, Redis and the workers in their tracing backend.

  Scenario: A completed job's trace shows its submission, its attempt and the connector's work
    When a client submits a mock job "greeting" whose result is "hello"
    Then job "greeting" completes with the result "hello"
    And the trace of job "greeting" contains these spans:
      | span         | kind     | parent       | attributes                                                                                                   |
      | submit mock  | producer | POST         | messaging.system=conveyor; messaging.operation.type=send; messaging.destination.name=mock; messaging.message.id=<job id> |
      | process mock | consumer | submit mock  | messaging.operation.type=process; messaging.message.id=<job id>; conveyor.job.attempt=1; conveyor.job.outcome=completed |
      | execute mock | internal | process mock | conveyor.connector.type=mock; conveyor.job.attempt=1                                                         |

  Scenario: A connector's HTTP requests appear under the job's attempt
    Given only 1 worker is running, whose connector calls a service over HTTP
    When a client submits a "http-probe" job "lookup"
    Then job "lookup" completes
    And the trace of job "lookup" shows the connector calling the service over HTTP

  Scenario: Workers can start a trace of their own that links to the submission
    Given only 1 mock worker is running, linking each job to its submission instead of continuing its trace
    When a client submits a mock job "linked" whose result is "done"
    Then job "linked" completes with the result "done"
    And the processing of job "linked" has a trace of its own that links to its submission

  Scenario: Idle workers waiting for jobs record no spans
    Given only 2 mock workers are running, each waiting at most 50 ms for work at a time
    When the workers have waited for work 6 times
    Then the workers have recorded no spans
