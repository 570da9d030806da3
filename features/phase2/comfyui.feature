@phase2
Feature: ComfyUI jobs
  The comfyui connector queues a workflow on a ComfyUI server, follows the prompt until its
  outputs appear, and lists the output files in the job's result.

  Background:
    Given 1 ComfyUI worker is running

  Scenario: A workflow job lists the images the workflow saved
    Given the ComfyUI server runs the workflow for 2 polls and saves one image
    When a client submits a ComfyUI job "render" for the workflow
    Then job "render" completes with the file "ComfyUI_00001_.png" of output node "9"
    And the file of job "render" is not carried inline
    And job "render" reported progress while it waited for the outputs
    And job "render" was run by the comfyui connector
    And the ComfyUI server received the workflow with this worker's client id
    And the ComfyUI server was polled for the prompt 3 times
    And ComfyUI received 1 request at "GET /view"
    And the trace of job "render" shows the comfyui connector calling "GET /history/{prompt_id}"
    And the trace of job "render" shows the comfyui connector calling "GET /view"

  Scenario: A small output file can be carried inline
    Given the ComfyUI server runs the workflow for 0 polls and saves one image
    When a client submits a ComfyUI job "thumbnail" for the workflow that asks for its outputs inline
    Then job "thumbnail" completes with the file "ComfyUI_00001_.png" of output node "9"
    And the file of job "thumbnail" is carried inline

  Scenario: A workflow that fails on the server fails the job at once
    Given the ComfyUI server fails the workflow in its "KSampler" node with "CUDA out of memory"
    When a client submits a ComfyUI job "crash" for the workflow
    Then job "crash" fails with the error "comfyui prompt a9c4f0de-5b1e-4d8a-9f43-0c1d2e3f4a5b failed: KSampler (node 3): CUDA out of memory"
    And the error of job "crash" is marked as not retryable

  Scenario: Cancelling a job drops its prompt from the server
    Given the ComfyUI server keeps the workflow running
    When a client submits a ComfyUI job "long" for the workflow
    And job "long" is waiting for the outputs of its workflow
    And the client cancels job "long"
    Then job "long" is cancelled
    And the worker that ran job "long" is idle again
    And the ComfyUI server was asked to delete and interrupt the prompt

  Scenario: A request nobody mocked fails its job and names the request
    Given no fixture answers ComfyUI
    When a client submits a ComfyUI job "orphan" with at most 1 attempt
    Then job "orphan" fails with an error naming "POST http://comfyui.test:8188/prompt"
    And the request "POST http://comfyui.test:8188/prompt" was reported as unmocked
