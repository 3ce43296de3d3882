export { VerifyScreen } from './verify-screen';
export { mergeResults, countByStatus, PROBLEM_STATUSES } from './merge-results';
