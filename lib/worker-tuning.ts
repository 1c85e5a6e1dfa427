/**
 * How much memory and concurrency a worker spends, set on purpose rather than left to the SDK's
 * defaults (which size the workflow cache from the heap limit: about 2,300 workflows, some
 * 2 GB, on a machine with a 4 GB heap). What a worker holds is bounded by these three numbers,
 * whatever the backlog: 10,000 reminders falling due at once wait in Temporal (their tasks in
 * the task queue, their deliveries on durable timers), not in the worker.
 *
 * - `maxCachedWorkflows` (WORKER_MAX_CACHED_WORKFLOWS, 500). A license workflow sleeps for weeks
 *   between events and a message delivery sleeps until its slot within the provider's rate
 *   limit, so keeping them in memory buys nothing; each cached workflow costs about 1 MB. One
 *   that is not cached replays its history on its next task (histories stay short: license
 *   workflows continue as new at each renewal and every 500 events; a delivery has a dozen
 *   events). 500 holds every workflow in the middle of a task at the concurrency below with
 *   room to spare, so a burst does not replay each workflow at every step.
 * - `maxConcurrentActivities` (WORKER_MAX_CONCURRENT_ACTIVITIES, 50). Activities are Postgres
 *   writes (milliseconds) and provider calls (tens to hundreds of milliseconds). The provider
 *   rate limits, not this number, pace deliveries: at 100 requests per second and 200 ms a
 *   call, 20 to 40 calls are in flight, so 50 keeps the limit reachable while Postgres work
 *   queues for the pool (DATABASE_POOL_MAX) instead of piling up connections.
 * - `maxConcurrentWorkflowTasks` (WORKER_MAX_CONCURRENT_WORKFLOW_TASKS, 20). Workflow tasks are
 *   CPU work in the worker's threads, a few milliseconds each; more in parallel than the
 *   machine has cores only queues them in memory. 20 keeps the pollers busy over a network
 *   round trip to the server.
 *
 * `npm run bench` measures the worker's peak RSS with these values through a burst of
 * reminders (see the README's "Benchmarks").
 */
export interface WorkerTuning {
  maxCachedWorkflows: number;
  maxConcurrentActivities: number;
  maxConcurrentWorkflowTasks: number;
}

export const DEFAULT_WORKER_TUNING: WorkerTuning = Object.freeze({ maxCachedWorkflows: 500, maxConcurrentActivities: 50, maxConcurrentWorkflowTasks: 20 });
