export * from './logged-choices';
export * from './test-databases';
