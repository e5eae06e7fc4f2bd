/** The policy core: pure functions from a task definition's properties and configuration to a verdict. */
export * from './config';
export * from './evaluate';
export * from './report';
export { globMatch } from './glob';
export { safeName } from './text';
