import { expect } from 'chai';

import type { JobWorld } from '../worlds/job-world';
import { mockJob } from './mock-jobs';
import type { ScenarioServices } from './scenario-services';
import { CHAT_MODEL, LOCAL_MODEL, PROMPT_ID, STANDARD, type ServiceName } from './service-scenarios';

/** The services a flow can name, as the feature files write them. */
const FLOW_SERVICES: Record<string, 'mock' | ServiceName> = { mock: 'mock', OpenAI: 'openai', Ollama: 'ollama', ComfyUI: 'comfyui' };

/** Statuses of the scripted failures: every connector retries a 503 and fails at once on a 400. */
const RETRYABLE_STATUS = 503;
const PERMANENT_STATUS = 400;

/**
 * A job flow written once for both phases. The Given steps set what the service does with the
 * job, and submit() scripts it. In Phase 1 the script is the MockConnector's payload. In Phase 2
 * it is the STANDARD job of the service and nock fixtures in the service's wire format. Without
 * a service step, Phase 1 uses the MockConnector and Phase 2 uses OpenAI.
 */
export class PhaseFlow {
  private service: 'mock' | ServiceName | null = null;
  retryableFailures = 0;
  permanentFailure = false;
  reportsProgress = false;
  runsUntilCancelled = false;

  /** Selects the service by the name a feature file uses, and starts a ComfyUI worker, which no phase starts by default. */
  async useService(world: JobWorld, displayName: string): Promise<void> {
    const service = FLOW_SERVICES[displayName];
    const allowed = world.phase === '1' ? ['mock'] : ['OpenAI', 'Ollama', 'ComfyUI'];
    if (!service || !allowed.includes(displayName)) {
      throw new Error(`Invalid service "${displayName}" for a Phase ${world.phase} row: use ${allowed.map((name) => `"${name}"`).join(' or ')}.`);
    }
    this.service = service;
    if (service === 'comfyui') await world.startWorkers([{ type: 'comfyui', count: 1 }]);
  }

  /** Scripts what the Given steps set and submits the job, which the API must accept. */
  async submit(world: JobWorld, name: string): Promise<void> {
    if (this.permanentFailure && (this.retryableFailures > 0 || this.runsUntilCancelled)) {
      throw new Error('A flow whose service fails the job permanently can neither fail it retryably first nor run it until it is cancelled.');
    }
    const service = this.service ?? (world.phase === '1' ? 'mock' : 'openai');
    const submission = service === 'mock' ? this.mockSubmission() : this.serviceSubmission(service, world.requireServices());
    const response = await world.submit(name, submission);
    expect(response.status, JSON.stringify(response.body)).to.equal(201);
  }

  private mockSubmission(): Record<string, unknown> {
    const payload: Record<string, unknown> = {};
    if (this.retryableFailures > 0) Object.assign(payload, { fail: 'retryable', fail_attempts: this.retryableFailures });
    if (this.permanentFailure) payload.fail = 'permanent';
    if (this.reportsProgress) Object.assign(payload, { progress_steps: 3, delay_ms: 160 });
    if (this.runsUntilCancelled) payload.hang = true;
    return mockJob(payload);
  }

  private serviceSubmission(service: ServiceName, services: ScenarioServices): Record<string, unknown> {
    const standard = STANDARD[service];
    const { method, path } = standard.firstRequest;
    if (this.retryableFailures > 0) services[service].failWith(method, path, standard.errorReply(RETRYABLE_STATUS), this.retryableFailures);

    if (this.permanentFailure) services[service].failWith(method, path, standard.errorReply(PERMANENT_STATUS));
    else if (this.runsUntilCancelled) runUntilCancelled(service, services);
    else if (this.reportsProgress) answerWithProgress(service, services);
    else standard.answerNormally(services);

    const job = standard.job();
    // OpenAI and Ollama report progress only while a reply streams in.
    const streamed = (this.reportsProgress || this.runsUntilCancelled) && service !== 'comfyui';
    return streamed ? { ...job, payload: { ...(job.payload as Record<string, unknown>), stream: true } } : job;
  }
}

function answerWithProgress(service: ServiceName, services: ScenarioServices): void {
  if (service === 'openai') services.openai.streamsChat(CHAT_MODEL, ['Hello', ' from', ' the', ' model'], { intervalMs: 5 });
  if (service === 'ollama') services.ollama.streams('generate', LOCAL_MODEL, ['Rayleigh', ' scattering.'], { intervalMs: 5 });
  // ComfyUI reports progress while it waits for the workflow's outputs in every job.
  if (service === 'comfyui') STANDARD.comfyui.answerNormally(services);
}

function runUntilCancelled(service: ServiceName, services: ScenarioServices): void {
  if (service === 'openai') services.openai.streamsChat(CHAT_MODEL, ['Once', ' upon'], { hang: true });
  if (service === 'ollama') services.ollama.streams('generate', LOCAL_MODEL, ['The', ' sky'], { hang: true });
  if (service === 'comfyui') {
    services.comfyui.queuesPrompt(PROMPT_ID);
    services.comfyui.keepsRunning(PROMPT_ID);
    services.comfyui.dropsPrompt();
  }
}
