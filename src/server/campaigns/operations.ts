// The /api/v1 operations of this resource (see src/server/api/operation.ts); the registry lists every export.
export {};
