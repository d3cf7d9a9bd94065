export * from './errors.js';
export * from './dto.js';
export * from './live.js';
export * from './commands.js';
export * from './events.js';
export * from './transport.js';
