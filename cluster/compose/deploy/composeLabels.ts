// How `kubedesk compose up` marks what it creates, so `down` and `ps` find exactly those objects.

/** Every object `up` applies carries the compose project's name under this label. */
export const composeProjectLabel = 'kubedesk.io/compose-project';
/** The compose service (or `shared`) an object was grouped under. */
export const composeServiceLabel = 'kubedesk.io/compose-service';
/** The field manager of every server-side apply `up` sends. */
export const composeFieldManager = 'kubedesk-compose';
