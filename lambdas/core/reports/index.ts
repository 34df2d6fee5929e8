export * from './build-report';
export * from './figures';
export * from './period';
export * from './report';
export * from './totals';
