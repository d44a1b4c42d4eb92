export { createGatewayApp, type GatewayDeps } from './gateway';
export { registerProxy, type RegisterProxyOptions } from './proxy';
export { fetchMergedOpenApi, serveMergedOpenApi, type MergedOpenApi, type OpenApiDocument } from './openapi';
export { parseRouteTable } from './route-table';
export { clientAddressKey } from './rate-limit';
export * from './options';
export { gatewayErrorCodes } from './errors';
