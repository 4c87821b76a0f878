export * from './login-throttle.js';
export * from './sliding-window.js';
export * from './throttle-keys.js';
