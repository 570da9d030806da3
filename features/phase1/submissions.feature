@phase1
Feature: Rejecting bad submissions
  A submission that breaks the rules is rejected with a message that names the field
  and what is allowed, and nothing is stored.

  Background:
    Given no worker is running

  Scenario Outline: A submission with <problem> is rejected
    When a client submits a job with <problem>
    Then the submission is rejected with status <status> and a message containing '<message>'
    And nothing was stored for the rejected submission
    And no submission was traced for the rejected submission

    Examples:
      | problem                          | status | message                                   |
      | no service                       | 400    | Missing service_required                  |
      | no payload                       | 400    | Missing payload                           |
      | a payload that is a string       | 400    | Invalid payload: it must be a JSON object |
      | priority 101                     | 400    | Invalid priority                          |
      | priority -1                      | 400    | an integer from 0 to 100                  |
      | priority 2.5                     | 400    | Invalid priority                          |
      | priority "high"                  | 400    | Invalid priority                          |
      | zero attempts                    | 400    | Invalid max_attempts                      |
      | an unknown field                 | 400    | Unknown field "colour"                    |
      | a service name with spaces       | 400    | Invalid service_required                  |
      | a body that is not JSON          | 400    | not valid JSON                            |
      | a body that is a list            | 400    | must be a JSON object                     |
      | a prototype-polluting key        | 400    | "__proto__"                               |
      | a plain-text body                | 415    | application/json                          |
      | a payload nested 40 levels deep  | 400    | nests deeper than 32 levels               |
      | a body over the size limit       | 413    | too large                                 |
