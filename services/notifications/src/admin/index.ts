export { registerQueueAdminRoutes } from './queue-admin.routes';
export { createQueueAdmin, type QueueAdmin, type QueueAdminDeps } from './queue-admin.service';
export { queueAdminErrorCodes, queueAdminErrors, type QueueAdminErrorCode } from './queue-admin.errors';
export { queueBoardCookie, registerQueueBoard, type QueueBoardOptions } from './board';
