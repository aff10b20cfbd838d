/**
 * Timeouts every AWS client (S3, SQS) is made with. A connection that cannot be opened, or a
 * socket on which nothing moves, fails the call (the SDK retries it, then the job's attempt
 * fails and the job is retried later) instead of hanging with the job's lease renewed forever.
 * Deliberately no total per request: a large upload or download may take as long as it keeps
 * moving. The idle limit stays above SQS's 20 s long poll (ReceiveMessage WaitTimeSeconds), during
 * which an answer is legitimately silent. Options: @smithy/types NodeHttpHandlerOptions
 * (`connectionTimeout`, `socketTimeout` = socket inactivity).
 */
export const AWS_CONNECT_TIMEOUT_MS = 5_000;
export const AWS_SOCKET_IDLE_TIMEOUT_MS = 30_000;

export type AwsTimeouts = { connectTimeoutMs?: number; socketIdleTimeoutMs?: number };

/** The `requestHandler` option of an AWS SDK v3 client. */
export const awsRequestHandler = (timeouts: AwsTimeouts = {}) => ({
  connectionTimeout: timeouts.connectTimeoutMs ?? AWS_CONNECT_TIMEOUT_MS,
  socketTimeout: timeouts.socketIdleTimeoutMs ?? AWS_SOCKET_IDLE_TIMEOUT_MS,
});
