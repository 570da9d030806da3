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
      | problem                                      | status | message                                                                 |
      | no service                                   | 400    | Missing service_required                                                |
      | no payload                                   | 400    | Missing payload                                                         |
      | a payload that is a string                   | 400    | Invalid payload: it must be a JSON object                               |
      | priority 101                                 | 400    | Invalid priority                                                        |
      | priority -1                                  | 400    | an integer from 0 to 100                                                |
      | priority 2.5                                 | 400    | Invalid priority                                                        |
      | priority "high"                              | 400    | Invalid priority                                                        |
      | zero attempts                                | 400    | Invalid max_attempts                                                    |
      | an unknown field                             | 400    | Unknown field "colour"                                                  |
      | a service name with spaces                   | 400    | Invalid service_required                                                |
      | a body that is not JSON                      | 400    | not valid JSON                                                          |
      | a body that is a list                        | 400    | must be a JSON object                                                   |
      | a prototype-polluting key                    | 400    | "__proto__"                                                             |
      | a plain-text body                            | 415    | application/json                                                        |
      | a payload nested 40 levels deep              | 400    | nests deeper than 32 levels                                             |
      | a body over the size limit                   | 413    | too large                                                               |
      | a service that is a number                   | 400    | Invalid service_required                                                |
      | a service that is a list                     | 400    | Invalid service_required                                                |
      | a service that is null                       | 400    | Invalid service_required                                                |
      | a payload that is null                       | 400    | Invalid payload: it must be a JSON object                               |
      | a payload that is a list                     | 400    | Invalid payload: it must be a JSON object                               |
      | a payload that is a number                   | 400    | Invalid payload: it must be a JSON object                               |
      | priority true                                | 400    | Invalid priority                                                        |
      | priority null                                | 400    | Invalid priority                                                        |
      | priority "50"                                | 400    | Invalid priority                                                        |
      | priority 1e3                                 | 400    | Invalid priority                                                        |
      | priority -0.5                                | 400    | Invalid priority                                                        |
      | max_attempts 2.5                             | 400    | Invalid max_attempts                                                    |
      | max_attempts 26                              | 400    | an integer from 1 to 25                                                 |
      | max_attempts "3"                             | 400    | Invalid max_attempts                                                    |
      | requirements that are a list                 | 400    | Invalid requirements                                                    |
      | requirements that are a string               | 400    | Invalid requirements                                                    |
      | an empty object                              | 400    | Missing service_required                                                |
      | a misspelt field                             | 400    | Unknown field "service_requried"                                        |
      | a field named like a status                  | 400    | Unknown field "status"                                                  |
      | an empty body                                | 400    | must be a JSON object                                                   |
      | a body that is null                          | 400    | must be a JSON object                                                   |
      | a body that is a string                      | 400    | must be a JSON object                                                   |
      | a truncated body                             | 400    | not valid JSON                                                          |
      | trailing text after the JSON                 | 400    | not valid JSON                                                          |
      | a single-quoted body                         | 400    | not valid JSON                                                          |
      | a NaN priority                               | 400    | not valid JSON                                                          |
      | a form-encoded body                          | 415    | application/json                                                        |
      | an XML body                                  | 415    | application/json                                                        |
      | a multipart body                             | 415    | application/json                                                        |
      | a top-level "__proto__" key                  | 400    | "__proto__"                                                             |
      | a "constructor.prototype" key                | 400    | "constructor.prototype"                                                 |
      | a service name with a NUL character          | 400    | Invalid service_required                                                |
      | a service name with a newline                | 400    | Invalid service_required                                                |
      | a service name with an escape sequence       | 400    | Invalid service_required                                                |
      | a service name with a zero-width space       | 400    | Invalid service_required                                                |
      | a service name with a right-to-left override | 400    | Invalid service_required                                                |
      | a service name in full-width letters         | 400    | Invalid service_required                                                |
      | a service name in capitals                   | 400    | Invalid service_required                                                |
      | an empty service name                        | 400    | Invalid service_required                                                |
      | a service name of 65 characters              | 400    | 1 to 64 characters                                                      |
      | a lone surrogate in the payload              | 400    | Invalid payload: it contains a string with an unpaired UTF-16 surrogate |
      | a lone surrogate in a payload key            | 400    | Invalid payload: it contains a key with an unpaired UTF-16 surrogate    |
      | requirements nested 40 levels deep           | 400    | Invalid requirements: it nests deeper than 32 levels                    |
      | a payload with a huge array                  | 400    | Invalid payload: it contains an array of 10001 items                    |
      | a payload with a huge array deep inside      | 400    | the limit is 10000                                                      |
      | a body nested 100000 levels deep             | 400    | must be a JSON object                                                   |
