/** Negative return codes of the Lua scripts in ./scripts. */
export enum ScriptErrorCode {
  JobNotFound = -1,
  NotOwner = -2,
  JobCancelled = -3,
  JobFinished = -4,
  JobExists = -5,
}

/** A state change that a script rejected, with the reason in `code`. */
export class QueueError extends Error {
  override readonly name = 'QueueError';

  constructor(
    readonly code: ScriptErrorCode,
    readonly jobId: string,
    message: string,
  ) {
    super(message);
  }
}

/** Builds the error for a script's negative return code, naming the job and the operation. */
export function queueError(code: number, operation: string, jobId: string, workerId?: string): QueueError {
  const worker = workerId === undefined ? '' : ` by worker ${workerId}`;
  const reason: Record<ScriptErrorCode, string> = {
    [ScriptErrorCode.JobNotFound]: 'the job does not exist',
    [ScriptErrorCode.NotOwner]: 'the worker no longer owns the job (its lease was lost or the attempt is stale)',
    [ScriptErrorCode.JobCancelled]: 'the job was cancelled',
    [ScriptErrorCode.JobFinished]: 'the job has already finished',
    [ScriptErrorCode.JobExists]: 'a job with this id already exists',
  };
  const text = reason[code as ScriptErrorCode] ?? `unknown script code ${code}`;
  return new QueueError(code as ScriptErrorCode, jobId, `Cannot ${operation} job ${jobId}${worker}: ${text}.`);
}
