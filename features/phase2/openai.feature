@phase2
Feature: OpenAI jobs
  The openai connector runs chat completions, plain and streamed, image generation and
  embeddings against the OpenAI API, with the account's API key.

  Scenario: A chat job completes with the model's reply
    Given the OpenAI service answers chat requests for "gpt-4o-mini" with "Hello from the model"
    When a client submits an OpenAI chat job "greeting" for "gpt-4o-mini" saying "Say hello"
    Then job "greeting" completes with the reply "Hello from the model"
    And job "greeting" was run by the openai connector
    And the OpenAI service received 1 chat completion request for "gpt-4o-mini" with the message "Say hello"
    And the trace of job "greeting" shows the openai connector calling "POST /chat/completions"

  Scenario: A streamed chat job reports progress while the reply arrives
    Given the OpenAI service streams the chat reply "Once| upon| a time" for "gpt-4o-mini"
    When a client submits a streamed OpenAI chat job "story" for "gpt-4o-mini" saying "Tell a story"
    Then job "story" completes with the reply "Once upon a time"
    And job "story" reported streaming progress before it completed
    And the OpenAI service was asked to stream the chat completion

  Scenario: A stream that stops before its end is retried
    Given the OpenAI service stops its chat stream before the end
    And the OpenAI service then streams the chat reply "Complete| this time" for "gpt-4o-mini"
    When a client submits a streamed OpenAI chat job "cut" for "gpt-4o-mini" saying "Tell a story"
    Then job "cut" completes with the reply "Complete this time"
    And the first attempt of job "cut" failed with a retryable "network" error

  Scenario: An image job describes the image instead of storing it
    Given the OpenAI service generates an image
    When a client submits an OpenAI image job "poster" for "gpt-image-1" with the prompt "a lighthouse at dusk"
    Then job "poster" completes with 1 image described by size and digest
    And the OpenAI service received 1 image generation request with the prompt "a lighthouse at dusk"

  Scenario: An embeddings job returns one vector per text
    Given the OpenAI service returns embeddings of 4 dimensions for 2 texts
    When a client submits an OpenAI embeddings job "vectors" for the texts "red" and "blue"
    Then job "vectors" completes with 2 embeddings of 4 dimensions
    And OpenAI received 1 request at "/embeddings"

  Scenario: The base URL works without its /v1 suffix
    Given the OpenAI workers use the base URL "https://api.openai.com"
    And the OpenAI service answers chat requests for "gpt-4o-mini" with "Still here"
    When a client submits an OpenAI chat job "short-url" for "gpt-4o-mini" saying "Ping"
    Then job "short-url" completes with the reply "Still here"

  Scenario: A rate limit is retried after the time the service asks for
    Given the OpenAI service rate-limits the first chat request for 1 second, then answers normally
    When a client submits an OpenAI job "patient"
    Then job "patient" completes on attempt 2
    And the retry of job "patient" was scheduled at least 1 second after its first attempt failed
    And the trace of job "patient" shows 2 attempts, each failed one recording its retry
    And the trace of job "patient" shows the openai connector calling "POST /chat/completions"

  Scenario: A content-policy refusal fails the job at once
    Given OpenAI replies to the first request with status 400
    When a client submits an OpenAI job "refused"
    Then job "refused" fails with the error "openai POST https://api.openai.com/v1/chat/completions returned 400: Your request was rejected as a result of our safety system. (content_policy_violation)"
    And the error of job "refused" is marked as not retryable
    And the trace of job "refused" shows 1 attempt, the last failing the job with "openai POST https://api.openai.com/v1/chat/completions returned 400: Your request was rejected as a result of our safety system. (content_policy_violation)"
    And the trace of job "refused" shows the openai connector calling "POST /chat/completions" and getting status 400

  Scenario: Cancelling a streamed job stops its stream
    Given the OpenAI service streams a chat reply that never finishes
    When a client submits a streamed OpenAI chat job "endless" for "gpt-4o-mini" saying "Count forever"
    And job "endless" has started streaming
    And the client cancels job "endless"
    Then job "endless" is cancelled
    And the worker that ran job "endless" is idle again
    And the trace of job "endless" shows it was cancelled while running

  Scenario: A request nobody mocked fails its job and names the request
    Given no fixture answers OpenAI
    When a client submits an OpenAI job "orphan" with at most 1 attempt
    Then job "orphan" fails with an error naming "POST https://api.openai.com/v1/chat/completions"
    And the request "POST https://api.openai.com/v1/chat/completions" was reported as unmocked
