/** Lifecycle states of a workflow. */
export const WORKFLOW_STATUSES = ['draft', 'active', 'paused', 'archived'] as const;
export type WorkflowStatus = (typeof WORKFLOW_STATUSES)[number];

/** Largest workflow `definition`, in bytes of its JSON serialization. */
export const WORKFLOW_DEFINITION_MAX_BYTES = 64 * 1024;
