// The extension host's side of a worker thread: started on the first message, started again after a
// crash, and every request with an id answered once (by the worker, or with an error when it exits).
// No `vscode` import: the callers log, and unit tests run it in plain Node.
import { Worker } from 'node:worker_threads';

/** How a client starts its worker and hears from it. */
export interface WorkerClientOptions<Response> {
  /** The bundled worker script. */
  path: string;
  /** Names the worker in log lines and errors ("count worker"). */
  name: string;
  /** The environment to start it with; the host's when undefined. */
  env?: () => NodeJS.ProcessEnv | undefined;
  /** Called with each new worker before the first message goes to it. */
  onStart?: (worker: Worker) => void;
  /** Responses that answer no pending request (pushed by the worker). */
  onMessage?: (response: Response) => void;
  /** The worker reported an uncaught error (it exits after it). */
  onError?: (error: Error) => void;
  /** The running worker exited on its own; pending requests have been failed already. */
  onExit?: (code: number) => void;
  /** Ends the worker once no request has been pending for this long (its memory goes with it); never when undefined. */
  idleMs?: number;
}

interface PendingRequest<Response> {
  /** Returns true when the response is the request's last. */
  onResponse(response: Response): boolean;
  onFail(message: string): void;
}

/** One worker thread and its pending requests, by id. */
export class WorkerClient<Request, Response extends object> {
  private worker: Worker | undefined;
  private readonly pending = new Map<number, PendingRequest<Response>>();
  private nextId = 1;
  private idleTimer: ReturnType<typeof setTimeout> | undefined;
  private disposed = false;

  constructor(private readonly options: WorkerClientOptions<Response>) {}

  /** Whether a worker is running now. */
  get isRunning(): boolean {
    return this.worker !== undefined;
  }

  /** How many requests wait for their last response. */
  get pendingCount(): number {
    return this.pending.size;
  }

  /** Sends a message, starting the worker if it is not running. */
  post(request: Request): void {
    if (this.disposed) return;
    this.ensureWorker().postMessage(request);
  }

  /** Sends a message only to a running worker (e.g. a close: a new worker has nothing to close). */
  postIfRunning(request: Request): void {
    this.worker?.postMessage(request);
  }

  /**
   * Sends the request `build` makes with a new id; its responses (those carrying that id) go to
   * `onResponse` until it returns true. `onFail` is called instead if the worker exits or the client
   * is disposed first. Returns the id (for a cancel message).
   */
  request(build: (id: number) => Request, onResponse: (response: Response) => boolean, onFail: (message: string) => void): number {
    const id = this.nextId++;
    if (this.disposed) {
      onFail('Prompt Budget was shut down');
      return id;
    }
    this.pending.set(id, { onResponse, onFail });
    clearTimeout(this.idleTimer);
    this.post(build(id));
    return id;
  }

  /** Ends the worker; pending requests fail. */
  dispose(): void {
    this.disposed = true;
    clearTimeout(this.idleTimer);
    this.stop('Prompt Budget was shut down');
  }

  private stop(message: string): void {
    const worker = this.worker;
    this.worker = undefined;
    void worker?.terminate();
    // The exit handler ignores a worker that is no longer ours: the waiting requests are answered here.
    this.failPending(message);
  }

  private failPending(message: string): void {
    const pending = [...this.pending.values()];
    this.pending.clear();
    for (const request of pending) request.onFail(message);
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const env = this.options.env?.();
    const worker = new Worker(this.options.path, env ? { env } : {});
    this.options.onStart?.(worker);
    worker.on('message', (response: Response) => this.onMessage(response));
    worker.on('error', (error) => this.options.onError?.(error));
    worker.on('exit', (code) => {
      if (this.worker !== worker) return;
      // Started afresh on the next message.
      this.worker = undefined;
      this.failPending(`${this.options.name} exited (${code})`);
      this.options.onExit?.(code);
    });
    this.worker = worker;
    return worker;
  }

  private onMessage(response: Response): void {
    const id = 'id' in response && typeof response.id === 'number' ? response.id : undefined;
    const pending = id === undefined ? undefined : this.pending.get(id);
    if (!pending) {
      this.options.onMessage?.(response);
      return;
    }
    if (!pending.onResponse(response)) return;
    this.pending.delete(id!);
    this.scheduleIdleExit();
  }

  private scheduleIdleExit(): void {
    const idleMs = this.options.idleMs;
    if (idleMs === undefined || this.pending.size > 0) return;
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => {
      if (this.pending.size === 0) this.stop(`${this.options.name} stopped`);
    }, idleMs);
  }
}
